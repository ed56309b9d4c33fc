"""The kiosk's singers wall on a cloud catalog: Yinsuda on cloudsim (in-process, loopback)
through the `SingerDirectory` protocol, real Qt offscreen. Before, the wall asked the
provider for a `singers` method by name and stayed empty on every cloud."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.catalog.capabilities import ChartSingers, SingerDirectory, singer_directory, singer_initial
from ktvdesk.ui.kiosk.window import KioskWindow
from tests.ui.conftest import make_services, run, until
from tests.unit.kiosk.conftest import FakeClock


def test_the_singers_wall_fills_from_a_cloud_catalog(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(tmp_path, monkeypatch, qloop, demo_cloud=True, provider="yinsuda")
    services.settings.kiosk.providers = ["yinsuda"]
    clock = FakeClock()
    win = KioskWindow(services, db=services.user_db, clock=clock, pin_hash=lambda: None)
    qtbot.addWidget(win)
    page = win.singers_page
    yinsuda = services.providers["yinsuda"]
    # The local library lists its singers itself; a cloud catalog gets its charts' singers.
    assert isinstance(services.providers["local"], SingerDirectory)
    assert not isinstance(yinsuda, SingerDirectory) and isinstance(singer_directory(yinsuda), ChartSingers)

    async def scenario() -> None:
        win.show_page("singers")
        await until(lambda: bool(page.singer_buttons), page.loaded)
        name = next(iter(page.singer_buttons))
        page.open_singer(name)
        await until(lambda: bool(page.songs.songs), page.songs.changed)
        assert all(name in song.singers for song in page.songs.songs)
        assert {song.provider for song in page.songs.songs} == {"yinsuda"}
        # A letter shows only the singers filed under it.
        directory = page.directory
        assert directory is not None
        [(first, count), *_] = await directory.singers(None)
        assert count >= 1
        initial = singer_initial(first)
        under = [name for name, _ in await directory.singers(initial)]
        assert first in under and all(singer_initial(name) == initial for name in under)

    try:
        run(qloop, scenario())
    finally:
        win.release()
        win.exit_allowed = True
        win.close()
        run(qloop, services.aclose())
