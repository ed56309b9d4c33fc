"""What the Search page shows before anything is typed: recently sung, favourites and the
library's charts (most played), instead of an empty table.

User data is read on the user database's own thread (`services.user_data`), the charts
in the library's worker threads: nothing here touches SQLite on the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.storage import UserDatabase
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.song_list import SongActions, SongListPanel

log = logging.getLogger(__name__)

SHOWN = 20  # songs per list


class DiscoverView(QWidget):
    loaded = Signal()

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = actions.services
        self.bridge = actions.bridge
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Tabs, not three stacked tables: each list gets the page's whole height (600-px screens).
        self.tabs = QTabWidget()
        self.tabs.setObjectName("discoverTabs")
        layout.addWidget(self.tabs)
        self.panels: dict[str, SongListPanel] = {}
        for key, title, empty in (
            ("recent", tr("Recently sung"), tr("Songs you sing appear here.")),
            ("favorites", tr("Favorites"), tr("No favorites yet.")),
            ("charts", tr("Most played in the library"), tr("The library is empty.")),
        ):
            panel = SongListPanel(actions, empty)
            panel.setObjectName(f"discover_{key}")
            self.tabs.addTab(panel, title)
            self.panels[key] = panel
        self.loads = 0  # finished loads (tests read it)

    def refresh(self) -> None:
        if self.services.closed:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            # Shown before the event loop runs (the kiosk's first show, tests): look again
            # soon, while this view is shown. The retry belongs to the view (Qt drops it
            # with the view) and stops once the window is closed: no load, and no
            # coroutine, is made later for a window that is gone, on a loop that may stop
            # before running it.
            QTimer.singleShot(50, self, self._refresh_if_shown)
            return
        self.bridge.spawn(self._load(), "discover")

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    async def _load(self) -> None:
        if self.services.closed:
            return  # a late show event while the app shuts down
        recent, favorites = await self._user_lists()
        charts: list[Song] = []
        library = self.services.library
        if library is not None:
            try:
                charts = list(await library.charts(limit=SHOWN))
            except KtvError as exc:
                log.warning("charts unavailable: %s", exc.detail)
        for key, songs in (("recent", recent), ("favorites", favorites), ("charts", charts)):
            panel = self.panels[key]
            panel.show_songs(songs, panel.empty_text)
        if self.loads == 0:  # first look: the first list that has songs
            first = next((i for i, k in enumerate(self.panels) if self.panels[k].songs), 2)
            self.tabs.setCurrentIndex(first)
        self.loads += 1
        self.loaded.emit()

    async def _user_lists(self) -> tuple[list[Song], list[Song]]:
        def read(db: UserDatabase) -> tuple[list[Song], list[Song]]:
            recent = [sung.song for sung in db.history.recently_sung(limit=SHOWN)]
            favorites = [favorite.song for favorite in db.favorites.entries(limit=SHOWN)]
            return recent, favorites

        user_data = self.services.user_data
        try:
            if user_data is not None and not user_data.closed:
                return await user_data.run(read)
        except KtvError as exc:
            log.warning("user lists unavailable: %s", exc.detail)
            return [], []
        in_memory = getattr(self.services.favorites, "songs", None)
        return [], list(in_memory()[:SHOWN]) if callable(in_memory) else []
