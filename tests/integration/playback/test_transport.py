"""Load, play, pause, seek, restart, stop and events on a real libVLC."""

from __future__ import annotations

import asyncio
import ctypes.util
import subprocess
import sys
import threading
from typing import Any

import pytest

from ktvdesk.errors import VlcUnavailableError
from ktvdesk.models import MediaSource
from ktvdesk.playback import EndReason, EventKind, PlayerState
from ktvdesk.playback.vlc_backend import VlcBackend, probe_vlc


def test_probe_reports_libvlc_and_its_version() -> None:
    available, reason = probe_vlc()
    assert available
    assert reason.startswith("libVLC 3.")


@pytest.mark.parametrize("lib", ["/nonexistent/libvlc.so.5", ctypes.util.find_library("m") or "libm.so.6"])
def test_probe_never_raises_without_libvlc_and_the_backend_says_install_vlc(lib: str) -> None:
    # A missing library makes python-vlc call sys.exit on import; a library without
    # libVLC's symbols makes vlc.Instance() raise NameError. Both must be reported.
    code = (
        "from ktvdesk.playback.vlc_backend import probe_vlc, VlcBackend\n"
        "from ktvdesk.errors import VlcUnavailableError\n"
        "ok, reason = probe_vlc()\n"
        "assert not ok, reason\n"
        "try:\n"
        "    VlcBackend()\n"
        "except VlcUnavailableError as e:\n"
        "    print(e.user_message.en)\n"
        "    print(e.user_message.zh)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHON_VLC_LIB_PATH": lib, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "install VLC" in result.stdout
    assert "安装 VLC" in result.stdout


def test_bad_option_is_unavailable_not_a_crash() -> None:
    with pytest.raises(VlcUnavailableError):
        VlcBackend(extra_args=("--no-such-option-anywhere",))


async def test_plays_to_the_end_with_events_on_the_loop_thread(harness: Any, media: Any) -> None:
    h = harness(render=False)
    threads: set[int] = set()
    h.engine.subscribe(lambda _e: threads.add(threading.get_ident()))
    h.engine.load(MediaSource(url=str(media.plain)))
    end = await h.log.end()
    assert end.reason is EndReason.FINISHED
    assert (end.position_ms or 0) >= 1500  # non-blocking outputs flush the last second at once
    states = [e.state for e in h.log.of(EventKind.STATE)]
    assert states[:2] == [PlayerState.LOADING, PlayerState.PLAYING]
    assert states[-1] is PlayerState.ENDED
    positions = [e.position_ms or 0 for e in h.log.of(EventKind.POSITION)]
    assert len(positions) >= 5
    assert positions == sorted(positions)
    assert threads == {threading.get_ident()}


async def test_pause_freezes_seek_jumps_restart_goes_back(harness: Any, media: Any) -> None:
    h = harness(render=False)
    h.engine.load(MediaSource(url=str(media.long)))
    await h.log.position(700)
    h.engine.pause()
    await h.log.wait_for(lambda e: e.state is PlayerState.PAUSED)
    frozen = h.engine.position_ms
    await asyncio.sleep(0.4)  # let time pass: a paused clock must not move
    assert h.engine.position_ms == frozen
    mark = len(h.log.events)
    h.engine.seek(4000)
    h.engine.resume()
    await h.log.wait_for(lambda e: e.state is PlayerState.PLAYING, after=mark)
    after_seek = await h.log.position(4200, after=mark)
    assert after_seek.position_ms < 5900
    mark = len(h.log.events)
    h.engine.restart()
    back = await h.log.wait_for(lambda e: e.kind is EventKind.POSITION, after=mark)
    assert back.position_ms < 500
    await h.log.position(600, after=mark)
    h.engine.stop()
    end = await h.log.end()
    assert end.reason is EndReason.STOPPED
    assert h.engine.state is PlayerState.STOPPED


async def test_next_moves_on_to_the_next_source(harness: Any, media: Any) -> None:
    queue = [MediaSource(url=str(media.plain))]

    async def next_source(_reason: EndReason) -> MediaSource | None:
        return queue.pop() if queue else None

    h = harness(render=False, next_source=next_source)
    h.engine.load(MediaSource(url=str(media.long)))
    await h.log.position(300)
    await h.engine.next()
    skipped = await h.log.end()
    assert skipped.reason is EndReason.SKIPPED
    assert h.engine.source is not None and h.engine.source.url == str(media.plain)
    finished = await h.log.end(after=h.log.events.index(skipped) + 1)
    assert finished.reason is EndReason.FINISHED
