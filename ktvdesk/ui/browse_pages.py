"""Browse pages: tags → songs, singers A–Z → songs, playlists → songs, favorites, history,
and the settings overview. Each list on the left loads asynchronously; songs use the
shared `SongListPanel` (paging, states, actions)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.catalog.base import CatalogProvider
from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.ui.i18n import tr
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
        self._generation = 0
        self._task: asyncio.Task[None] | None = None
        self.loaded_for: str | None = None

    def provider(self) -> CatalogProvider | None:
        return self.services.providers.get(self.services.active_provider)

    def run_list(self, fetch: Callable[[], Awaitable[T]], done: Callable[[T], None]) -> None:
        """Fetch the left-hand list; a newer request wins, errors go to the status line."""
        self._generation += 1
        generation = self._generation
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self.status.setText(tr("Loading…"))

        async def run() -> None:
            try:
                result = await fetch()
            except KtvError as exc:
                if generation == self._generation:
                    self.status.setText(self.bridge.message(exc))
                return
            if generation == self._generation:
                self.status.setText("")
                done(result)

        try:
            self._task = self.services.tasks.spawn(run(), name="browse-list")
        except RuntimeError:
            self.status.setText(tr("Not ready yet. Try again in a moment."))

    def refresh(self) -> None:
        """Load the page for the active provider (once per provider)."""

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.loaded_for != self.services.active_provider:
            self.loaded_for = self.services.active_provider
            self.refresh()


class TagsPage(_BrowsePage):
    """Tag groups and tags (for the local library: genre, language, 字数, folders)."""

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(actions, tr("Categories"), tr("Choose a category."), parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.songs)
        self.splitter.setSizes([240, 600])
        self.tree.itemActivated.connect(self._open)
        self.tree.itemClicked.connect(self._open)

    def refresh(self) -> None:
        self.tree.clear()
        self.songs.clear()
        provider = self.provider()
        if provider is None:
            self.status.setText(tr("This catalog is not available."))
            return
        self.run_list(provider.tags, self._show)

    def _show(self, groups: list[Any]) -> None:
        self.tree.clear()
        for group in groups:
            if not group.tags:
                continue
            parent = QTreeWidgetItem([group.name])
            for tag in group.tags:
                child = QTreeWidgetItem([tag.name])
                child.setData(0, Qt.ItemDataRole.UserRole, tag.id)
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
        self.tree.expandToDepth(0)
        if not self.tree.topLevelItemCount():
            self.status.setText(tr("This catalog has no categories."))

    def _open(self, item: QTreeWidgetItem) -> None:
        tag_id = item.data(0, Qt.ItemDataRole.UserRole)
        provider = self.provider()
        if tag_id and provider is not None:
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
            grid.addWidget(button, 0, i)
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
            self.songs.load(
                lambda cursor: library.songs_by_tag(f"singer:{name}", cursor=cursor, limit=PAGE_SIZE)
            )


class PlaylistsPage(_BrowsePage):
    """The provider's playlists and charts → songs."""

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(actions, tr("Playlists"), tr("Choose a playlist."), parent)
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
        if provider is None:
            self.status.setText(tr("This catalog is not available."))
            return

        def show(page: Any) -> None:
            for info in page.items:
                count = f"  ({info.song_count})" if info.song_count is not None else ""
                item = QListWidgetItem(info.title + count)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                item.setToolTip(info.description or info.title)
                self.lists.addItem(item)
            if not page.items:
                self.status.setText(
                    tr("This catalog has no playlists. Your own playlists are in the My playlists tab.")
                )

        self.run_list(lambda: provider.playlists(limit=50), show)

    def _open(self, item: QListWidgetItem) -> None:
        playlist_id = item.data(Qt.ItemDataRole.UserRole)
        provider = self.provider()
        if playlist_id and provider is not None:
            self.songs.load(
                lambda cursor: provider.playlist_songs(playlist_id, cursor=cursor, limit=PAGE_SIZE)
            )


class SongsPage(QWidget):
    """A list held in memory: favorites, or the songs sung tonight."""

    def __init__(
        self,
        actions: SongActions,
        title: str,
        empty_text: str,
        source: Callable[[], list[Song]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.empty_text = empty_text
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.songs = SongListPanel(actions, empty_text)
        layout.addWidget(self.songs, 1)

    def refresh(self) -> None:
        self.songs.show_songs(self.source(), self.empty_text)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()


class SettingsPage(QWidget):
    """What this installation runs with; editing the config is done in its TOML file."""

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = actions.services
        layout = QVBoxLayout(self)
        heading = QLabel(tr("Settings"))
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body, 1)
        self.about_button = QPushButton(tr("About ktvdesk…"))
        self.about_button.setObjectName("aboutButton")
        self.about_button.setToolTip(tr("Version and licences (F1)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.about_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        services = self.services
        lines = [
            tr("Language: {0}").format(services.language),
            tr("Playback: {0}").format(services.vlc.reason),
            tr("Lyric calibration: {0} ms (use the −/+ buttons next to the lyrics)").format(
                services.device.lyric_offset_ms
            ),
            tr("Library folders:"),
        ]
        lines += [f"  • {root}" for root in services.library_roots] or ["  –"]
        lines.append(tr("Catalogs:"))
        for name in ("local", "yinsuda", "xiaowei", "zego"):
            problem = services.provider_problems.get(name)
            if name in services.providers:
                lines.append("  • " + tr("{0}: enabled").format(name))
            elif problem is not None:
                lines.append("  • " + tr("{0}: {1}").format(name, problem.message(services.language)))
        lines.append(tr("Edit the configuration file to change these: {0}").format("config.toml"))
        self.body.setText("\n".join(lines))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()
