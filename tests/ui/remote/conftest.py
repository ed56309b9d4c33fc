"""Shared by the phone-remote UI tests: Chromium, and a desktop window with the remote on."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.ui.main_window import MainWindow
from tests.browser import browser  # noqa: F401  (the Chromium fixture)
from tests.ui.conftest import make_services, run

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
