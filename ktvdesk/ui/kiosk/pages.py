"""The kiosk's pages: keypad search, singers A–Z, categories, charts and the queue.

Every page loads through the window's one `LatestRequest` (the newest request wins), so
fast typing never shows an old result.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ktvdesk.catalog.base import CatalogProvider
from ktvdesk.catalog.capabilities import singer_directory
from ktvdesk.kiosk.keypad import keypad_matches
from ktvdesk.models import Song
from ktvdesk.session import KaraokeSession
from ktvdesk.ui import owner_badge
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.kiosk.touch import big_button, initial_avatar, touch_scroll_area
from ktvdesk.ui.latest import LatestRequest

log = logging.getLogger(__name__)

KEYPAD_ROWS = ("ABCDEFG", "HIJKLMN", "OPQRST", "UVWXYZ", "1234567890")
SEARCH_DEBOUNCE_MS = 250
PAGE_SIZE = 30


def _clear(layout: QVBoxLayout | QGridLayout | QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)  # gone from the tree now (a tap may be the caller)
            widget.deleteLater()


class SongList(QWidget):
    """Results as big rows: title and singer, 点歌 and 优先 buttons."""

    changed = Signal()

    def __init__(self, on_add: Callable[[Song, bool], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_add = on_add
        self.songs: list[Song] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setObjectName("kioskMessage")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.status)
        body = QWidget()
        self.rows = QVBoxLayout(body)
        self.rows.setAlignment(Qt.AlignmentFlag.AlignTop)
        outer.addWidget(touch_scroll_area(body), 1)

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_songs(self, songs: Sequence[Song], empty_text: str = "") -> None:
        self.songs = list(songs)
        _clear(self.rows)
        for song in self.songs:
            self.rows.addWidget(self._row(song))
        self.set_status("" if self.songs else empty_text)
        self.changed.emit()

    def _row(self, song: Song) -> QFrame:
        row = QFrame()
        row.setObjectName("kioskSongRow")
        layout = QHBoxLayout(row)
        text = QVBoxLayout()
        title = QLabel(song.title)
        title.setObjectName("kioskSongTitle")
        singer = QLabel(song.singers_text)
        singer.setObjectName("kioskSongSinger")
        text.addWidget(title)
        text.addWidget(singer)
        layout.addLayout(text, 1)
        badge = owner_badge.badge_label(song, 56)
        if badge is not None:
            layout.addWidget(badge)
        add = big_button(tr("Add"), name="kioskAdd")
        add.setMaximumWidth(160)
        add.clicked.connect(lambda: self._on_add(song, False))
        first = big_button(tr("Sing next"), name="kioskAddNext")
        first.setMaximumWidth(160)
        first.clicked.connect(lambda: self._on_add(song, True))
        layout.addWidget(add)
        layout.addWidget(first)
        return row


class KeypadSearchPage(QWidget):
    """The classic KTV keypad: letters for pinyin initials or full pinyin, digits too."""

    def __init__(
        self,
        provider: CatalogProvider | None,
        loader: LatestRequest,
        on_add: Callable[[Song, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.provider = provider
        self.loader = loader
        self.query = ""
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.query_label = QLabel()
        self.query_label.setObjectName("kioskQuery")
        left.addWidget(self.query_label)
        pad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for row, letters in enumerate(KEYPAD_ROWS):
            for column, letter in enumerate(letters):
                key = big_button(letter, name=f"key{letter}", height=64)
                key.clicked.connect(lambda _=False, c=letter: self.type_key(c))
                pad.addWidget(key, row, column)
                self.keys[letter] = key
        left.addLayout(pad)
        edit_row = QHBoxLayout()
        self.back_key = big_button(tr("Delete"), name="keyBack")
        self.back_key.clicked.connect(self.backspace)
        self.clear_key = big_button(tr("Clear"), name="keyClear")
        self.clear_key.clicked.connect(self.clear)
        edit_row.addWidget(self.back_key)
        edit_row.addWidget(self.clear_key)
        left.addLayout(edit_row)
        left.addStretch(1)
        layout.addLayout(left, 2)
        self.results = SongList(on_add)
        layout.addWidget(self.results, 3)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.searches_done = 0
        self._show_query()

    def type_key(self, char: str) -> None:
        self.query += char.lower()
        self._changed()

    def backspace(self) -> None:
        self.query = self.query[:-1]
        self._changed()

    def clear(self) -> None:
        self.query = ""
        self._changed()

    def _show_query(self) -> None:
        self.query_label.setText(self.query.upper() or tr("Tap the first letters of the song, e.g. M L H"))

    def _changed(self) -> None:
        self._show_query()
        self._debounce.start()

    def search_now(self) -> None:
        query = self.query
        if not query or self.provider is None:
            self.loader.cancel()  # a pending answer for an older query is dropped
            self.results.set_songs([])
            self.searches_done += 1
            return
        self.results.set_status(tr("Searching…"))

        def show(page: Any) -> None:
            songs = [song for song in page.items if keypad_matches(song, query)][:PAGE_SIZE]
            self.results.set_songs(songs, tr("No song matches “{0}”.").format(query.upper()))
            self.searches_done += 1

        provider = self.provider
        # Twice the page: the catalog's substring matches (album…) are dropped by `show`.
        self.loader.load(lambda: provider.search(query, limit=2 * PAGE_SIZE), show, name="kiosk-search")


class SingersPage(QWidget):
    """Singers A–Z: a letter strip, a wall of singers (initial avatars), then their songs."""

    loaded = Signal()

    def __init__(
        self,
        provider: CatalogProvider | None,
        loader: LatestRequest,
        on_add: Callable[[Song, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.provider = provider
        # The catalog's singers (the local index, or a cloud's charts): the wall's source.
        self.directory = singer_directory(provider)
        self.loader = loader
        layout = QVBoxLayout(self)
        letters = QGridLayout()  # two rows: 27 finger-sized keys do not fit one 1280 px line
        self.letter_buttons: dict[str, QPushButton] = {}
        for index, letter in enumerate(["*", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ"]):
            text = tr("All") if letter == "*" else letter
            button = big_button(text, name=f"singerLetter{letter}", height=52)
            button.clicked.connect(lambda _=False, c=letter: self.show_letter(None if c == "*" else c))
            letters.addWidget(button, index // 14, index % 14)
            self.letter_buttons[letter] = button
        layout.addLayout(letters)
        wall = QWidget()
        self.wall = QGridLayout(wall)
        self.wall.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.wall_area = touch_scroll_area(wall)
        layout.addWidget(self.wall_area, 1)
        self.songs = SongList(on_add)
        self.songs.hide()
        layout.addWidget(self.songs, 1)
        self.back = big_button(tr("Back to singers"), name="singersBack")
        self.back.clicked.connect(self._show_wall)
        self.back.hide()
        layout.addWidget(self.back)
        self.singer_buttons: dict[str, QPushButton] = {}

    def show_letter(self, letter: str | None) -> None:
        directory = self.directory
        if directory is None:
            return
        self._show_wall()
        self.loader.load(lambda: directory.singers(letter, limit=120), self._fill, name="kiosk-singers")

    def _fill(self, singers: list[tuple[str, int]]) -> None:
        _clear(self.wall)
        self.singer_buttons.clear()
        for index, (name, count) in enumerate(singers):
            button = QPushButton("{}\n{}".format(name, tr("%n song(s)", None, count)))
            button.setObjectName("kioskSinger")
            button.setIcon(QIcon(initial_avatar(name)))
            button.setIconSize(initial_avatar(name).size() / 2)
            button.setMinimumSize(180, 96)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, n=name: self.open_singer(n))
            self.wall.addWidget(button, index // 5, index % 5)
            self.singer_buttons[name] = button
        self.loaded.emit()

    def open_singer(self, name: str) -> None:
        directory = self.directory
        if directory is None:
            return
        self.wall_area.hide()
        self.songs.show()
        self.back.show()
        self.songs.set_status(tr("Loading…"))
        self.loader.load(
            lambda: directory.songs_of_singer(name, limit=PAGE_SIZE),
            lambda page: self.songs.set_songs(page.items, tr("No songs.")),
            name="kiosk-singer-songs",
        )

    def _show_wall(self) -> None:
        self.songs.hide()
        self.back.hide()
        self.wall_area.show()


class CategoriesPage(QWidget):
    """Tag groups as rows of big buttons; a tap lists the songs of that tag."""

    loaded = Signal()

    def __init__(
        self,
        provider: CatalogProvider | None,
        loader: LatestRequest,
        on_add: Callable[[Song, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.provider = provider
        self.loader = loader
        layout = QHBoxLayout(self)
        tags = QWidget()
        self.tag_rows = QVBoxLayout(tags)
        self.tag_rows.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(touch_scroll_area(tags), 2)
        self.songs = SongList(on_add)
        layout.addWidget(self.songs, 3)
        self.tag_buttons: dict[str, QPushButton] = {}

    def refresh(self) -> None:
        provider = self.provider
        if provider is not None:
            self.loader.load(provider.tags, self._fill, name="kiosk-tags")

    def _fill(self, groups: list[Any]) -> None:
        _clear(self.tag_rows)
        self.tag_buttons.clear()
        for group in groups:
            if group.id == "initial" or not group.tags:
                continue  # singers by initial have their own page
            heading = QLabel(group.name)
            heading.setObjectName("kioskHeading")
            self.tag_rows.addWidget(heading)
            grid_host = QWidget()
            grid = QGridLayout(grid_host)
            for index, tag in enumerate(group.tags):
                button = big_button(tag.name, name="kioskTag")
                button.clicked.connect(lambda _=False, t=tag.id: self.open_tag(t))
                grid.addWidget(button, index // 3, index % 3)
                self.tag_buttons[tag.id] = button
            self.tag_rows.addWidget(grid_host)
        self.loaded.emit()

    def open_tag(self, tag_id: str) -> None:
        provider = self.provider
        if provider is None:
            return
        self.songs.set_status(tr("Loading…"))
        self.loader.load(
            lambda: provider.songs_by_tag(tag_id, limit=PAGE_SIZE),
            lambda page: self.songs.set_songs(page.items, tr("No songs.")),
            name="kiosk-tag-songs",
        )


class ChartsPage(QWidget):
    """排行: the songs sung most in this room (from the play history in storage)."""

    def __init__(
        self,
        most_sung: Callable[[], Awaitable[list[Song]]],
        loader: LatestRequest,
        on_add: Callable[[Song, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._most_sung = most_sung
        self.loader = loader
        layout = QVBoxLayout(self)
        heading = QLabel(tr("Most sung here"))
        heading.setObjectName("kioskHeading")
        layout.addWidget(heading)
        self.songs = SongList(on_add)
        layout.addWidget(self.songs, 1)

    def refresh(self) -> None:
        self.loader.load(
            self._most_sung,
            lambda songs: self.songs.set_songs(songs, tr("Nothing has been sung here yet. Be the first!")),
            name="kiosk-charts",
        )


class QueuePage(QWidget):
    """已点: the song on now, then each queued song with 优先 and remove."""

    changed = Signal()

    def __init__(self, session: KaraokeSession | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        self.now_label = QLabel()
        self.now_label.setObjectName("kioskHeading")
        layout.addWidget(self.now_label)
        body = QWidget()
        self.rows = QVBoxLayout(body)
        self.rows.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(touch_scroll_area(body), 1)
        self.entry_ids: list[int] = []

    def refresh(self) -> None:
        session = self.session
        _clear(self.rows)
        self.entry_ids = []
        if session is None:
            return
        now = session.now_playing
        self.now_label.setText(
            tr("Now singing: {0} — {1}").format(now.song.title, now.song.singers_text)
            if now is not None and not now.preview
            else tr("Nothing is playing.")
        )
        if not session.upcoming:
            empty = QLabel(tr("No songs queued. Pick one!"))
            empty.setObjectName("kioskMessage")
            self.rows.addWidget(empty)
        for number, entry in enumerate(session.upcoming, start=1):
            row = QFrame()
            row.setObjectName("kioskSongRow")
            line = QHBoxLayout(row)
            label = QLabel(f"{number}. {entry.item.title} — {entry.item.singers_text}")
            label.setObjectName("kioskSongTitle")
            line.addWidget(label, 1)
            top = big_button(tr("Sing next"), name="queueTop")
            top.setMaximumWidth(160)
            top.setEnabled(number > 1)
            top.clicked.connect(lambda _=False, e=entry.entry_id: self._top(e))
            remove = big_button(tr("Remove"), name="queueRemove")
            remove.setMaximumWidth(160)
            remove.clicked.connect(lambda _=False, e=entry.entry_id: self._remove(e))
            line.addWidget(top)
            line.addWidget(remove)
            self.rows.addWidget(row)
            self.entry_ids.append(entry.entry_id)

    def _top(self, entry_id: int) -> None:
        if self.session is not None:
            self.session.move_to_top(entry_id)

    def _remove(self, entry_id: int) -> None:
        if self.session is not None:
            self.session.remove(entry_id)
