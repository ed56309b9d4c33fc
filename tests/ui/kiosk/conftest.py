"""The kiosk window on the app's real services (demo library, real libVLC with the dummy
audio output, real SQLite), with a hand-driven clock for every delay and timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.kiosk import PinLock
from ktvdesk.kiosk.pin import hash_pin
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.services import AppServices
from ktvdesk.storage import UserDatabase
from ktvdesk.ui.kiosk.window import KioskWindow
from tests.ui.conftest import make_services, run
from tests.unit.kiosk.conftest import FakeClock

PIN = "2580"
STORED = hash_pin(PIN, salt=b"kiosk-test-salt!")
VOLUME_MAX = 60

_available, _reason = probe_vlc()
needs_vlc = pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")


@dataclass
class Kiosk:
    win: KioskWindow
    services: AppServices
    db: UserDatabase
    clock: FakeClock
    loop: asyncio.AbstractEventLoop


@pytest.fixture
def kiosk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Kiosk]:
    services = make_services(tmp_path, monkeypatch, qloop)
    services.settings.kiosk.volume_max = VOLUME_MAX
    run(qloop, services.start())  # indexes the bundled demo library
    db = services.user_db  # the services own it, its queue mirror and the play history
    assert db is not None and services.queue_mirror is not None
    clock = FakeClock()
    lock = PinLock(clock=clock, wall=clock)
    win = KioskWindow(services, db=db, clock=clock, pin_hash=lambda: STORED, lock=lock)
    win.mirror = services.queue_mirror
    qtbot.addWidget(win)
    win.show_on_screen(0)
    yield Kiosk(win, services, db, clock, qloop)
    win.release()
    win.exit_allowed = True
    win.close()
    run(qloop, services.aclose())
