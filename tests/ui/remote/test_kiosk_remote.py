"""The phone remote in kiosk mode: the QR badge, 气氛 buttons (rate-limited, played by
the second libVLC player), and the admin's "new guests"."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.ui.kiosk.window import KioskWindow
from ktvdesk.ui.remote_kiosk import attach_remote
from tests.ui.conftest import make_services, run

_available, _reason = probe_vlc()


def test_kiosk_badge_cheers_and_new_guests(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not _available:
        pytest.fail(f"libVLC is needed: {_reason}")
    services = make_services(tmp_path, monkeypatch, qloop)
    run(qloop, services.start())
    remote = services.open_remote(host="127.0.0.1", port=0, url_file=None, kiosk=True)
    win = KioskWindow(services, db=services.user_db, pin_hash=lambda: None)
    qtbot.addWidget(win)
    parts = attach_remote(win)
    win.show_on_screen(0)

    async def scenario() -> None:
        await remote.start()
        assert parts.badge is not None
        parts.badge.refresh()
        assert parts.badge.isVisible() and parts.badge.shown_url == remote.url
        assert remote.room.provider_names == ["local"]  # the kiosk's catalogs only
        assert remote.room.policy.volume_max == services.settings.kiosk.volume_max
        effects = services.sound_effects
        assert effects is not None
        parts.cheer_buttons["applause"].click()
        parts.cheer_buttons["whistle"].click()  # too soon after: the room is not spammed
        assert effects.played == ["applause"]
        old = remote.url
        assert parts.new_guests is not None
        parts.new_guests.click()
        assert remote.url != old and parts.badge.shown_url == remote.url

    try:
        run(qloop, scenario(), then_close=services)
    finally:
        win.release()
        win.exit_allowed = True
        win.close()
