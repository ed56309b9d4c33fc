"""The desktop side of the phone remote: the stage's QR badge and "next: <singer>" banner,
the Remote… dialog's rules and "new guests"."""

from __future__ import annotations

import asyncio
import os
import signal

from ktvdesk.playback import PlayerState
from ktvdesk.session_singers import TurnOrder
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.remote_dialog import RemoteDialog
from ktvdesk.ui.stage_window import NEXT_BANNER_MS
from tests.ui.conftest import run, until


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


def test_a_crashed_remote_shows_in_the_dialog_and_starts_again(
    desk: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    services = desk.services
    remote = services.remote
    assert remote is not None

    async def scenario() -> None:
        await remote.start()
        dialog = desk.show_remote()
        assert isinstance(dialog, RemoteDialog) and dialog.working is not None
        await dialog.working  # the phone count, asked of the remote's process
        assert dialog.status.text() == "Phones connected: 0" and dialog.restart_button.isHidden()
        stopped: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        remote.on_failure.append(lambda why: None if stopped.done() else stopped.set_result(why))
        assert remote.pid is not None
        os.kill(remote.pid, signal.SIGKILL)
        await asyncio.wait_for(stopped, 20)
        assert "signal 9" in dialog.status.text() and not dialog.restart_button.isHidden()
        dialog.restart_button.click()
        restarting = dialog.working
        assert restarting is not None
        await restarting
        assert remote.running and remote.failure is None and dialog.restart_button.isHidden()
        assert dialog.working is not None and dialog.working is not restarting
        await dialog.working
        assert dialog.status.text() == "Phones connected: 0"
        dialog.close()

    run(qloop, scenario(), then_close=services)
