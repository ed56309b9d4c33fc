"""The microphone section of Settings / the kiosk admin panel on real audio plumbing:
the level meter and the latency calibration listen to the PulseAudio null sink's monitor
through `SoundDeviceMicrophone`; the calibration clicks go into the sink through libVLC,
as the music does."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the QApplication

from pathlib import Path
from typing import Any

import numpy as np

from ktvdesk.device_prefs import DevicePrefs
from ktvdesk.playback.vlc_backend import VlcBackend
from ktvdesk.singing.microphone import InputDevice, SoundDeviceMicrophone
from ktvdesk.singing.pitch import SAMPLE_RATE
from ktvdesk.ui.mic_settings import BackendClicks, MicrophonePanel
from tests.integration.singing.conftest import SINK, Pulse


def test_meter_and_calibration_hear_the_monitor(qtbot: Any, pulse: Pulse, tmp_path: Path) -> None:
    prefs = DevicePrefs()
    path = tmp_path / "device.json"
    player = pulse.raw_player()
    try:
        panel = MicrophonePanel(
            prefs,
            lambda: prefs.save(path),
            devices=lambda: [InputDevice(0, pulse.monitor, True)],
            microphone=lambda _name: SoundDeviceMicrophone(pulse_source=pulse.monitor),
            clicks=lambda _prefs: BackendClicks(lambda: VlcBackend(aout="pulse"), SINK),  # the app's player
        )
        qtbot.addWidget(panel)
        panel.show()
        assert panel.latency_label.text() == "Not calibrated"

        panel.test_button.click()  # the meter: silence, then a loud tone
        assert panel.test_button.isChecked()
        qtbot.waitUntil(lambda: panel.blocks_heard > 20, timeout=10_000)
        assert panel.level.value() < 20
        t = np.arange(SAMPLE_RATE // 2) / SAMPLE_RATE
        player.write((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
        qtbot.waitUntil(lambda: panel.level.value() > 70, timeout=10_000)
        qtbot.waitUntil(lambda: panel.level.value() < 20, timeout=10_000)  # the tone is over
        panel.test_button.click()
        assert panel.level.value() == 0 and not panel.test_button.isChecked()

        with qtbot.waitSignal(panel.latencyMeasured, timeout=60_000) as measured:
            panel.calibrate_button.click()
            assert not panel.calibrate_button.isEnabled()  # one calibration at a time
        key, latency = measured.args
        assert key == "default" and 0 <= latency < 1500
        assert prefs.mic_latency_ms == {"default": latency}
        assert DevicePrefs.load(path).mic_latency_ms == {"default": latency}  # stored per device
        assert panel.latency_label.text() == f"{latency} ms" and panel.calibrate_button.isEnabled()
    finally:
        player.close()
