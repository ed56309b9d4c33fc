"""Item 4 of issue 16: a library song whose file was overwritten with random bytes.

Before: libVLC "ended" it at 0:00 without an error, the song vanished from the queue and
`ktvdesk play` reported `finished` with 0 errors. Now the window says why, the song is
marked unplayable with the reason, the queue moves on, and `play` exits non-zero.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk import paths
from ktvdesk.storage.songs import Unavailable
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import make_services, run, until

DEMO = paths.demo_library_dir()
SONG = "江苏民歌 - 茉莉花"


def _noise(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def test_play_cli_reports_a_corrupt_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mkv"
    shutil.copy(DEMO / f"{SONG}.mkv", bad)
    _noise(bad)
    done = subprocess.run(
        [sys.executable, "-m", "ktvdesk", "play", str(bad), "--headless", "--report", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0, done.stdout
    events = [json.loads(line) for line in done.stdout.splitlines()]
    errors = [e for e in events if e["event"] == "error"]
    assert errors and errors[-1]["code"] == "unplayable_media"
    summary = events[-1]
    assert summary["event"] == "summary" and summary["end"] == "failed" and summary["errors"] >= 1
    assert "damaged" in summary["error"]
    assert "damaged" in done.stderr


def test_window_says_why_and_marks_the_song(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "songs"
    library.mkdir()
    for suffix in (".mkv", ".lrc"):
        shutil.copy(DEMO / f"{SONG}{suffix}", library / f"{SONG}{suffix}")
    services = make_services(tmp_path, monkeypatch, qloop, library_dirs=[library])
    run(qloop, services.start())
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    session, db, library_provider = services.session, services.user_db, services.library
    assert session is not None and db is not None and library_provider is not None

    async def scenario() -> None:
        found = await library_provider.search("茉莉花", limit=10)
        bad = next(s for s in found.items if s.path and s.path.startswith(str(library)))
        good = next(s for s in (await library_provider.search("送别", limit=5)).items)
        _noise(Path(bad.path or ""))  # overwritten after the scan: the index still lists it
        services.favorites.add(bad)
        session.enqueue(bad)
        session.enqueue(good)
        await until(
            lambda: session.now_playing is not None and session.now_playing.song.key == good.key,
            win.bridge.nowPlayingChanged,
        )
        assert any("damaged" in t.text() for t in win.toast.toasts), win.toast.text()
        if services.user_data is not None:
            await services.user_data.flush()  # the flag is written on the database's thread
        entry = db.songs.get(bad)
        assert entry is not None and entry.unavailable is Unavailable.DAMAGED
        # The favourites list keeps it, greyed, with the reason.
        win.nav.setCurrentRow(4)
        page = win.favorites_page
        model = page.songs.table.song_model
        page.refresh()  # synchronous today; the reset signal covers a refresh off the GUI thread
        await until(lambda: bad.key in model.unavailable, model.modelReset)
        assert "damaged" in model.unavailable[bad.key]
        session.stop()

    run(qloop, scenario(), then_close=services)
