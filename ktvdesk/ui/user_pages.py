"""The user's own songs from storage: Favorites, History (plays, most sung, recently sung)
and My playlists (create, rename, duplicate, delete, reorder by drag, import/export).

Every list shows stored songs that can no longer be played greyed with the reason as
tooltip; they are never dropped. Without a user database (it could not be opened) the
pages fall back to what this run knows: in-memory favorites and tonight's plays.

Import/export go through `choose_import_path` / `choose_export_path` (file dialogs by
default; tests put a path there). A page built with `allow_files=False` (kiosk) offers
no file dialog at all.

Nothing here touches SQLite on the GUI thread: reads and edits go to the user-data
service's writer thread (`services.user_data`); a read shows when it answers (the newest
read wins), edits run in the order made and the list is read back after each. An import
or export of a large file (up to 64 MB) parses and writes there too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
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
from ktvdesk.storage import PlaylistSummary, SongEntry, UserDatabase
from ktvdesk.storage.service import UserDataService
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.latest import LatestRequest, next_turn
from ktvdesk.ui.song_list import SongActions, SongListPanel
from ktvdesk.ui.user_data_jobs import UserDataJobs

log = logging.getLogger(__name__)

T = TypeVar("T")

HISTORY_ROWS = 200
FILL_SLICE_MS = 4  # playlist rows are added for this long, then the loop runs once
SUNG_ROWS = 50
JSON_FILTER = "JSON (*.json)"
M3U8_FILTER = "M3U8 (*.m3u8 *.m3u)"


def entry_rows(entries: Iterable[SongEntry], language: str) -> tuple[list[Song], dict[str, str]]:
    """Songs for a song table, and key → reason for those that cannot be played now.

    Entries parse their stored song when first asked: the pages call this in the read's
    job, on the writer thread, so 10,000 favourites are not parsed on the GUI thread."""
    songs: list[Song] = []
    reasons: dict[str, str] = {}
    for entry in entries:
        songs.append(entry.song)
        reason = entry.reason_text(language)
        if reason is not None:
            reasons[entry.key] = reason
    return songs, reasons


PlaylistRow = tuple[str, SongEntry, str | None]  # the row's text, its entry, why it cannot be played


def playlist_rows(entries: Iterable[SongEntry], language: str) -> list[PlaylistRow]:
    """What the playlist list shows of each entry, made in the read's job (writer thread).

    The songs stay unparsed (`SongEntry` parses its stored JSON when first asked): a
    10,000-song playlist lists from its columns, and only the row acted on is parsed;
    parsing all of them, even on the writer thread, kept the GIL from the GUI thread for
    half a second."""
    return [
        (f"{entry.title} — {entry.singers_text or '–'}", entry, entry.listed_reason_text(language))
        for entry in entries
    ]


def song_of(item: QListWidgetItem) -> Song:
    entry: SongEntry = item.data(Qt.ItemDataRole.UserRole)
    return entry.song


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
        self.bridge = actions.bridge
        self.loader = LatestRequest(self.bridge, self.status.setText)
        self.jobs = UserDataJobs(self.services, self._edit_failed)
        self.failed: KtvError | None = None  # the last edit's error, until the page is read back

    @property
    def user_data(self) -> UserDataService | None:
        return self.services.user_data

    def error(self, exc: KtvError) -> None:
        self.status.setText(exc.message(self.services.language))

    def read(
        self, job: Callable[[UserDatabase], T], show: Callable[[T], None], loader: LatestRequest | None = None
    ) -> None:
        """`job(db)` on the writer thread; `show(result)` if no newer read replaced it."""
        user_data = self.user_data
        if user_data is not None:
            (loader or self.loader).load(lambda: user_data.run(job), show, name="user-data-read")

    def edit(self, change: Callable[[UserDatabase], T], done: Callable[[T], None] | None = None) -> None:
        """One storage change on the writer thread (in the order made); the page is read
        back afterwards, errors go to the status line."""

        def stored(result: T) -> None:
            self.refresh()
            if done is not None:
                done(result)

        self.jobs.run(change, stored, name="user-data-edit")

    def _edit_failed(self, exc: KtvError) -> None:
        self.failed = exc  # said once the page has been read back
        self.refresh()
        self.error(exc)

    async def settled(self) -> None:
        """Until every edit and read started so far has been answered (tests, benchmarks)."""
        while self.jobs.busy or self.loader.busy:
            await self.jobs.settled()
            await self.loader.wait()

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
        # Starred elsewhere through the session (a phone's ★): read the list again if shown.
        self.bridge.favoritesChanged.connect(lambda: self.refresh() if self.isVisible() else None)
        # Starred here: that one row comes or goes (reading 10,000 back cost frames).
        actions.favoriteToggled.connect(self._toggled)

    def refresh(self) -> None:
        if self.user_data is None:
            in_memory = getattr(self.services.favorites, "songs", None)
            self.songs.show_songs(in_memory() if callable(in_memory) else [], self.empty_text)
            return
        language = self.services.language
        self.read(
            lambda db: entry_rows((favorite.entry for favorite in db.favorites.entries()), language),
            self.show_rows,
        )

    def show_rows(self, rows: tuple[list[Song], dict[str, str]]) -> None:
        self.status.setText("")
        songs, reasons = rows
        self.songs.show_songs(songs, self.empty_text, reasons)

    def _toggled(self, song: Song, added: bool) -> None:
        if not self.isVisible():
            return  # read when shown
        if self.user_data is None or self.loader.busy:
            # In memory, or a read is under way that may or may not hold the change: read
            # again (the newest read wins).
            self.refresh()
        elif added:
            if not self.songs.table.song_model.rows_of(song.key):
                self.songs.insert_song(0, song)  # newest first, as stored
        else:
            self.songs.remove_song(song.key)


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
        if self.user_data is None:
            session = self.services.session
            tonight = list(session.played_tonight) if session else []
            self.songs.show_songs(tonight, self.empty_text)
            return
        view, language = _HISTORY_VIEWS[self.view], self.services.language
        self.read(lambda db: entry_rows(view(db), language), self.show_rows)

    def show_rows(self, rows: tuple[list[Song], dict[str, str]]) -> None:
        self.status.setText("")
        songs, reasons = rows
        self.songs.show_songs(songs, self.empty_text, reasons)


_HISTORY_VIEWS: dict[str, Callable[[UserDatabase], list[SongEntry]]] = {
    "plays": lambda db: [play.entry for play in db.history.page(limit=HISTORY_ROWS).items],
    "most": lambda db: [sung.entry for sung in db.history.most_sung(limit=SUNG_ROWS)],
    "recent": lambda db: [sung.entry for sung in db.history.recently_sung(limit=SUNG_ROWS)],
}


# Each row keeps the index it had when the list was read: after a drop, the rows' order
# of these is the permutation to store, however the view carried the move out.
STORED_INDEX = Qt.ItemDataRole.UserRole + 1
PLAYLIST_NAME = Qt.ItemDataRole.UserRole + 2


class PlaylistSongs(QListWidget):
    """One playlist's songs: drag (or Ctrl+Up/Down) to reorder, Delete to remove,
    Enter/double-click = 点歌."""

    orderTaken = Signal()  # a drop's new order was handed to storage

    def __init__(self, page: MyPlaylistsPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("playlistSongs")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._sync_pending = False
        self.model().rowsMoved.connect(self._order_changed)
        self.itemDoubleClicked.connect(lambda item: page.song_actions.enqueue(song_of(item)))

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
        self.orderTaken.emit()

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
            self.page.song_actions.enqueue(song_of(self.item(row)))
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        if item is None:
            return
        row = self.row(item)
        song = song_of(item)
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
        self.songs_loader = LatestRequest(self.bridge, self.status.setText)
        self.fill_loader = LatestRequest(self.bridge)  # a newer list stops an older fill
        self._select_next: int | None = None  # the playlist an edit made, selected once listed
        self.lists.currentItemChanged.connect(lambda *_: self.show_songs())
        actions.playlistsChanged.connect(self.refresh)

    # ---- reading ---------------------------------------------------------------------

    def selected_id(self) -> int | None:
        item = self.lists.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def selected_name(self) -> str | None:
        item = self.lists.currentItem()
        return None if item is None else str(item.data(PLAYLIST_NAME))

    def select(self, playlist_id: int) -> None:
        for row in range(self.lists.count()):
            if self.lists.item(row).data(Qt.ItemDataRole.UserRole) == playlist_id:
                self.lists.setCurrentRow(row)
                return

    def refresh(self) -> None:
        if self.user_data is None:
            self.status.setText(
                tr("Your playlists are not available: the song database could not be opened.")
            )
            for button in self.buttons.values():
                button.setEnabled(False)
            return
        self.read(lambda db: db.playlists.summaries(), self._show_summaries)

    def _show_summaries(self, summaries: list[PlaylistSummary]) -> None:
        keep, self._select_next = self._select_next or self.selected_id(), None
        self.lists.blockSignals(True)
        self.lists.clear()
        for summary in summaries:
            item = QListWidgetItem(f"{summary.name}  ({summary.song_count})")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setData(PLAYLIST_NAME, summary.name)
            self.lists.addItem(item)
        self.lists.blockSignals(False)
        if keep is not None:
            self.select(keep)
        if self.lists.currentItem() is None and self.lists.count():
            self.lists.setCurrentRow(0)
        failed, self.failed = self.failed, None
        if failed is not None:
            self.error(failed)
        else:
            self.status.setText("" if summaries else tr("No playlists yet. Press New… to make one."))
        self.show_songs()

    def show_songs(self) -> None:
        playlist_id = self.selected_id()
        if playlist_id is None:
            self.songs_loader.cancel()
            self.fill_loader.cancel()
            self.items.clear()
            return
        language = self.services.language
        self.read(
            lambda db: playlist_rows(db.playlists.entries(playlist_id), language),
            self._show_entries,
            self.songs_loader,
        )

    def _show_entries(self, rows: list[PlaylistRow]) -> None:
        """Fill the list a slice per loop turn: 10,000 rows at once froze the window."""
        row = self.items.currentRow()  # a keyboard move set it before the list came back
        self.items.clear()
        self.fill_loader.load(lambda: self._fill(rows, row), lambda _: None, name="playlist-fill")

    async def _fill(self, rows: list[PlaylistRow], row: int) -> None:
        # Sliced by time, not by a number of rows: a busy machine adds fewer per slice.
        index = 0
        while index < len(rows):
            if index:
                await next_turn()  # paint and input run between slices
            slice_end_ns = time.perf_counter_ns() + FILL_SLICE_MS * 1_000_000
            while index < len(rows) and time.perf_counter_ns() < slice_end_ns:
                self.items.addItem(self._item(index, rows[index]))
                index += 1
        if 0 <= row < self.items.count():
            self.items.setCurrentRow(row)

    @staticmethod
    def _item(index: int, row: PlaylistRow) -> QListWidgetItem:
        text, entry, reason = row
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, entry)  # its song is parsed when acted on
        item.setData(STORED_INDEX, index)
        if reason is not None:
            item.setForeground(QColor(Qt.GlobalColor.gray))
            item.setToolTip(tr("Unavailable: {0}").format(reason))
        return item

    def songs(self) -> list[Song]:
        return [song_of(self.items.item(row)) for row in range(self.items.count())]

    async def settled(self) -> None:
        await super().settled()
        await self.songs_loader.wait()
        await self.fill_loader.wait()

    # ---- editing ---------------------------------------------------------------------

    def _select_later(self, playlist_id: int | None) -> None:
        """Select `playlist_id` once the list has been read back (after an edit)."""
        if playlist_id is not None:
            self._select_next = playlist_id
            self.select(playlist_id)

    def create_playlist(self, name: str) -> None:
        self.edit(lambda db: db.playlists.create(name), self._select_later)

    def rename_selected(self, name: str) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None:
            self.edit(lambda db: db.playlists.rename(playlist_id, name))

    def duplicate_selected(self) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None:
            self.edit(lambda db: db.playlists.duplicate(playlist_id), self._select_later)

    def delete_selected(self) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None:
            self.edit(lambda db: db.playlists.delete(playlist_id))

    def move_song(self, from_index: int, to_index: int) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None and from_index != to_index:
            self.edit(lambda db: db.playlists.move(playlist_id, from_index, to_index))

    def store_order(self, order: list[int]) -> None:
        """The list's rows after a drag, by their stored index: saved as the new order."""
        playlist_id = self.selected_id()
        if playlist_id is None or order == list(range(len(order))):
            return
        self.edit(lambda db: db.playlists.reorder(playlist_id, order))

    def remove_song(self, index: int) -> None:
        playlist_id = self.selected_id()
        if playlist_id is not None:
            self.edit(lambda db: db.playlists.remove(playlist_id, index))

    def enqueue_all(self) -> None:
        session = self.services.session
        if session is None:
            return
        for song in self.songs():
            session.enqueue(song)

    # ---- files -------------------------------------------------------------------------

    def import_file(self) -> None:
        """Ask for a file and import its playlists (parsed and stored on the writer thread)."""
        if not self.allow_files or self.user_data is None:
            return
        path = self.choose_import_path()
        if path is None:
            return

        def load(db: UserDatabase) -> list[int]:
            # Imported here, on the writer thread: the first import's 25 ms of module
            # loading stalled the GUI thread.
            from ktvdesk.storage.m3u8 import import_m3u8_file
            from ktvdesk.storage.playlist_json import import_json_file

            if path.suffix.lower() in (".m3u8", ".m3u"):
                return [import_m3u8_file(db, path)]
            return import_json_file(db, path, isolated=True)  # the GIL stays free for the GUI

        def imported(ids: list[int]) -> None:
            if ids:
                self._select_later(ids[0])
                self.song_actions.message.emit(tr("%n playlist(s) imported.", None, len(ids)))

        self.edit(load, imported)

    def export_selected(self) -> None:
        """Ask for a file and write the selected playlist there (on the writer thread)."""
        playlist_id, name = self.selected_id(), self.selected_name()
        if not self.allow_files or playlist_id is None or name is None or self.user_data is None:
            return
        path = self.choose_export_path(name)
        if path is None:
            return

        def write(db: UserDatabase) -> int:
            from ktvdesk.storage.m3u8 import export_m3u8_file  # on the writer thread, as above
            from ktvdesk.storage.playlist_json import export_json_file

            if path.suffix.lower() in (".m3u8", ".m3u"):
                return len(export_m3u8_file(db, playlist_id, path).skipped)
            export_json_file(db, path, [playlist_id], isolated=True)  # the GIL stays free for the GUI
            return 0

        def written(skipped: int) -> None:  # nothing stored changed: the page stays as it is
            if skipped:
                self.song_actions.message.emit(
                    tr(
                        "%n song(s) are not local files and were left out (export as JSON to keep them).",
                        None,
                        skipped,
                    )
                )
            self.song_actions.message.emit(tr("Exported to {0}").format(str(path)))

        self.jobs.run(write, written, name="playlist-export", failed=self.error)

    def _import_dialog(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            tr("Import playlists"),
            "",
            "{} (*.json *.m3u8 *.m3u);;{};;{}".format(tr("Playlists"), JSON_FILTER, M3U8_FILTER),
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
        current = self.selected_name()
        if current is None:
            return
        name, ok = QInputDialog.getText(self, tr("Rename playlist"), tr("New name:"), text=current)
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
