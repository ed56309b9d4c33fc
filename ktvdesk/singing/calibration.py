"""Latency calibration: play a click, hear it back, and time the round trip.

The result is what the scorer must subtract from capture times: the output path (player
buffer, sound card, speaker), the air, and whatever the input path does not report.
It is stored per microphone in the device preferences, like the lyric calibration.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable

import numpy as np

from ktvdesk.errors import KtvError, UserMessage
from ktvdesk.singing.microphone import MicrophoneSource
from ktvdesk.singing.pitch import SAMPLE_RATE, Samples

CLICK_MS = 6
LISTEN_MS = 1500
SETTLE_MS = 600


class CalibrationFailed(KtvError):
    pass


def click(rate: int = SAMPLE_RATE) -> Samples:
    """A short 2 kHz tone burst with a sharp onset, easy to find in a recording, then
    silence: players drop a sound shorter than their start-up buffer."""
    t = np.arange(rate * CLICK_MS // 1000) / rate
    burst = 0.8 * np.sin(2 * np.pi * 2000 * t) * np.hanning(t.size) ** 0.25
    return np.concatenate((burst, np.zeros(rate // 4))).astype(np.float32)


class _Recorder:
    def __init__(self) -> None:
        self.blocks: list[tuple[Samples, int]] = []
        self.lock = threading.Lock()
        self.flowing = threading.Event()

    def __call__(self, block: Samples, captured_ns: int) -> None:
        with self.lock:
            self.blocks.append((block.copy(), captured_ns))
        self.flowing.set()

    def onset_ns(self, after_ns: int) -> int | None:
        with self.lock:
            blocks = list(self.blocks)
        if not blocks:
            return None
        audio = np.concatenate([b for b, _ in blocks])
        ends = np.cumsum([b.size for b, _ in blocks])
        floor = float(np.percentile(np.abs(audio), 50)) + 1e-4
        loud = np.flatnonzero(np.abs(audio) > max(0.05, 20 * floor))
        for index in loud:
            block = int(np.searchsorted(ends, index, side="right"))
            captured = blocks[block][1] - int((ends[block] - 1 - index) * 1e9 / SAMPLE_RATE)
            if captured >= after_ns:
                return captured
        return None


def measure_latency(microphone: MicrophoneSource, play_click: Callable[[], None], *, rounds: int = 3) -> int:
    """Median round trip in ms over `rounds` clicks; `play_click` starts one click playing."""
    results = []
    for _ in range(rounds):
        recorder = _Recorder()
        microphone.start(recorder)
        try:
            if not recorder.flowing.wait(5):
                break
            time.sleep(SETTLE_MS / 1000)  # a fresh stream drains a start-up backlog first
            sent = time.monotonic_ns()
            play_click()
            time.sleep(LISTEN_MS / 1000)
        finally:
            microphone.stop()
        onset = recorder.onset_ns(sent)
        if onset is not None:
            results.append((onset - sent) / 1e6)
    if not results:
        raise CalibrationFailed(
            "calibration click not heard",
            user_message=UserMessage(
                "没有听到校准声，请调高音量或靠近麦克风。",
                "The click was not heard: turn the volume up or move the microphone closer.",
            ),
        )
    return round(statistics.median(results))
