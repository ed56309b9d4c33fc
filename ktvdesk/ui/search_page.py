"""Search: as-you-type with a debounce, suggestions, filters and paged results."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.catalog.base import CatalogProvider, SearchFilters
from ktvdesk.catalog.capabilities import SingerSearch
from ktvdesk.ui.discover import DiscoverView
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.latest import LatestRequest
from ktvdesk.ui.song_list import SongActions, SongListPanel

DEBOUNCE_MS = 250
PAGE_SIZE = 30


class SearchPage(QWidget):
    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.song_actions = actions
        self.services = actions.services
        layout = QVBoxLayout(self)
        title = QLabel(tr("Search"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(tr("Title, singer, pinyin or initials (e.g. mlh for 茉莉花)"))
        self.box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.box.setClearButtonEnabled(True)
        layout.addWidget(self.box)
        self.suggestions = QStringListModel(self)
        completer = QCompleter(self.suggestions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.box.setCompleter(completer)
        filters = QHBoxLayout()
        # Catalogs that find singers by name (`SingerSearch`, Xiaowei) search songs or singers.
        self.kind = QComboBox()
        self.kind.setObjectName("searchKind")
        self.kind.addItem(tr("Songs"), "songs")
        self.kind.addItem(tr("Singers"), "singers")
        self.kind.activated.connect(lambda _index: self.search_now())
        filters.addWidget(self.kind)
        self.playable = QCheckBox(tr("可播 playable"))
        self.singable = QCheckBox(tr("可唱 singable"))
        self.with_lyrics = QCheckBox(tr("Has lyrics"))
        for box in (self.playable, self.singable, self.with_lyrics):
            filters.addWidget(box)
            box.toggled.connect(self.search_now)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.results = SongListPanel(actions, tr("Type to search the catalog."))
        layout.addWidget(self.results, 1)
        # Before anything is typed: recently sung, favourites, the charts (not an empty table).
        self.discover = DiscoverView(actions)
        layout.addWidget(self.discover, 1)
        self.results.hide()
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        self.box.textEdited.connect(lambda _text: self.debounce.start())
        self.box.returnPressed.connect(self._enter)
        self.suggest_loader = LatestRequest(actions.bridge)  # errors: the results line shows real ones

    def provider(self) -> CatalogProvider | None:
        return self.services.providers.get(self.services.active_provider)

    def filters(self) -> SearchFilters:
        return SearchFilters(
            playable_only=self.playable.isChecked(),
            singable_only=self.singable.isChecked(),
            with_lyrics=self.with_lyrics.isChecked(),
        )

    def focus_search(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def _enter(self) -> None:
        if self.debounce.isActive():
            self.search_now()
        else:
            self.results.table.setFocus()
            if self.results.songs and not self.results.table.currentIndex().isValid():
                self.results.table.selectRow(0)

    def search_now(self) -> None:
        self.debounce.stop()
        query = self.box.text().strip()
        provider = self.provider()
        if not query:
            self.results.clear()
            self.show_discover()
            return
        self.discover.hide()
        self.results.show()
        if provider is None:
            self.results.clear(tr("This catalog is not available."))
            return
        singers = isinstance(provider, SingerSearch) and self.kind.currentData() == "singers"
        for box in (self.playable, self.singable, self.with_lyrics):
            box.setEnabled(not singers)  # `search_singer` takes no filters
        if isinstance(provider, SingerSearch) and singers:
            self.results.load(lambda cursor: provider.search_singers(query, cursor=cursor, limit=PAGE_SIZE))
        else:
            filters = self.filters()
            self.results.load(
                lambda cursor: provider.search(query, cursor=cursor, limit=PAGE_SIZE, filters=filters)
            )
        self._start_suggest(provider, query)

    def _start_suggest(self, provider: CatalogProvider, prefix: str) -> None:
        def show(words: list[str]) -> None:
            if self.box.text().strip() == prefix:
                self.suggestions.setStringList([w for w in words if w != prefix])

        self.suggest_loader.load(lambda: provider.suggest(prefix, limit=8), show, name="suggest")

    def show_discover(self) -> None:
        self.results.hide()
        self.discover.show()
        self.discover.refresh()

    def _show_kind(self) -> None:
        self.kind.setVisible(isinstance(self.provider(), SingerSearch))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._show_kind()
        if not self.box.text().strip():
            self.discover.refresh()  # a song sung or a favourite added since

    def provider_changed(self) -> None:
        self._show_kind()
        if self.box.text().strip():
            self.search_now()
        else:
            self.results.clear()
            self.show_discover()
