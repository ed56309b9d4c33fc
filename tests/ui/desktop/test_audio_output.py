"""Item 7 of issue 16, the audio output: the Settings page lists the devices of libVLC's
output (a private PulseAudio server with a null sink, started by the fixture) and the
choice is used and remembered for this device."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.config import LoadedSettings, Settings
from ktvdesk.device_prefs import DevicePrefs
from ktvdesk.services import build_services
from ktvdesk.ui.main_window import MainWindow
from tests.integration.singing.conftest import SINK, Pulse, pulse  # noqa: F401  (the fixture)
from tests.ui.conftest import run


def test_the_settings_page_picks_the_audio_device(
    pulse: Pulse,  # noqa: F811
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    services = build_services(
        LoadedSettings(Settings(), tmp_path / "config.toml"), lang="en", aout="pulse", loop=qloop
    )
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    page = win.settings_page
    page.refresh()
    box = page.audio_box
    ids = [box.itemData(i) for i in range(box.count())]
    assert box.isEnabled() and ids[0] is None  # "System default" first
    assert SINK in ids, ids
    box.setCurrentIndex(ids.index(SINK))
    box.activated.emit(ids.index(SINK))
    session = services.session
    assert session is not None and session.audio_device == SINK
    assert services.device_path is not None
    assert DevicePrefs.load(services.device_path).audio_device == SINK
    run(qloop, services.aclose())


def test_an_output_without_devices_says_so(window: MainWindow) -> None:
    page = window.settings_page  # the tests' libVLC plays into the dummy output
    page.refresh()
    assert not page.audio_box.isEnabled()
    assert page.audio_box.count() == 1 and "no choice" in page.audio_box.toolTip()
