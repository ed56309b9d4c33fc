"""Latency calibration: play clicks, hear them back, and time the round trip.

The result is what the scorer must subtract from capture times: the output path (player
buffer, sound card, speaker), the air, and whatever the input path does not report.
It is stored per microphone in the device preferences, like the lyric calibration.

`measure_latency_through` times a click track the way scoring times a song: each click's
place on the track's own playback clock against the moment the microphone heard it. Played
by the app's player (libVLC, the module and device the music uses), it measures exactly
the offset between the song clock and the singer's voice.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ktvdesk.errors import KtvError, UserMessage
from ktvdesk.singing.microphone import MicrophoneSource
from ktvdesk.singing.pitch import SAMPLE_RATE, Samples

CLICK_MS = 6
LISTEN_MS = 1500
SETTLE_MS = 600
TRACK_CLICKS = 5
TRACK_SPACING_MS = 700  # far apart enough for any round trip a room has
TRACK_LEAD_MS = 1000  # the player starts (and its clock settles) before the first click
CLOCK_POLL_S = 0.005
STEADY_MS = 50  # clicks timed this close agree: one output path, one clock


class CalibrationFailed(KtvError):
    pass


def click(rate: int = SAMPLE_RATE) -> Samples:
    """A short 2 kHz tone burst with a sharp onset, easy to find in a recording, then
    silence: players drop a sound shorter than their start-up buffer."""
    t = np.arange(rate * CLICK_MS // 1000) / rate
    burst = 0.8 * np.sin(2 * np.pi * 2000 * t) * np.hanning(t.size) ** 0.25
    return np.concatenate((burst, np.zeros(rate // 4))).astype(np.float32)


def click_track(
    clicks: int = TRACK_CLICKS, *, spacing_ms: int = TRACK_SPACING_MS, lead_ms: int = TRACK_LEAD_MS
) -> tuple[Samples, tuple[int, ...]]:
    """A track of `clicks` clicks and where each starts on it (ms)."""
    onsets = tuple(lead_ms + k * spacing_ms for k in range(clicks))
    audio = np.zeros((onsets[-1] + LISTEN_MS) * SAMPLE_RATE // 1000, dtype=np.float32)
    burst = click()
    for onset in onsets:
        at = onset * SAMPLE_RATE // 1000
        audio[at : at + burst.size] += burst[: audio.size - at]
    return audio, onsets


class ClickPlayer(Protocol):
    """Plays a click track (`click_track`) and says where it is on its own clock."""

    onsets_ms: tuple[int, ...]  # where the track's clicks are

    def start(self) -> None: ...

    def media_ms(self) -> int: ...

    def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Calibration:
    latency_ms: int  # the median round trip: what scoring subtracts
    clicks_ms: tuple[int, ...]  # each click's round trip

    @property
    def spread_ms(self) -> int:
        return max(self.clicks_ms) - min(self.clicks_ms)


class _Recorder:
    def __init__(self) -> None:
        self.blocks: list[tuple[Samples, int]] = []
        self.lock = threading.Lock()
        self.flowing = threading.Event()

    def __call__(self, block: Samples, captured_ns: int) -> None:
        with self.lock:
            self.blocks.append((block.copy(), captured_ns))
        self.flowing.set()

    def onsets_ns(self, min_gap_ms: int) -> list[int]:
        """Capture times of every click heard (the first loud sample of each burst)."""
        found: list[int] = []
        after = 0
        while (onset := self.onset_ns(after)) is not None:
            found.append(onset)
            after = onset + min_gap_ms * 1_000_000
        return found

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


def measure_latency_through(microphone: MicrophoneSource, player: ClickPlayer) -> Calibration:
    """Plays the click track and times each click: the track's clock when the microphone
    heard it, minus the click's place on the track."""
    onsets_ms = player.onsets_ms
    recorder = _Recorder()
    clock: list[tuple[int, int]] = []  # (monotonic ns, the track's media ms)
    microphone.start(recorder)
    try:
        if recorder.flowing.wait(5):
            time.sleep(SETTLE_MS / 1000)  # a fresh stream drains a start-up backlog first
            player.start()
            try:
                deadline = time.monotonic() + (onsets_ms[-1] + LISTEN_MS) / 1000 + 10
                while time.monotonic() < deadline:
                    media = player.media_ms()
                    clock.append((time.monotonic_ns(), media))
                    if media > onsets_ms[-1] + LISTEN_MS:
                        break
                    time.sleep(CLOCK_POLL_S)  # sampling the clock, not waiting for an event
            finally:
                player.stop()
    finally:
        microphone.stop()
    spacing = min((b - a for a, b in itertools.pairwise(onsets_ms)), default=LISTEN_MS)
    heard = [t for t in recorder.onsets_ns(spacing // 2) if clock and t >= clock[0][0]]
    if not heard:
        raise _not_heard()
    trips = _match(heard, clock, onsets_ms)
    return Calibration(round(statistics.median(trips)), trips)


def _match(
    heard_ns: Sequence[int], clock: Sequence[tuple[int, int]], onsets_ms: Sequence[int]
) -> tuple[int, ...]:
    """Round trips of the clicks heard, in order: a sound heard before the first click (a
    door, the tail of a song) must not shift the count, so the matching kept is the one
    that times the most clicks steadily (within `STEADY_MS` of each other)."""
    heard_media = [media_at(clock, t) for t in heard_ns]
    candidates = []
    for skip in range(len(heard_media)):
        trips = tuple(round(m - onset) for m, onset in zip(heard_media[skip:], onsets_ms, strict=False))
        spread = max(trips) - min(trips)
        candidates.append((spread > STEADY_MS, -len(trips), spread, trips))
    return min(candidates)[3]


def media_at(clock: Sequence[tuple[int, int]], at_ns: int) -> float:
    """The track's media time at `at_ns`, between the clock readings (monotonic ns, media ms)."""
    times = [t for t, _ in clock]
    i = min(max(1, bisect.bisect_left(times, at_ns)), len(clock) - 1)
    (t0, m0), (t1, m1) = clock[i - 1], clock[i]
    return m0 + (m1 - m0) * (at_ns - t0) / (t1 - t0) if t1 != t0 else float(m1)


def _not_heard() -> CalibrationFailed:
    return CalibrationFailed(
        "calibration click not heard",
        user_message=UserMessage(
            "没有听到校准声，请调高音量或靠近麦克风。",
            "The click was not heard: turn the volume up or move the microphone closer.",
        ),
    )
