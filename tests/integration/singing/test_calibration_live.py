"""Latency calibration through the path the music takes: a click track played by libVLC
(the app's player, Pulse output) into the null sink, heard on its monitor through the
microphone code, on PulseAudio and PipeWire. An independent ear (`parec`, libpulse
straight, no PortAudio) hears the same clicks, timed on the same track clock."""

from __future__ import annotations

import statistics
import subprocess
import threading
import time

import numpy as np

from ktvdesk.device_prefs import DevicePrefs
from ktvdesk.playback.vlc_backend import VlcBackend
from ktvdesk.singing.calibration import TRACK_CLICKS, measure_latency_through, media_at
from ktvdesk.singing.microphone import SoundDeviceMicrophone
from ktvdesk.ui.mic_settings import BackendClicks
from tests.integration.singing.conftest import SINK, Pulse

RATE = 16000
CHUNK = 160  # 10 ms


class LoggedClicks(BackendClicks):
    """The app's click player, noting every clock reading: the independent ear's timeline."""

    def __init__(self) -> None:
        super().__init__(lambda: VlcBackend(aout="pulse"), SINK)
        self.clock: list[tuple[int, int]] = []

    def media_ms(self) -> int:
        media = super().media_ms()
        self.clock.append((time.monotonic_ns(), media))
        return media


class IndependentEar:
    """`parec` on the monitor with a 10 ms fragment; each chunk stamped as it arrives."""

    def __init__(self, server: Pulse) -> None:
        self.process = subprocess.Popen(
            [
                "parec",
                "--raw",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=10",
                f"--device={server.monitor}",
            ],
            env=server.env,
            stdout=subprocess.PIPE,
        )
        self.chunks: list[tuple[int, np.ndarray]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while data := self.process.stdout.read(CHUNK * 2):
            self.chunks.append((time.monotonic_ns(), np.frombuffer(data, "<i2").astype(np.float32) / 32768))

    def onsets_ns(self, min_gap_ms: int) -> list[int]:
        found: list[int] = []
        for arrived, chunk in self.chunks:
            for index in np.flatnonzero(np.abs(chunk) > 0.05):
                heard = arrived - (chunk.size - int(index)) * 1_000_000_000 // RATE
                if not found or heard - found[-1] > min_gap_ms * 1_000_000:
                    found.append(heard)
        return found

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)


def test_calibration_through_libvlc_is_steady_and_agrees_with_an_independent_ear(audio_server: Pulse) -> None:
    keep_flowing = audio_server.raw_player()  # silence into the sink: its monitor keeps running
    ear = IndependentEar(audio_server)
    clicks = LoggedClicks()
    try:
        calibration = measure_latency_through(
            SoundDeviceMicrophone(pulse_source=audio_server.monitor), clicks
        )
    finally:
        ear.close()
        keep_flowing.close()
    heard = [t for t in ear.onsets_ns(300) if t >= clicks.clock[0][0]]
    trips = [
        round(media_at(clicks.clock, t) - onset) for t, onset in zip(heard, clicks.onsets_ms, strict=False)
    ]
    independent = statistics.median(trips)
    print(
        f"{audio_server.kind}: calibrated {calibration.latency_ms} ms, clicks {calibration.clicks_ms}, "
        f"spread {calibration.spread_ms} ms; parec {independent} ms ({trips})"
    )
    assert len(calibration.clicks_ms) == TRACK_CLICKS  # every click heard once
    assert calibration.spread_ms <= 40  # steady: one output path, one clock
    assert abs(calibration.latency_ms - independent) <= 40


def test_the_default_click_player_plays_on_the_music_device() -> None:
    prefs = DevicePrefs(audio_device="some-sink")
    from ktvdesk.ui.mic_settings import vlc_clicks

    player = vlc_clicks(prefs)
    assert isinstance(player, BackendClicks) and player.onsets_ms[0] > 0
    player.stop()  # never started: only its track file goes
