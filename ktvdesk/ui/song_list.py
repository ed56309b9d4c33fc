"""Song results: the table model, the view with its song actions, and the paged loader.

Every page that lists songs (search, tags, singers, playlists, favorites, history) uses
these three, so paging, the empty/loading/error states and the actions behave the same
everywhere.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QContextMenuEvent, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.errors import KtvError
from ktvdesk.models import Page, Song
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon

log = logging.getLogger(__name__)

COVER_PX = 40
# Load the next page when the view is scrolled this close to the bottom (rows).
PREFETCH_ROWS = 8

ModelIndex = QModelIndex | QPersistentModelIndex
Fetch = Callable[[str | None], Awaitable[Page[Song]]]


def format_ms(ms: int | None) -> str:
    if ms is None or ms < 0:
        return "–"
    seconds = ms // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def badges_text(song: Song) -> str:
    parts = []
    if song.rights.can_play:
        parts.append(tr("可播"))
    if song.rights.can_sing:
        parts.append(tr("可唱"))
    if song.has_lyrics:
        parts.append(tr("Lyrics"))
    if song.has_pitch:
        parts.append(tr("Pitch"))
    return " · ".join(parts)


class SongTableModel(QAbstractTableModel):
    COLUMNS = ("", "Title", "Singer", "Duration", "Available")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.songs: list[Song] = []
        self._covers: dict[str, QPixmap] = {}
        self.favorite: Callable[[Song], bool] = lambda song: False
        # Song key → why it cannot be played now (stored songs): greyed, never hidden.
        self.unavailable: dict[str, str] = {}

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.songs)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [
                "",
                tr("Title"),
                tr("Singer"),
                tr("Duration"),
                tr("Available"),
            ][section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        song = self.songs[index.row()]
        column = index.column()
        reason = self.unavailable.get(song.key) if self.unavailable else None
        if reason is not None:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(Qt.GlobalColor.gray)
            if role == Qt.ItemDataRole.ToolTipRole:
                return tr("Unavailable: {0}").format(reason)
            if role == Qt.ItemDataRole.DisplayRole and column == 4:
                return tr("Unavailable: {0}").format(reason)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 1:
                return ("♥ " if self.favorite(song) else "") + song.title
            if column == 2:
                return song.singers_text
            if column == 3:
                return format_ms(song.duration_ms)
            if column == 4:
                return badges_text(song)
        elif role == Qt.ItemDataRole.DecorationRole:
            if column == 0:
                return self._cover(song)
            if column == 4 and song.needs_owner_badge:
                return icon("copyright-owner-badge")
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == 4 and song.needs_owner_badge:
                return tr("Licensed by the copyright owner (ZEGO channel 0)")
            return f"{song.title} — {song.singers_text}"
        elif role == Qt.ItemDataRole.UserRole:
            return song
        return None

    def _cover(self, song: Song) -> QPixmap | QIcon:
        # Local covers are files; remote cover URLs are not fetched by the UI (providers
        # own HTTP), so cloud songs show the placeholder.
        path = song.covers.get("small") or song.covers.get("large") or ""
        if path and "://" not in path:
            cached = self._covers.get(path)
            if cached is None:
                pixmap = QPixmap(path)
                cached = (
                    pixmap.scaled(
                        COVER_PX,
                        COVER_PX,
                        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                    if not pixmap.isNull()
                    else QPixmap()
                )
                self._covers[path] = cached
            if not cached.isNull():
                return cached
        return icon("note")

    def reset(
        self, songs: list[Song] | tuple[Song, ...] = (), unavailable: dict[str, str] | None = None
    ) -> None:
        self.beginResetModel()
        self.songs = list(songs)
        self.unavailable = dict(unavailable or {})
        self.endResetModel()

    def append(self, songs: tuple[Song, ...]) -> None:
        if not songs:
            return
        start = len(self.songs)
        self.beginInsertRows(QModelIndex(), start, start + len(songs) - 1)
        self.songs.extend(songs)
        self.endInsertRows()

    def refresh_marks(self) -> None:
        if self.songs:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.songs) - 1, 1))


class SongTable(QTableView):
    """Songs with their actions: Enter/double-click = 点歌, context menu for the rest."""

    nearEnd = Signal()

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.song_model = SongTableModel(self)
        self.song_model.favorite = actions.is_favorite
        self.song_actions = actions
        self.setModel(self.song_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setIconSize(QSize(COVER_PX, COVER_PX))
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(COVER_PX + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, COVER_PX + 12)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 170)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(3, 80)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(4, 230)
        self.doubleClicked.connect(lambda index: self._with_song(index, actions.enqueue))
        self.verticalScrollBar().valueChanged.connect(self._check_near_end)
        actions.favoritesChanged.connect(self.song_model.refresh_marks)

    def current_song(self) -> Song | None:
        index = self.currentIndex()
        return self.song_model.songs[index.row()] if index.isValid() else None

    def _with_song(self, index: ModelIndex, action: Callable[[Song], None]) -> None:
        if index.isValid():
            action(self.song_model.songs[index.row()])

    def _check_near_end(self) -> None:
        bar = self.verticalScrollBar()
        row_px = max(1, self.verticalHeader().defaultSectionSize())
        if bar.maximum() - bar.value() <= PREFETCH_ROWS * row_px:
            self.nearEnd.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        song = self.current_song()
        if song is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.song_actions.enqueue_next(song)
            else:
                self.song_actions.enqueue(song)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        song = self.song_model.songs[index.row()]
        menu = QMenu(self)
        for action in self.song_actions.menu_actions(song, menu):
            menu.addAction(action)
        menu.exec(event.globalPos())


class SongActions(QObject):
    """What can be done to a song from any list: 点歌, 优先, favorite, preview, details."""

    favoritesChanged = Signal()
    playlistsChanged = Signal()
    message = Signal(str)
    detailsReady = Signal(str)

    def __init__(self, bridge: SessionBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.services = bridge.services
        self.details_song: Song | None = None  # the song of the last details text
        self._favorite_keys: set[str] | None = None

    def enqueue(self, song: Song) -> None:
        session = self.services.session
        if session is not None:
            session.enqueue(song)
            self.message.emit(tr("Added to the queue: {0}").format(song.title))

    def enqueue_next(self, song: Song) -> None:
        session = self.services.session
        if session is not None:
            session.enqueue_next(song)
            self.message.emit(tr("Plays next: {0}").format(song.title))

    def is_favorite(self, song: Song) -> bool:
        # Asked for every painted row: the stored favorites' keys are read once per change.
        if self._favorite_keys is None:
            keys = getattr(self.services.favorites, "keys", None)
            if not callable(keys):
                return self.services.favorites.contains(song)
            try:
                self._favorite_keys = set(keys())
            except KtvError as exc:
                log.warning("favorites unreadable: %s", exc.detail)
                return False
        return song.key in self._favorite_keys

    def toggle_favorite(self, song: Song) -> None:
        favorites = self.services.favorites
        self._favorite_keys = None
        try:
            if favorites.contains(song):
                favorites.remove(song)
                self.message.emit(tr("Removed from favorites: {0}").format(song.title))
            else:
                favorites.add(song)
                self.message.emit(tr("Added to favorites: {0}").format(song.title))
        except KtvError as exc:
            self.message.emit(self.bridge.message(exc))
        self.favoritesChanged.emit()

    def preview(self, song: Song) -> None:
        session = self.services.session
        if session is not None:
            self.bridge.spawn(session.preview(song), "preview")

    def details(self, song: Song) -> None:
        self.bridge.spawn(self._details(song), "details")

    # ---- my playlists (storage) ------------------------------------------------------

    def my_playlists(self) -> list[tuple[int, str]]:
        db = self.services.user_db
        if db is None:
            return []
        try:
            return [(p.id, p.name) for p in db.playlists.summaries()]
        except KtvError as exc:
            self.message.emit(self.bridge.message(exc))
            return []

    def add_to_playlist(self, song: Song, playlist_id: int) -> bool:
        db = self.services.user_db
        if db is None:
            return False
        try:
            db.playlists.add(playlist_id, song)
            name = db.playlists.get(playlist_id).name
        except KtvError as exc:
            self.message.emit(self.bridge.message(exc))
            return False
        self.message.emit(tr("Added to “{1}”: {0}").format(song.title, name))
        self.playlistsChanged.emit()
        return True

    def add_to_new_playlist(self, song: Song, name: str | None = None) -> int | None:
        """A new playlist holding `song`; asks for the name unless given."""
        db = self.services.user_db
        if db is None:
            return None
        if name is None:
            parent = self.parent()
            text, ok = QInputDialog.getText(
                parent if isinstance(parent, QWidget) else None,
                tr("New playlist"),
                tr("Name of the new playlist:"),
            )
            if not ok:
                return None
            name = text
        try:
            playlist_id = db.playlists.create(name, [song])
        except KtvError as exc:
            self.message.emit(self.bridge.message(exc))
            return None
        self.message.emit(tr("Added to “{1}”: {0}").format(song.title, name.strip()))
        self.playlistsChanged.emit()
        return playlist_id

    def playlist_menu(self, song: Song, parent: QWidget) -> QMenu:
        """ "Add to playlist" → each of my playlists, and a new one."""
        menu = QMenu(tr("Add to playlist"), parent)
        menu.setIcon(icon("playlist"))
        for playlist_id, name in self.my_playlists():
            action = menu.addAction(name)
            action.triggered.connect(lambda _=False, pid=playlist_id: self.add_to_playlist(song, pid))
        menu.addSeparator()
        new = menu.addAction(tr("New playlist…"))
        new.triggered.connect(lambda _=False: self.add_to_new_playlist(song))
        return menu

    async def _details(self, song: Song) -> None:
        lines = [song.title, tr("Singer: {0}").format(song.singers_text or "–")]
        if song.album:
            lines.append(tr("Album: {0}").format(song.album))
        lines.append(tr("Duration: {0}").format(format_ms(song.duration_ms)))
        lines.append(tr("Catalog: {0}").format(song.provider))
        provider = self.services.providers.get(song.provider)
        if provider is not None:
            try:
                found = await provider.details([song.id])
            except KtvError as exc:
                lines.append(self.bridge.message(exc))
            else:
                for detail in found[:1]:
                    if detail.genres:
                        lines.append(tr("Genre: {0}").format(", ".join(detail.genres)))
                    if detail.language:
                        lines.append(tr("Language: {0}").format(detail.language))
                    if detail.chorus_clips:
                        clip = detail.chorus_clips[0]
                        lines.append(
                            tr("Chorus: {0}–{1}").format(format_ms(clip.begin_ms), format_ms(clip.end_ms))
                        )
        self.details_song = song
        self.detailsReady.emit("\n".join(lines))

    def menu_actions(self, song: Song, parent: QObject) -> list[QAction]:
        favorite = self.is_favorite(song)
        items: list[tuple[str, str, Callable[[Song], None]]] = [
            ("add", tr("点歌 Add to queue"), self.enqueue),
            ("top", tr("优先 Play next"), self.enqueue_next),
            (
                "heart",
                tr("Remove from favorites") if favorite else tr("Add to favorites"),
                self.toggle_favorite,
            ),
            ("preview", tr("Preview the chorus"), self.preview),
            ("info", tr("Details"), self.details),
        ]
        actions = []
        for icon_name, text, handler in items:
            action = QAction(icon(icon_name), text, parent)
            action.triggered.connect(lambda _=False, h=handler: h(song))
            actions.append(action)
        if self.services.user_db is not None and isinstance(parent, QWidget):
            actions.insert(3, self.playlist_menu(song, parent).menuAction())
        return actions


class LoadState(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    READY = "ready"
    EMPTY = "empty"
    ERROR = "error"


class SongListPanel(QWidget):
    """A song table with a state line and cursor paging; `load(fetch)` starts a new list.

    A new `load` cancels the previous request, and a late answer of an older list is
    dropped by its generation number, so fast typing never shows stale results.
    """

    stateChanged = Signal(str)

    def __init__(self, actions: SongActions, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.song_actions = actions
        self.bridge = actions.bridge
        self.empty_text = empty_text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel(empty_text)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = SongTable(actions)
        layout.addWidget(self.table, 1)
        self.table.nearEnd.connect(self.more)
        self.state = LoadState.IDLE
        self.error_text = ""
        self._fetch: Fetch | None = None
        self._cursor: str | None = None
        self._generation = 0
        self._task: asyncio.Task[None] | None = None
        self.requests = 0  # pages asked for (tests read it)

    @property
    def songs(self) -> list[Song]:
        return self.table.song_model.songs

    def clear(self, text: str | None = None) -> None:
        self._cancel()
        self._fetch = None
        self._cursor = None
        self.table.song_model.reset()
        self._set_state(LoadState.IDLE, text or self.empty_text)

    def load(self, fetch: Fetch) -> None:
        self._cancel()
        self._fetch = fetch
        self._cursor = None
        self.table.song_model.reset()
        self._start_page(first=True)

    def show_songs(
        self, songs: list[Song], empty_text: str, unavailable: dict[str, str] | None = None
    ) -> None:
        """A list already in memory (favorites, history); `unavailable`: key → reason."""
        self._cancel()
        self._fetch = None
        self.table.song_model.reset(songs, unavailable)
        if songs:
            self._set_state(LoadState.READY, "")
        else:
            self._set_state(LoadState.EMPTY, empty_text)

    def more(self) -> None:
        if self._fetch is not None and self._cursor is not None and self.state is LoadState.READY:
            self._start_page(first=False)

    def _cancel(self) -> None:
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _start_page(self, *, first: bool) -> None:
        self._set_state(LoadState.LOADING, tr("Loading…") if first else self.status.text())
        generation = self._generation
        try:
            self._task = self.bridge.services.tasks.spawn(self._page(generation, first), name="song-page")
        except RuntimeError:
            self._set_state(LoadState.ERROR, tr("Not ready yet. Try again in a moment."))

    async def _page(self, generation: int, first: bool) -> None:
        fetch = self._fetch
        assert fetch is not None
        self.requests += 1
        try:
            page = await fetch(self._cursor)
        except asyncio.CancelledError:
            raise
        except KtvError as exc:
            if generation == self._generation:
                self.error_text = self.bridge.message(exc)
                self._set_state(LoadState.ERROR, self.error_text)
            return
        except Exception as exc:
            log.exception("song list page failed")
            if generation == self._generation:
                self.error_text = tr("Something went wrong: {0}").format(type(exc).__name__)
                self._set_state(LoadState.ERROR, self.error_text)
            return
        if generation != self._generation:
            return
        self._cursor = page.cursor
        self.table.song_model.append(page.items)
        if not self.songs:
            self._set_state(LoadState.EMPTY, tr("No songs found."))
        else:
            more = tr(" — scroll for more") if page.has_more else ""
            self._set_state(LoadState.READY, tr("%n song(s)", None, len(self.songs)) + more)
            if page.has_more and first:
                self.table._check_near_end()  # a short first page may not fill the view

    def _set_state(self, state: LoadState, text: str) -> None:
        self.state = state
        self.status.setText(text)
        self.status.setObjectName("error" if state is LoadState.ERROR else "muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.stateChanged.emit(state.value)


__all__ = ["LoadState", "SongActions", "SongListPanel", "SongTable", "SongTableModel", "format_ms"]
