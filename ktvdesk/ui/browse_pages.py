"""Browse pages: tags → songs, singers A–Z → songs, playlists → songs, favorites, history,
and the settings overview. Each list on the left loads asynchronously; songs use the
shared `SongListPanel` (paging, states, actions)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.catalog.base import CatalogProvider, SearchFilters
from ktvdesk.catalog.capabilities import PlaylistSearch, PlaylistTags, TagFilters
from ktvdesk.ui.i18n import category_name, tag_name, tr
from ktvdesk.ui.latest import LatestRequest
from ktvdesk.ui.song_list import SongActions, SongListPanel

log = logging.getLogger(__name__)

T = TypeVar("T")
PAGE_SIZE = 30
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + ["#"]


class _BrowsePage(QWidget):
    """Title, a status line, a list on the left and songs on the right."""

    def __init__(
        self, actions: SongActions, title: str, empty_songs: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.song_actions = actions
        self.services = actions.services
        self.bridge = actions.bridge
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.top = QHBoxLayout()
        layout.addLayout(self.top)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(self.splitter, 1)
        self.songs = SongListPanel(actions, empty_songs)
        self.loader = LatestRequest(self.bridge, self.status.setText)
        self.loaded_for: str | None = None

    def provider(self) -> CatalogProvider | None:
        return self.services.providers.get(self.services.active_provider)

    def run_list(self, fetch: Callable[[], Awaitable[T]], done: Callable[[T], None]) -> None:
        """Fetch the left-hand list; a newer request wins, errors go to the status line."""
        self.status.setText(tr("Loading…"))

        def show(result: T) -> None:
            self.status.setText("")
            done(result)

        if not self.loader.load(fetch, show, name="browse-list"):
            self.status.setText(tr("Not ready yet. Try again in a moment."))

    def refresh(self) -> None:
        """Load the page for the active provider (once per provider)."""

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.loaded_for != self.services.active_provider:
            self.loaded_for = self.services.active_provider
            self.refresh()


class TagsPage(_BrowsePage):
    """Tag groups and tags (for the local library: genre, language, 字数, folders).

    A catalog that filters a tag's songs itself (`TagFilters`, Yinsuda) gets the filter
    boxes above the list; changing one reloads the open tag.
    """

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(actions, tr("Categories"), tr("Choose a category."), parent)
        self.filter_row = QWidget()
        row = QHBoxLayout(self.filter_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.playable = QCheckBox(tr("可播 playable"))
        self.singable = QCheckBox(tr("可唱 singable"))
        self.with_lyrics = QCheckBox(tr("Has lyrics"))
        self.with_pitch = QCheckBox(tr("Has pitch line"))
        for box in (self.playable, self.singable, self.with_lyrics, self.with_pitch):
            row.addWidget(box)
            box.toggled.connect(self._filters_changed)
        row.addStretch(1)
        self.top.addWidget(self.filter_row)
        self.filter_row.hide()
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.songs)
        self.splitter.setSizes([240, 600])
        self.tree.itemActivated.connect(self._open)
        self.tree.itemClicked.connect(self._open)
        self.open_tag: str | None = None

    def filters(self) -> SearchFilters:
        return SearchFilters(
            playable_only=self.playable.isChecked(),
            singable_only=self.singable.isChecked(),
            with_lyrics=self.with_lyrics.isChecked(),
            with_pitch=self.with_pitch.isChecked(),
        )

    def refresh(self) -> None:
        self.tree.clear()
        self.songs.clear()
        self.open_tag = None
        provider = self.provider()
        self.filter_row.setVisible(isinstance(provider, TagFilters))
        if provider is None:
            self.status.setText(tr("This catalog is not available."))
            return
        self.run_list(provider.tags, self._show)

    def _show(self, groups: list[Any]) -> None:
        self.tree.clear()
        for group in groups:
            if not group.tags:
                continue
            parent = QTreeWidgetItem([category_name(group.id, group.name)])
            for tag in group.tags:
                child = QTreeWidgetItem([tag_name(tag.id, tag.name)])
                child.setData(0, Qt.ItemDataRole.UserRole, tag.id)
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
        self.tree.expandToDepth(0)
        if not self.tree.topLevelItemCount():
            self.status.setText(tr("This catalog has no categories."))

    def _open(self, item: QTreeWidgetItem) -> None:
        tag_id = item.data(0, Qt.ItemDataRole.UserRole)
        if tag_id:
            self.open_tag = tag_id
            self._load_tag(tag_id)

    def _filters_changed(self) -> None:
        if self.open_tag is not None:
            self._load_tag(self.open_tag)

    def _load_tag(self, tag_id: str) -> None:
        provider = self.provider()
        if isinstance(provider, TagFilters):
            filters = self.filters()
            self.songs.load(
                lambda cursor: provider.filtered_songs_by_tag(tag_id, filters, cursor=cursor, limit=PAGE_SIZE)
            )
        elif provider is not None:
            self.songs.load(lambda cursor: provider.songs_by_tag(tag_id, cursor=cursor, limit=PAGE_SIZE))


class SingersPage(_BrowsePage):
    """歌手点歌: singers A–Z by initial (local library)."""

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(actions, tr("Singers"), tr("Choose a singer."), parent)
        letters = QWidget()
        grid = QGridLayout(letters)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.letter_buttons: dict[str, QPushButton] = {}
        for i, letter in enumerate(LETTERS):
            button = QPushButton(letter)
            button.setObjectName("letter")
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.clicked.connect(lambda _=False, x=letter: self.open_letter(x))
            grid.addWidget(button, i // 14, i % 14)  # two rows: 27 letters fit a 1024-px window
            self.letter_buttons[letter] = button
        self.top.addWidget(letters)
        self.singers = QListWidget()
        self.splitter.addWidget(self.singers)
        self.splitter.addWidget(self.songs)
        self.splitter.setSizes([240, 600])
        self.singers.itemActivated.connect(self._open_singer)
        self.singers.itemClicked.connect(self._open_singer)

    def refresh(self) -> None:
        library = self.services.library
        if library is None:
            self.status.setText(tr("The local library is not available."))
            return
        self.open_letter(None)

    def open_letter(self, letter: str | None) -> None:
        library = self.services.library
        if library is None:
            return
        self.singers.clear()

        def show(rows: list[tuple[str, int]]) -> None:
            self.singers.clear()
            for name, count in rows:
                item = QListWidgetItem(f"{name}  ({count})")
                item.setData(Qt.ItemDataRole.UserRole, name)
                self.singers.addItem(item)
            if not rows:
                self.status.setText(tr("No singers under this letter."))

        self.run_list(lambda: library.singers(letter, limit=500), show)

    def _open_singer(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        library = self.services.library
        if library is not None and name:
            self.songs.load(lambda cursor: library.songs_of_singer(name, cursor=cursor, limit=PAGE_SIZE))


ALBUM = "album"
PLAYLIST_KIND = Qt.ItemDataRole.UserRole + 1


class PlaylistsPage(_BrowsePage):
    """The provider's playlists and charts → songs.

    A catalog with playlist categories (`PlaylistTags`) gets a chooser of them, and one that
    finds playlists and albums by name (`PlaylistSearch`) a search row (both Xiaowei).
    """

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(actions, tr("Playlists"), tr("Choose a playlist."), parent)
        self.source = QComboBox()
        self.source.setObjectName("playlistSource")
        self.source.activated.connect(lambda _index: self._load_source())
        self.top.addWidget(self.source)
        self.find_box = QLineEdit()
        self.find_box.setObjectName("playlistFind")
        self.find_box.setPlaceholderText(tr("Find playlists or albums by name"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.returnPressed.connect(self.find_now)
        self.find_kind = QComboBox()
        self.find_kind.addItem(tr("Playlists"), "playlist")
        self.find_kind.addItem(tr("Albums"), ALBUM)
        self.find_kind.activated.connect(lambda _index: self.find_now())
        self.top.addWidget(self.find_box, 1)
        self.top.addWidget(self.find_kind)
        self.lists = QListWidget()
        self.splitter.addWidget(self.lists)
        self.splitter.addWidget(self.songs)
        self.splitter.setSizes([240, 600])
        self.lists.itemActivated.connect(self._open)
        self.lists.itemClicked.connect(self._open)

    def refresh(self) -> None:
        self.lists.clear()
        self.songs.clear()
        provider = self.provider()
        searchable = isinstance(provider, PlaylistSearch)
        self.find_box.setVisible(searchable)
        self.find_kind.setVisible(searchable)
        self.source.clear()
        self.source.addItem(tr("Featured playlists"), None)
        self.source.setVisible(isinstance(provider, PlaylistTags))
        if provider is None:
            self.status.setText(tr("This catalog is not available."))
            return
        if isinstance(provider, PlaylistTags):
            self.run_list(provider.playlist_tags, self._show_tags)
        else:
            self._load_source()

    def _show_tags(self, groups: list[Any]) -> None:
        for group in groups:
            for tag in group.tags:
                self.source.addItem(f"{group.name} · {tag.name}" if group.name else tag.name, tag.id)
        self._load_source()

    def _load_source(self) -> None:
        provider = self.provider()
        tag_id = self.source.currentData()
        if isinstance(provider, PlaylistTags) and tag_id:
            self.run_list(lambda: provider.tag_playlists(tag_id, limit=50), self._fill)
        elif provider is not None:
            self.run_list(lambda: provider.playlists(limit=50), self._fill)

    def find_now(self) -> None:
        provider = self.provider()
        query = self.find_box.text().strip()
        if not query or not isinstance(provider, PlaylistSearch):
            return
        kind = self.find_kind.currentData()
        if kind == ALBUM:
            self.run_list(
                lambda: provider.search_albums(query, limit=50), lambda page: self._fill(page, ALBUM)
            )
        else:
            self.run_list(lambda: provider.search_playlists(query, limit=50), self._fill)

    def _fill(self, page: Any, kind: str = "playlist") -> None:
        self.lists.clear()
        for info in page.items:
            count = f"  ({info.song_count})" if info.song_count is not None else ""
            item = QListWidgetItem(info.title + count)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setData(PLAYLIST_KIND, kind)
            item.setToolTip(info.description or info.title)
            self.lists.addItem(item)
        if not page.items:
            self.status.setText(
                tr("No playlists found.")
                if self.find_box.text().strip() or self.source.currentData()
                else tr("This catalog has no playlists. Your own playlists are in the My playlists tab.")
            )

    def _open(self, item: QListWidgetItem) -> None:
        playlist_id = item.data(Qt.ItemDataRole.UserRole)
        provider = self.provider()
        if not playlist_id or provider is None:
            return
        if item.data(PLAYLIST_KIND) == ALBUM and isinstance(provider, PlaylistSearch):
            self.songs.load(lambda cursor: provider.album_songs(playlist_id, cursor=cursor, limit=PAGE_SIZE))
        else:
            self.songs.load(
                lambda cursor: provider.playlist_songs(playlist_id, cursor=cursor, limit=PAGE_SIZE)
            )
