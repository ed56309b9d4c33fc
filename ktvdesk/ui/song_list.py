"""Song results: the table model, the view with its song actions, and the paged loader.

Every page that lists songs (search, tags, singers, playlists, favorites, history) uses
these three, so paging, the empty/loading/error states and the actions behave the same
everywhere.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QContextMenuEvent, QIcon, QKeyEvent, QPixmap, QResizeEvent
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
from ktvdesk.ui import cloud_accounts, owner_badge
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.bulk_release import release_elsewhere
from ktvdesk.ui.covers import CoverCache, cover_path, shared_covers
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.latest import LatestRequest
from ktvdesk.ui.user_data_jobs import UserDataJobs

if TYPE_CHECKING:
    from ktvdesk.storage import UserDatabase

log = logging.getLogger(__name__)

T = TypeVar("T")

COVER_PX = 40
# Load the next page when the view is scrolled this close to the bottom (rows).
PREFETCH_ROWS = 8

ModelIndex = QModelIndex | QPersistentModelIndex
Fetch = Callable[[str | None], Awaitable[Page[Song]]]


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_USER = int(Qt.ItemDataRole.UserRole)
_ANSWERED = frozenset((_DISPLAY, _DECORATION, _TOOLTIP, _FOREGROUND, _USER))


def format_ms(ms: int | None) -> str:
    if ms is None or ms < 0:
        return "–"
    seconds = ms // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def badges_text(song: Song) -> str:
    parts = [tr("精选")] if song.recommended else []  # Yinsuda RecommendType "Featured"
    if song.rights.can_play:
        parts.append(tr("可播"))
    if song.rights.can_sing:
        parts.append(tr("可唱"))
    if song.has_lyrics:
        parts.append(tr("Lyrics"))
    elif not song.lyrics_known:
        parts.append(tr("Lyrics?"))  # the catalog says only when the song is played
    if song.has_pitch:
        parts.append(tr("Pitch"))
    return " · ".join(parts)


class SongTableModel(QAbstractTableModel):
    COLUMNS = ("", "Title", "Singer", "Duration", "Available")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.songs: list[Song] = []
        self.covers: CoverCache = shared_covers()
        self._waiting: dict[str, set[int]] = {}  # cover path → rows painted before it was decoded
        self.covers.ready.connect(self._cover_ready)
        self.favorite: Callable[[Song], bool] = lambda song: False
        # Song key → why it cannot be played now (stored songs): greyed, never hidden.
        self.unavailable: dict[str, str] = {}
        self._keys: list[str] | None = None  # the rows' song keys, made when first asked
        self._placeholder = icon("note")  # one icon: a new one per painted cell read its SVG again

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

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        # Asked about 40 times per painted row, mostly for roles nothing here answers:
        # those return first, and the roles compare as plain ints (the enums are slow).
        if role not in _ANSWERED or not index.isValid():
            return None
        song = self.songs[index.row()]
        column = index.column()
        reason = self.unavailable.get(song.key) if self.unavailable else None
        if reason is not None:
            if role == _FOREGROUND:
                return QColor(Qt.GlobalColor.gray)
            if role == _TOOLTIP:
                return tr("Unavailable: {0}").format(reason)
            if role == _DISPLAY and column == 4:
                return tr("Unavailable: {0}").format(reason)
        if role == _DISPLAY:
            if column == 1:
                return ("♥ " if self.favorite(song) else "") + song.title
            if column == 2:
                return song.singers_text
            if column == 3:
                return format_ms(song.duration_ms)
            if column == 4:
                return badges_text(song)
        elif role == _DECORATION:
            if column == 0:
                return self._cover(song, index.row())
            if column == 4 and song.needs_owner_badge:
                return owner_badge.badge_icon()
        elif role == _TOOLTIP:
            if column == 4 and song.needs_owner_badge:
                return owner_badge.badge_tooltip()
            if column == 4 and not song.lyrics_known:
                return tr("This catalog does not say whether the song has lyrics until it is played.")
            return f"{song.title} — {song.singers_text}"
        elif role == _USER:
            return song
        return None

    def _cover(self, song: Song, row: int) -> QPixmap | QIcon:
        # Local covers are files; remote cover URLs are not fetched by the UI (providers
        # own HTTP), so cloud songs show the placeholder. Decoded off the GUI thread: the
        # placeholder shows until `_cover_ready` repaints the row.
        path = cover_path(song.covers, "small", "large")
        if path is not None:
            pixmap = self.covers.get(path, COVER_PX)
            if pixmap is None:
                self._waiting.setdefault(path, set()).add(row)
            elif not pixmap.isNull():
                return pixmap
        return self._placeholder

    def _cover_ready(self, path: str, size_px: int) -> None:
        rows = self._waiting.pop(path, None) if size_px == COVER_PX else None
        for row in sorted(rows or ()):
            if row < len(self.songs):
                cell = self.index(row, 0)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DecorationRole])

    def reset(
        self, songs: list[Song] | tuple[Song, ...] = (), unavailable: dict[str, str] | None = None
    ) -> None:
        self.beginResetModel()
        release_elsewhere((self.songs, self.unavailable))  # 10,000 songs take 15 ms to free
        self.songs = list(songs)
        self._keys = None
        self.unavailable = dict(unavailable or {})
        self._waiting.clear()
        self.endResetModel()

    def append(self, songs: tuple[Song, ...]) -> None:
        if not songs:
            return
        start = len(self.songs)
        self.beginInsertRows(QModelIndex(), start, start + len(songs) - 1)
        self.songs.extend(songs)
        if self._keys is not None:
            self._keys.extend(song.key for song in songs)
        self.endInsertRows()

    def refresh_marks(self) -> None:
        if self.songs:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.songs) - 1, 1))

    def rows_of(self, key: str) -> list[int]:
        # The keys are kept: making 10,000 of them for each toggle cost a frame.
        keys = self._keys
        if keys is None:
            keys = self._keys = [song.key for song in self.songs]
        rows: list[int] = []
        with contextlib.suppress(ValueError):  # list.index: the scan runs in C
            while True:
                rows.append(keys.index(key, rows[-1] + 1 if rows else 0))
        return rows

    def refresh_mark(self, song: Song) -> None:
        """One song's heart changed: only its rows repaint (all of them, on a long list,
        cost a frame)."""
        for row in self.rows_of(song.key):
            cell = self.index(row, 1)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def insert(self, row: int, song: Song, reason: str | None = None) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self.songs.insert(row, song)
        if self._keys is not None:
            self._keys.insert(row, song.key)
        if reason is not None:
            self.unavailable[song.key] = reason
        self._shift_waiting(row, +1)
        self.endInsertRows()

    def remove(self, key: str) -> None:
        """Every row of the song `key` (a list may hold a song twice)."""
        for row in reversed(self.rows_of(key)):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.songs[row]
            if self._keys is not None:
                del self._keys[row]
            self._shift_waiting(row, -1)
            self.endRemoveRows()
        self.unavailable.pop(key, None)

    def _shift_waiting(self, from_row: int, by: int) -> None:
        # Rows waiting for a cover move with the rows below the change.
        for path, rows in self._waiting.items():
            kept = rows if by > 0 else rows - {from_row}
            self._waiting[path] = {row + by if row >= from_row else row for row in kept}


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
        actions.favoriteToggled.connect(self.song_model.refresh_mark)
        actions.favoriteKeysKnown.connect(self.song_model.refresh_marks)

    # Below these widths the narrower columns go (the title always keeps room): the
    # Categories and Singers panes give the table a third of a 1024-px window.
    NARROW_PX = 640
    TINY_PX = 420

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        self.setColumnHidden(4, width < self.NARROW_PX)
        self.setColumnHidden(3, width < self.TINY_PX)
        self.setColumnHidden(0, width < self.TINY_PX)
        self.horizontalHeader().resizeSection(2, max(90, min(170, width // 4)))

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
    """What can be done to a song from any list: 点歌, 优先, favorite, preview, details.

    Favourites and playlists are read and written through the user-data writer thread
    (`jobs`): a list paints its hearts from the favourites' keys, read once and kept up to
    date by the toggles made here; the "Add to playlist" menu lists the playlists known so
    far and fills in the stored ones as soon as they are read.
    """

    favoriteToggled = Signal(object, bool)  # (Song, added): the lists update that song's rows only
    favoriteKeysKnown = Signal()  # the stored favourites' keys were read (the hearts repaint)
    playlistsChanged = Signal()
    message = Signal(str)
    detailsReady = Signal(str)
    chorusChecked = Signal(str)  # song key: whether it has a chorus clip is now known

    def __init__(self, bridge: SessionBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.services = bridge.services
        self.details_song: Song | None = None  # the song of the last details text
        self._favorite_keys: set[str] | None = None
        self._reading_keys = False
        self._playlists: list[tuple[int, str]] | None = None  # (id, name), as last read
        self.jobs = UserDataJobs(self.services, lambda exc: self.message.emit(self.bridge.message(exc)))
        bridge.favoritesChanged.connect(self._favorites_changed_elsewhere)
        self._has_chorus: dict[str, bool] = {}  # song key → a chorus clip exists (local songs)

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
        """Asked for every painted row: answered from the keys in memory. Until the stored
        keys have been read (off the GUI thread) no row shows a heart; `favoriteKeysKnown`
        repaints them."""
        keys = self._favorite_keys
        if keys is None:
            self._read_favorite_keys()
            return False
        return song.key in keys

    def _favorites_changed_elsewhere(self) -> None:
        """A phone starred a song (through the session): the hearts are read again."""
        self._favorite_keys = None
        self._read_favorite_keys()

    def _read_favorite_keys(self) -> None:
        if not self.jobs.available:  # no database: this run's favourites, in memory
            self._favorite_keys = set(self.services.favorites.keys())
            return
        if self._reading_keys:
            return

        def known(keys: set[str]) -> None:
            self._reading_keys = False
            self._favorite_keys = keys
            self.favoriteKeysKnown.emit()

        def failed(exc: KtvError) -> None:
            self._reading_keys = False
            log.warning("favorites unreadable: %s", exc.detail)

        self._reading_keys = self.jobs.run(
            lambda db: db.favorites.keys(), known, name="favorite-keys", failed=failed
        )

    def toggle_favorite(self, song: Song) -> None:
        """Add the song to the favourites, or remove it if it is one (decided and stored on
        the writer thread, so two quick toggles act in the order made)."""
        if not self.jobs.available:
            favorites = self.services.favorites
            self._favorite_toggled(song, not favorites.remove(song) and favorites.add(song))
            return

        def toggle(db: UserDatabase) -> bool:
            return not db.favorites.remove(song) and db.favorites.add(song)

        self.jobs.run(toggle, lambda added: self._favorite_toggled(song, added), name="favorite-toggle")

    def _favorite_toggled(self, song: Song, added: bool) -> None:
        keys = self._favorite_keys
        if keys is not None:
            if added:
                keys.add(song.key)
            else:
                keys.discard(song.key)
        cloud_accounts.favorite_changed(self.services, song, added)
        if added:
            self.message.emit(tr("Added to favorites: {0}").format(song.title))
        else:
            self.message.emit(tr("Removed from favorites: {0}").format(song.title))
        self.favoriteToggled.emit(song, added)

    def preview(self, song: Song) -> None:
        session = self.services.session
        if session is not None:
            self.bridge.spawn(session.preview(song), "preview")

    def check_chorus(self, song: Song, action: QAction) -> None:
        """Grey "Preview the chorus" for a song that has no chorus clip. Local songs find
        theirs in their lyrics (off the GUI thread); cloud catalogs always have one."""
        finder = getattr(self.services.providers.get(song.provider), "chorus", None)
        if not callable(finder):
            return
        known = self._has_chorus.get(song.key)
        if known is not None:
            _show_chorus(action, known)
            return
        action.setEnabled(False)
        action.setToolTip(tr("Looking for the chorus…"))
        self.bridge.spawn(self._find_chorus(song, finder, action), "chorus-check")

    async def _find_chorus(
        self, song: Song, finder: Callable[[Song], Awaitable[object]], action: QAction
    ) -> None:
        try:
            found = await finder(song) is not None
        except KtvError as exc:
            log.info("no chorus for %s: %s", song.key, exc.detail)
            found = False
        self._has_chorus[song.key] = found
        with contextlib.suppress(RuntimeError):  # the menu closed meanwhile (its actions are gone)
            _show_chorus(action, found)
        self.chorusChecked.emit(song.key)

    def has_chorus(self, song: Song) -> bool | None:
        """Known answer of `check_chorus` (None: not asked yet, or a cloud song)."""
        return self._has_chorus.get(song.key)

    def details(self, song: Song) -> None:
        self.bridge.spawn(self._details(song), "details")

    # ---- my playlists (storage) ------------------------------------------------------

    def add_to_playlist(self, song: Song, playlist_id: int) -> None:
        def add(db: UserDatabase) -> str:
            db.playlists.add(playlist_id, song)
            return db.playlists.get(playlist_id).name

        self._store(add, lambda name: self._added(song, name))

    def add_to_new_playlist(self, song: Song, name: str | None = None) -> None:
        """A new playlist holding `song`; asks for the name unless given."""
        if not self.jobs.available:
            return
        if name is None:
            parent = self.parent()
            text, ok = QInputDialog.getText(
                parent if isinstance(parent, QWidget) else None,
                tr("New playlist"),
                tr("Name of the new playlist:"),
            )
            if not ok:
                return
            name = text
        chosen = name
        self._store(
            lambda db: db.playlists.create(chosen, [song]), lambda _id: self._added(song, chosen.strip())
        )

    def _added(self, song: Song, playlist_name: str) -> None:
        self.message.emit(tr("Added to “{1}”: {0}").format(song.title, playlist_name))
        self.playlistsChanged.emit()

    def _store(self, change: Callable[[UserDatabase], T], done: Callable[[T], None]) -> None:
        """A playlist change on the user-data writer thread, in the order made; `done`
        back on the GUI thread once it is stored, errors as a message."""
        self.jobs.run(change, done, name="playlist-change")

    async def settled(self) -> None:
        """Until every favourite and playlist job made so far is answered (tests, benchmarks)."""
        await self.jobs.settled()

    def playlist_menu(self, song: Song, parent: QWidget) -> QMenu:
        """ "Add to playlist" → each of my playlists, and a new one. The playlists are read
        off the GUI thread: the menu lists those known so far at once (none, the first
        time) and is filled in again when the read answers."""
        menu = QMenu(tr("Add to playlist"), parent)
        menu.setIcon(icon("playlist"))
        self._fill_playlist_menu(menu, song)

        def read(db: UserDatabase) -> list[tuple[int, str]]:
            return [(summary.id, summary.name) for summary in db.playlists.summaries()]

        def known(playlists: list[tuple[int, str]]) -> None:
            self._playlists = playlists
            if shiboken6.isValid(menu):  # closed and deleted meanwhile: nothing to fill
                self._fill_playlist_menu(menu, song)

        self.jobs.run(read, known, name="playlist-menu")
        return menu

    def _fill_playlist_menu(self, menu: QMenu, song: Song) -> None:
        menu.clear()
        if self._playlists is None:
            menu.addAction(tr("Loading…")).setEnabled(False)
        for playlist_id, name in self._playlists or ():
            action = menu.addAction(name)
            action.triggered.connect(lambda _=False, pid=playlist_id: self.add_to_playlist(song, pid))
        menu.addSeparator()
        new = menu.addAction(tr("New playlist…"))
        new.triggered.connect(lambda _=False: self.add_to_new_playlist(song))

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
                    if detail.bpm:
                        lines.append(tr("Tempo: {0} BPM").format(detail.bpm))
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
            action.setObjectName(f"songAction_{icon_name}")
            action.triggered.connect(lambda _=False, h=handler: h(song))
            actions.append(action)
            if icon_name == "preview":
                self.check_chorus(song, action)
        if isinstance(parent, QMenu):
            parent.setToolTipsVisible(True)  # a greyed action says why
        if self.jobs.available and isinstance(parent, QWidget):
            actions.insert(3, self.playlist_menu(song, parent).menuAction())
        return actions


def _show_chorus(action: QAction, found: bool) -> None:
    action.setEnabled(found)
    action.setText(tr("Preview the chorus") if found else tr("Preview the chorus (this song has none)"))
    action.setToolTip(
        tr("Plays the chorus clip outside the queue")
        if found
        else tr("No chorus clip: the lyrics of this song repeat no section.")
    )


class LoadState(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    READY = "ready"
    EMPTY = "empty"
    ERROR = "error"


class SongListPanel(QWidget):
    """A song table with a state line and cursor paging; `load(fetch)` starts a new list.

    Pages load through a `LatestRequest`: a new `load` drops the previous list's
    answer, so fast typing never shows stale results.
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
        self.loader = LatestRequest(self.bridge, self._failed)
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

    def insert_song(self, row: int, song: Song, reason: str | None = None) -> None:
        """One song more in a list shown by `show_songs` (no reset: its rows stay)."""
        self.table.song_model.insert(row, song, reason)
        self._set_state(LoadState.READY, "")

    def remove_song(self, key: str) -> None:
        """The song `key` leaves a list shown by `show_songs` (no reset)."""
        self.table.song_model.remove(key)
        if not self.songs:
            self._set_state(LoadState.EMPTY, self.empty_text)

    def more(self) -> None:
        if self._fetch is not None and self._cursor is not None and self.state is LoadState.READY:
            self._start_page(first=False)

    def _cancel(self) -> None:
        self.loader.cancel()

    def _start_page(self, *, first: bool) -> None:
        fetch, cursor = self._fetch, self._cursor
        assert fetch is not None
        self._set_state(LoadState.LOADING, tr("Loading…") if first else self.status.text())

        def request() -> Awaitable[Page[Song]]:
            self.requests += 1
            return fetch(cursor)

        if not self.loader.load(request, lambda page: self._show_page(page, first), name="song-page"):
            self._set_state(LoadState.ERROR, tr("Not ready yet. Try again in a moment."))

    def _failed(self, text: str) -> None:
        self.error_text = text
        self._set_state(LoadState.ERROR, text)

    def _show_page(self, page: Page[Song], first: bool) -> None:
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
