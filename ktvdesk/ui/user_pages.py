"""The user's own songs from storage: Favorites, History (plays, most sung, recently sung)
and My playlists (create, rename, duplicate, delete, reorder by drag, import/export).

Every list shows stored songs that can no longer be played greyed with the reason as
tooltip; they are never dropped. Without a user database (it could not be opened) the
pages fall back to what this run knows: in-memory favorites and tonight's plays.

Import/export go through `choose_import_path` / `choose_export_path` (file dialogs by
default; tests put a path there). A page built with `allow_files=False` (kiosk) offers
no file dialog at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.storage import SongEntry, UserDatabase
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.song_list import SongActions, SongListPanel

log = logging.getLogger(__name__)

HISTORY_ROWS = 200
SUNG_ROWS = 50
JSON_FILTER = "JSON (*.json)"
M3U8_FILTER = "M3U8 (*.m3u8 *.m3u)"


def entry_rows(entries: Iterable[SongEntry], language: str) -> tuple[list[Song], dict[str, str]]:
    """Songs for a song table, and key → reason for those that cannot be played now."""
    songs: list[Song] = []
    reasons: dict[str, str] = {}
    for entry in entries:
        songs.append(entry.song)
        reason = entry.reason_text(language)
        if reason is not None:
            reasons[entry.key] = reason
    return songs, reasons


class _UserPage(QWidget):
    """A title, a status line for storage errors, and whatever the page lists."""

    def __init__(self, actions: SongActions, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.song_actions = actions
        self.services = actions.services
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        self.layout_.addWidget(heading)
        self.top = QHBoxLayout()
        self.layout_.addLayout(self.top)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)

    @property
    def db(self) -> UserDatabase | None:
        return self.services.user_db

    def error(self, exc: KtvError) -> None:
        self.status.setText(exc.message(self.services.language))

    def refresh(self) -> None:
        """Read the list again from storage."""

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()


class FavoritesPage(_UserPage):
    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(actions, tr("Favorites"), parent)
        self.empty_text = tr("No favorites yet. Right-click a song and choose Add to favorites.")
        self.songs = SongListPanel(actions, self.empty_text)
        self.layout_.addWidget(self.songs, 1)

    def refresh(self) -> None:
        db = self.db
        if db is None:
            in_memory = getattr(self.services.favorites, "songs", None)
            self.songs.show_songs(in_memory() if callable(in_memory) else [], self.empty_text)
            return
        try:
            entries = [favorite.entry for favorite in db.favorites.entries()]
        except KtvError as exc:
            self.error(exc)
            return
        self.status.setText("")
        songs, reasons = entry_rows(entries, self.services.language)
        self.songs.show_songs(songs, self.empty_text, reasons)


class HistoryPage(_UserPage):
    """Recent plays (newest first), the most-sung songs and the recently sung ones."""

    VIEWS = ("plays", "most", "recent")

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(actions, tr("History"), parent)
        self.empty_text = tr("Songs you sing appear here.")
        self.view = "plays"
        self.view_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        for key, text in (
            ("plays", tr("Recent plays")),
            ("most", tr("Most sung")),
            ("recent", tr("Recently sung")),
        ):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setChecked(key == self.view)
            button.clicked.connect(lambda _=False, k=key: self.show_view(k))
            group.addButton(button)
            self.top.addWidget(button)
            self.view_buttons[key] = button
        self.top.addStretch(1)
        self.songs = SongListPanel(actions, self.empty_text)
        self.layout_.addWidget(self.songs, 1)

    def show_view(self, view: str) -> None:
        self.view = view
        self.view_buttons[view].setChecked(True)
        self.refresh()

    def refresh(self) -> None:
        db = self.db
        if db is None:
            session = self.services.session
            tonight = [entry.item for entry in reversed(session.queue.history)] if session else []
            self.songs.show_songs(tonight, self.empty_text)
            return
        try:
            if self.view == "most":
                entries = [sung.entry for sung in db.history.most_sung(limit=SUNG_ROWS)]
            elif self.view == "recent":
                entries = [sung.entry for sung in db.history.recently_sung(limit=SUNG_ROWS)]
            else:
                entries = [play.entry for play in db.history.page(limit=HISTORY_ROWS).items]
        except KtvError as exc:
            self.error(exc)
            return
        self.status.setText("")
        songs, reasons = entry_rows(entries, self.services.language)
        self.songs.show_songs(songs, self.empty_text, reasons)


# Each row keeps the index it had when the list was read: after a drop, the rows' order
# of these is the permutation to store, however the view carried the move out.
STORED_INDEX = Qt.ItemDataRole.UserRole + 1


class PlaylistSongs(QListWidget):
    """One playlist's songs: drag (or Ctrl+Up/Down) to reorder, Delete to remove,
    Enter/double-click = 点歌."""

    def __init__(self, page: MyPlaylistsPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("playlistSongs")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._sync_pending = False
        self.model().rowsMoved.connect(self._order_changed)
        self.itemDoubleClicked.connect(
            lambda item: page.song_actions.enqueue(item.data(Qt.ItemDataRole.UserRole))
        )

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        self._order_changed()

    def _order_changed(self, *_args: object) -> None:
        # After the view has finished the drop: storing re-reads (rebuilds) the list.
        if not self._sync_pending:
            self._sync_pending = True
            QTimer.singleShot(0, self._sync)

    def _sync(self) -> None:
        self._sync_pending = False
        self.page.store_order([self.item(row).data(STORED_INDEX) for row in range(self.count())])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if row >= 0 and control and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            target = row - 1 if event.key() == Qt.Key.Key_Up else row + 1
            if 0 <= target < self.count():
                self.page.move_song(row, target)
                self.setCurrentRow(target)
            return
        if row >= 0 and event.key() == Qt.Key.Key_Delete:
            self.page.remove_song(row)
            return
        if row >= 0 and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.page.song_actions.enqueue(self.item(row).data(Qt.ItemDataRole.UserRole))
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        if item is None:
            return
        row = self.row(item)
        song = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        for action in self.page.song_actions.menu_actions(song, menu):
            menu.addAction(action)
        menu.addSeparator()
        remove = menu.addAction(icon("remove"), tr("Remove from this playlist"))
        remove.triggered.connect(lambda _=False: self.page.remove_song(row))
        menu.exec(event.globalPos())


class MyPlaylistsPage(_UserPage):
    def __init__(
        self, actions: SongActions, *, allow_files: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(actions, tr("My playlists"), parent)
        self.allow_files = allow_files
        self.choose_import_path: Callable[[], Path | None] = self._import_dialog
        self.choose_export_path: Callable[[str], Path | None] = self._export_dialog
        self.buttons: dict[str, QPushButton] = {}
        for key, text, handler in (
            ("new", tr("New…"), self._new_clicked),
            ("rename", tr("Rename…"), self._rename_clicked),
            ("duplicate", tr("Duplicate"), self.duplicate_selected),
            ("delete", tr("Delete"), self._delete_clicked),
            ("play", tr("Queue all"), self.enqueue_all),
            ("import", tr("Import…"), self.import_file),
            ("export", tr("Export…"), self.export_selected),
        ):
            if key in ("import", "export") and not allow_files:
                continue  # kiosk: no file dialogs
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, h=handler: h())
            self.top.addWidget(button)
            self.buttons[key] = button
        self.top.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lists = QListWidget()
        self.lists.setObjectName("myPlaylists")
        self.items = PlaylistSongs(self)
        splitter.addWidget(self.lists)
        splitter.addWidget(self.items)
        splitter.setSizes([240, 600])
        self.layout_.addWidget(splitter, 1)
        self.lists.currentItemChanged.connect(lambda *_: self.show_songs())
        actions.playlistsChanged.connect(self.refresh)

    # ---- reading ---------------------------------------------------------------------

    def selected_id(self) -> int | None:
        item = self.lists.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def select(self, playlist_id: int) -> None:
        for row in range(self.lists.count()):
            if self.lists.item(row).data(Qt.ItemDataRole.UserRole) == playlist_id:
                self.lists.setCurrentRow(row)
                return

    def refresh(self) -> None:
        db = self.db
        if db is None:
            self.status.setText(
                tr("Your playlists are not available: the song database could not be opened.")
            )
            for button in self.buttons.values():
                button.setEnabled(False)
            return
        keep = self.selected_id()
        try:
            summaries = db.playlists.summaries()
        except KtvError as exc:
            self.error(exc)
            return
        self.lists.blockSignals(True)
        self.lists.clear()
        for summary in summaries:
            item = QListWidgetItem(f"{summary.name}  ({summary.song_count})")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.lists.addItem(item)
        self.lists.blockSignals(False)
        if keep is not None:
            self.select(keep)
        if self.lists.currentItem() is None and self.lists.count():
            self.lists.setCurrentRow(0)
        self.status.setText("" if summaries else tr("No playlists yet. Press New… to make one."))
        self.show_songs()

    def show_songs(self) -> None:
        db, playlist_id = self.db, self.selected_id()
        self.items.clear()
        if db is None or playlist_id is None:
            return
        try:
            entries = db.playlists.entries(playlist_id)
        except KtvError as exc:
            self.error(exc)
            return
        for index, entry in enumerate(entries):
            item = QListWidgetItem(f"{entry.title} — {entry.singers_text or '–'}")
            item.setData(Qt.ItemDataRole.UserRole, entry.song)
            item.setData(STORED_INDEX, index)
            reason = entry.reason_text(self.services.language)
            if reason is not None:
                item.setForeground(QColor(Qt.GlobalColor.gray))
                item.setToolTip(tr("Unavailable: {0}").format(reason))
            self.items.addItem(item)

    def songs(self) -> list[Song]:
        return [self.items.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.items.count())]

    # ---- editing ---------------------------------------------------------------------

    def _run(self, change: Callable[[UserDatabase], Any]) -> Any:
        """One storage change; the list is read back afterwards, errors go to the status."""
        db = self.db
        if db is None:
            return None
        try:
            result = change(db)
        except KtvError as exc:
            self.refresh()
            self.error(exc)
            return None
        self.refresh()
        return result

    def create_playlist(self, name: str) -> int | None:
        playlist_id: int | None = self._run(lambda db: db.playlists.create(name))
        if playlist_id is not None:
            self.select(playlist_id)
        return playlist_id

    def rename_selected(self, name: str) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None:
            self._run(lambda db: db.playlists.rename(playlist_id, name))

    def duplicate_selected(self) -> int | None:
        playlist_id = self.selected_id()
        if playlist_id is None:
            return None
        copy: int | None = self._run(lambda db: db.playlists.duplicate(playlist_id))
        if copy is not None:
            self.select(copy)
        return copy

    def delete_selected(self) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None:
            self._run(lambda db: db.playlists.delete(playlist_id))

    def move_song(self, from_index: int, to_index: int) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None and from_index != to_index:
            self._run(lambda db: db.playlists.move(playlist_id, from_index, to_index))

    def store_order(self, order: list[int]) -> None:
        """The list's rows after a drag, by their stored index: saved as the new order."""
        playlist_id = self.selected_id()
        if playlist_id is None or order == list(range(len(order))):
            return
        self._run(lambda db: db.playlists.reorder(playlist_id, order))

    def remove_song(self, index: int) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None:
            self._run(lambda db: db.playlists.remove(playlist_id, index))

    def enqueue_all(self) -> None:
        session = self.services.session
        if session is None:
            return
        for song in self.songs():
            session.enqueue(song)

    # ---- files -------------------------------------------------------------------------

    def import_file(self) -> list[int]:
        if not self.allow_files:
            return []
        path = self.choose_import_path()
        if path is None:
            return []
        from ktvdesk.storage.m3u8 import import_m3u8_file
        from ktvdesk.storage.playlist_json import import_json_file

        def load(db: UserDatabase) -> list[int]:
            if path.suffix.lower() in (".m3u8", ".m3u"):
                return [import_m3u8_file(db, path)]
            return import_json_file(db, path)

        imported: list[int] | None = self._run(load)
        if imported:
            self.select(imported[0])
            self.song_actions.message.emit(tr("%n playlist(s) imported.", None, len(imported)))
        return imported or []

    def export_selected(self) -> Path | None:
        playlist_id = self.selected_id()
        item = self.lists.currentItem()
        if not self.allow_files or playlist_id is None or item is None:
            return None
        db = self.db
        if db is None:
            return None
        path = self.choose_export_path(db.playlists.get(playlist_id).name)
        if path is None:
            return None
        from ktvdesk.storage.m3u8 import export_m3u8_file
        from ktvdesk.storage.playlist_json import export_json_file

        try:
            if path.suffix.lower() in (".m3u8", ".m3u"):
                skipped = len(export_m3u8_file(db, playlist_id, path).skipped)
                if skipped:
                    self.song_actions.message.emit(
                        tr(
                            "%n song(s) are not local files and were left out (export as JSON to keep them).",
                            None,
                            skipped,
                        )
                    )
            else:
                export_json_file(db, path, [playlist_id])
        except KtvError as exc:
            self.error(exc)
            return None
        self.song_actions.message.emit(tr("Exported to {0}").format(str(path)))
        return path

    def _import_dialog(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            tr("Import playlists"),
            "",
            f"{tr('Playlists')} (*.json *.m3u8 *.m3u);;{JSON_FILTER};;{M3U8_FILTER}",
        )
        return Path(name) if name else None

    def _export_dialog(self, playlist_name: str) -> Path | None:
        name, chosen = QFileDialog.getSaveFileName(
            self, tr("Export playlist"), f"{playlist_name}.json", f"{JSON_FILTER};;{M3U8_FILTER}"
        )
        if not name:
            return None
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".m3u8" if chosen == M3U8_FILTER else ".json")
        return path

    # ---- questions -----------------------------------------------------------------------

    def _new_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, tr("New playlist"), tr("Name of the new playlist:"))
        if ok:
            self.create_playlist(name)

    def _rename_clicked(self) -> None:
        item = self.lists.currentItem()
        db = self.db
        if item is None or db is None:
            return
        playlist_id = int(item.data(Qt.ItemDataRole.UserRole))
        name, ok = QInputDialog.getText(
            self, tr("Rename playlist"), tr("New name:"), text=db.playlists.get(playlist_id).name
        )
        if ok:
            self.rename_selected(name)

    def _delete_clicked(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        item = self.lists.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Delete playlist"),
            tr("Delete “{0}”? Its songs stay in the catalog.").format(item.text()),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_selected()


__all__ = ["FavoritesPage", "HistoryPage", "MyPlaylistsPage", "entry_rows"]
