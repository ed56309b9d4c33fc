"""The desktop window on the real demo library (real libVLC with the dummy output, real
SQLite, offscreen Qt, a qasync loop per test)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import make_services, run

_available, _reason = probe_vlc()


@pytest.fixture
def window(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    if not _available:
        pytest.fail(f"libVLC is required (make installs it): {_reason}")
    services = make_services(tmp_path, monkeypatch, qloop)
    run(qloop, services.start())
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win
    run(qloop, services.aclose())
