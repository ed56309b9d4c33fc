"""The staged start (issue 15): the window shows before libVLC starts; what the user does
in that gap is kept and done once the player is up, never refused with "no player".

Real libVLC (dummy output), the real demo library, offscreen Qt, a qasync loop.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ktvdesk.playback import PlayerState
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import make_services, run, until

_available, _reason = probe_vlc()


def test_a_song_double_clicked_before_libvlc_is_up_plays_once_it_is(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not _available:
        pytest.fail(f"libVLC is required (make installs it): {_reason}")
    services = make_services(tmp_path, monkeypatch, qloop, staged=True)
    session, library = services.session, services.library
    assert session is not None and library is not None
    assert session.engine is None and session.engine_pending  # libVLC is the second step
    run(qloop, services.start())  # the demo library indexed
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    errors: list[str] = []
    win.bridge.errorRaised.connect(errors.append)

    async def scenario() -> None:
        page = win.search_page
        qtbot.keyClicks(page.box, "mlh")  # type: ignore[no-untyped-call]  # 茉莉花 by its initials
        page.search_now()  # Enter, without waiting for the debounce
        panel = page.results
        await until(lambda: bool(panel.songs), panel.stateChanged)
        song = panel.songs[0]
        table = panel.table
        cell = table.visualRect(table.model().index(0, 0)).center()
        # A double-click as the mouse sends it: press and release, then the double press.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # type: ignore[no-untyped-call]
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # type: ignore[no-untyped-call]
        assert [entry.item.key for entry in session.upcoming] == [song.key]  # 点歌 kept
        await session.play()  # Space before the player exists: it waits, no complaint
        assert session.now_playing is None and errors == []

        await services.start_engine()  # the second step: the queued song starts by itself
        await until(
            lambda: session.now_playing is not None and session.state is PlayerState.PLAYING,
            win.bridge.nowPlayingChanged,
            win.bridge.stateChanged,
        )
        assert session.now_playing is not None and session.now_playing.song.key == song.key
        assert errors == [] and all(button.isEnabled() for button in win.playback_buttons)

    run(qloop, scenario(), then_close=services)


def test_without_libvlc_the_second_step_turns_playback_off_and_says_why(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(tmp_path, monkeypatch, qloop, staged=True)
    session = services.session
    assert session is not None
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    assert win.banner.isHidden()  # nothing known against libVLC yet
    # A machine without libVLC, from the probe's answer: python-vlc is loaded in this
    # process already, so the library cannot be taken away here (the real case, a missing
    # libvlc.so, is `test_app_shell.py::test_without_libvlc_the_window_opens_and_says_so`).
    import ktvdesk.services as services_module
    from ktvdesk.services import VlcStatus

    monkeypatch.setattr(services_module, "probe_vlc_status", lambda: VlcStatus(False, "no libVLC here"))

    async def scenario() -> None:
        await services.start_engine()
        assert session.engine is None and not session.engine_pending
        assert not win.banner.isHidden() and "libVLC" in win.banner.text()
        assert not any(button.isEnabled() for button in win.playback_buttons)
        errors: list[str] = []
        win.bridge.errorRaised.connect(errors.append)
        await session.play()  # now a real "no player": said, not silently dropped
        assert errors

    run(qloop, scenario(), then_close=services)
