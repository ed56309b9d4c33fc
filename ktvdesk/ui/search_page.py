"""Search: as-you-type with a debounce, suggestions, filters and paged results."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ktvdesk.catalog.base import CatalogProvider, SearchFilters
from ktvdesk.errors import KtvError
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
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
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        self.box.textEdited.connect(lambda _text: self.debounce.start())
        self.box.returnPressed.connect(self._enter)
        self._suggest_task: asyncio.Task[None] | None = None

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
            return
        if provider is None:
            self.results.clear(tr("This catalog is not available."))
            return
        filters = self.filters()
        self.results.load(
            lambda cursor: provider.search(query, cursor=cursor, limit=PAGE_SIZE, filters=filters)
        )
        self._start_suggest(provider, query)

    def _start_suggest(self, provider: CatalogProvider, prefix: str) -> None:
        if self._suggest_task is not None and not self._suggest_task.done():
            self._suggest_task.cancel()
        try:
            self._suggest_task = self.services.tasks.spawn(self._suggest(provider, prefix), name="suggest")
        except RuntimeError:
            self._suggest_task = None

    async def _suggest(self, provider: CatalogProvider, prefix: str) -> None:
        try:
            words = await provider.suggest(prefix, limit=8)
        except KtvError:
            return  # suggestions are a convenience; the results line shows real errors
        if self.box.text().strip() == prefix:
            self.suggestions.setStringList([w for w in words if w != prefix])

    def provider_changed(self) -> None:
        if self.box.text().strip():
            self.search_now()
        else:
            self.results.clear()
