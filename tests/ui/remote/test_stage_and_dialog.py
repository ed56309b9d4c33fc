"""The desktop side of the phone remote: the stage's QR badge and "next: <singer>" banner,
the Remote… dialog's rules and "new guests"."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.playback import PlayerState
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.session_singers import TurnOrder
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.remote_dialog import RemoteDialog
from ktvdesk.ui.stage_window import NEXT_BANNER_MS
from tests.ui.conftest import make_services, run, until

_available, _reason = probe_vlc()


@pytest.fixture
def desk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    if not _available:
        pytest.fail(f"libVLC is needed: {_reason}")
    services = make_services(tmp_path, monkeypatch, qloop)
    run(qloop, services.start())
    services.open_remote(host="127.0.0.1", port=0, url_file=None, kiosk=False)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win
    run(qloop, services.aclose())


def test_stage_badge_and_next_singer_banner(desk: MainWindow, qloop: asyncio.AbstractEventLoop) -> None:
    services, session = desk.services, desk.session
    assert session is not None and services.remote is not None
    remote = services.remote

    async def scenario() -> None:
        await remote.start()
        stage = desk.open_stage()
        badge = stage.remote_badge
        badge.refresh()
        assert badge.isVisible() and badge.shown_url == remote.url  # empty queue: the QR code shows
        songs = (await session.providers["local"].search("mlh")).items
        session.enqueue_for(songs[0], "小林")
        session.enqueue_for(songs[0], "阿明")
        await until(lambda: session.state is PlayerState.PLAYING, desk.bridge.stateChanged)
        assert not badge.isVisible()  # a song is on: the lyrics have the screen
        end = session.duration_ms()
        assert end is not None
        session.seek(end - NEXT_BANNER_MS + 3000)
        await until(stage.banner.isVisible, desk.bridge.positionChanged)
        assert stage.banner.text() == "Next: 阿明 — 茉莉花"
        old = remote.url
        remote.room.reset()
        assert remote.url != old

    run(qloop, scenario(), then_close=services)


def test_remote_dialog_rules_and_new_guests(desk: MainWindow, qloop: asyncio.AbstractEventLoop) -> None:
    services, session = desk.services, desk.session
    assert session is not None and services.remote is not None
    remote = services.remote

    async def scenario() -> None:
        await remote.start()
        dialog = desk.show_remote()
        assert isinstance(dialog, RemoteDialog)
        assert dialog.url.text() == remote.url and not dialog.code.pixmap().isNull()
        dialog.fair.setChecked(False)
        assert session.singers.order is TurnOrder.FIRST_COME
        dialog.skip.setChecked(True)
        assert remote.room.policy.allow_skip and remote.room.state()["policy"]["allow_skip"]
        old = remote.url
        dialog.reset_button.click()
        assert dialog.url.text() == remote.url != old
        dialog.close()

    run(qloop, scenario(), then_close=services)
