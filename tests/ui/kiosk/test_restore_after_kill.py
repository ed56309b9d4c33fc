"""The queue survives a SIGKILL of the kiosk and comes back without a prompt.

Real processes (`python -m ktvdesk --kiosk`, offscreen, isolated data dir, real libVLC).
The queue is seeded into storage before the first start (there is no user-reachable way
to tap songs into a subprocess); the first kiosk restores it, starts singing and writes
that state itself; it is killed with SIGKILL right after; the second start must give the
same queue back by itself and exit cleanly (`--screenshot` makes it quit on its own, so
a modal prompt would hang it and fail the test).
"""

from __future__ import annotations

import queue
import re
import signal
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from ktvdesk.catalog.local import bundled_demo_dir
from ktvdesk.catalog.local.index import LibraryIndex
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.services import LIBRARY_DB
from ktvdesk.storage import DEFAULT_FILE_NAME, UserDatabase
from tests.ui.conftest import start_gui

_available, _reason = probe_vlc()
pytestmark = pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")

TIMEOUT_S = 60


class Lines:
    """The process's stderr, line by line, as it comes (a reader thread: no polling)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        assert proc.stderr is not None
        stream = proc.stderr

        def pump() -> None:
            for line in stream:
                self.lines.put(line.rstrip("\n"))
            self.lines.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def wait_for(self, pattern: str) -> re.Match[str]:
        regex = re.compile(pattern)
        while True:
            line = self.lines.get(timeout=TIMEOUT_S)
            if line is None:
                raise AssertionError(f"process ended before {pattern!r}; last lines: {self.seen[-15:]}")
            self.seen.append(line)
            match = regex.search(line)
            if match:
                return match


def test_queue_survives_sigkill_and_returns_in_kiosk_mode(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    demo = bundled_demo_dir()
    assert demo is not None
    index = LibraryIndex(data / LIBRARY_DB)
    index.scan([demo])
    songs = [index.search(query, 1, 0)[0] for query in ("songbie", "mlh", "auld")]
    index.close()
    with UserDatabase(data / DEFAULT_FILE_NAME) as db:
        db.queue.save(songs, None)
    keys = ", ".join(song.key for song in songs)

    first = start_gui(tmp_path, "--kiosk", "--debug", "--lang", "zh_CN")
    try:
        lines = Lines(first)
        lines.wait_for(re.escape(f"queue: restored 3 songs: {keys}"))
        # The kiosk's own write: the first song is on, the other two wait.
        lines.wait_for(r"queue saved: 3 songs, current 0")
        first.send_signal(signal.SIGKILL)
        assert first.wait(TIMEOUT_S) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()

    conn = sqlite3.connect(data / DEFAULT_FILE_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with UserDatabase(data / DEFAULT_FILE_NAME) as db:
        snapshot = db.queue.load()
    assert [s.key for s in snapshot.songs] == [s.key for s in songs]
    assert snapshot.current_index == 0

    shot = tmp_path / "after-kill.png"
    second = start_gui(tmp_path, "--kiosk", "--debug", "--screenshot", str(shot))
    try:
        lines = Lines(second)
        lines.wait_for(re.escape(f"queue: restored 3 songs: {keys}"))
        assert second.wait(TIMEOUT_S) == 0
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    assert shot.stat().st_size > 0
    with UserDatabase(data / DEFAULT_FILE_NAME) as db:
        assert [s.key for s in db.queue.load().songs] == [s.key for s in songs]


def test_sigterm_still_stops_the_kiosk_cleanly(tmp_path: Path) -> None:
    """systemd stops the unit with SIGTERM: the lock-down must not refuse that quit."""
    proc = start_gui(tmp_path, "--kiosk", "--debug")
    try:
        lines = Lines(proc)
        lines.wait_for(r"kiosk: restored 0 songs")
        proc.send_signal(signal.SIGTERM)
        lines.wait_for(r"ktvdesk stopped cleanly")
        assert proc.wait(TIMEOUT_S) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
