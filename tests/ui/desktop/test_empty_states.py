"""Item 9 of issue 16: an empty search shows recently sung songs, favourites and the charts;
clouds that cannot be used are greyed and their tooltip lists everything they miss."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QStandardItemModel

from ktvdesk.playback import EndReason, VocalMode
from ktvdesk.services import PROVIDER_NAMES
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import run, until


def test_empty_search_shows_recent_favorites_and_charts(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    services = win.services
    library = services.library
    assert library is not None
    page = win.search_page
    discover = page.discover

    async def scenario() -> None:
        await until(lambda: discover.loads > 0, discover.loaded)
        assert discover.isVisible() and not page.results.isVisible()
        charts = discover.panels["charts"].songs
        assert len(charts) >= 6  # the demo library, A–Z while nothing was played
        sung = (await library.search("送别")).items[0]
        loved = (await library.search("茉莉花")).items[0]
        services.favorites.add(loved)
        services.record_play(sung, EndReason.FINISHED, VocalMode.ORIGINAL)
        if services.user_data is not None:
            await services.user_data.flush()
        before = discover.loads
        page.box.setText("mlh")
        page.search_now()
        assert page.results.isVisible() and not discover.isVisible()
        page.box.clear()
        page.search_now()  # emptied again: back to the lists, read afresh
        await until(lambda: discover.loads > before, discover.loaded)
        assert discover.isVisible()
        assert [s.key for s in discover.panels["favorites"].songs] == [loved.key]
        assert [s.key for s in discover.panels["recent"].songs] == [sung.key]

    run(qloop, scenario())


def test_unavailable_clouds_are_greyed_with_everything_missing(window: MainWindow) -> None:
    box = window.provider_box
    model = box.model()
    assert isinstance(model, QStandardItemModel)
    for name in PROVIDER_NAMES[1:]:  # nothing configured in the test environment
        item = model.item(PROVIDER_NAMES.index(name))
        assert not item.isEnabled()
        assert item.foreground().color() == QColor("#6d6a80")
        tip = item.data(Qt.ItemDataRole.ToolTipRole)
        assert "Missing:" in tip
    zego_tip = model.item(PROVIDER_NAMES.index("zego")).toolTip()
    assert (
        "app_id" in zego_tip and "resource_endpoint" in zego_tip and "KTVDESK_ZEGO_SERVER_SECRET" in zego_tip
    )
    yinsuda_tip = model.item(PROVIDER_NAMES.index("yinsuda")).toolTip()
    assert "app_name" in yinsuda_tip and "secret_id" in yinsuda_tip and "secret_key" in yinsuda_tip
