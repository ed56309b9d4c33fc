"""Live scoring: microphone blocks → pitch frames → scorer, on the song's clock.

Three threads, each doing one thing:

- the audio callback (PortAudio's thread) only queues the block with its capture time;
- a worker thread runs the pitch tracker (the CPU part) and watches for a microphone
  that stopped delivering (unplugged), so the UI loop never waits on numpy;
- the owner's thread (the asyncio loop, via `post`) places each frame on the song clock
  and feeds the scorer, which is not thread-safe and need not be.

A frame's song time is its capture time mapped through the clock when its block is
handled: `clock.now_ms() - (now - captured)`. The scorer then removes the calibrated
latency of the audio path (speaker to ear to microphone).
"""

from __future__ import annotations

import functools
import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ktvdesk.singing.melody import Melody
from ktvdesk.singing.microphone import MicrophoneSource
from ktvdesk.singing.pitch import HOP_MS, SAMPLE_RATE, PitchFrames, PitchTracker, Samples
from ktvdesk.singing.scorer import Difficulty, FrameResult, LineResult, Scorer, ScoreResult

log = logging.getLogger(__name__)

LOST_AFTER_MS = 600
# A fresh stream through ALSA's pulse device may take ~2 s to call back, then drain a start-up
# backlog before its first block is dated and delivered: a slow start is no loss.
FIRST_BLOCK_MS = 5000


@dataclass(frozen=True, slots=True)
class SungFrame:
    """One scored frame; `captured_ns` is when its last sample reached the microphone."""

    frame: FrameResult
    captured_ns: int
    player: int = 1  # whose microphone: a duet draws two traces


@dataclass(frozen=True, slots=True)
class LineDone:
    result: LineResult
    player: int = 1


@dataclass(frozen=True, slots=True)
class MicLevel:
    dbfs: float


@dataclass(frozen=True, slots=True)
class MicLost:
    message: str


@dataclass(frozen=True, slots=True)
class MicRestored:
    pass


SingingEvent = SungFrame | LineDone | MicLevel | MicLost | MicRestored
Post = Callable[[Callable[[], None]], None]


def _direct(call: Callable[[], None]) -> None:
    call()


class LivePipeline:
    def __init__(
        self,
        melody: Melody,
        microphone: MicrophoneSource,
        song_ms: Callable[[], int],
        listener: Callable[[SingingEvent], None],
        *,
        difficulty: Difficulty = Difficulty.NORMAL,
        latency_ms: int = 0,
        player: int | None = None,
        post: Post = _direct,
        lost_after_ms: int = LOST_AFTER_MS,
        first_block_ms: int = FIRST_BLOCK_MS,
    ) -> None:
        self.scorer = Scorer(melody, difficulty=difficulty, latency_ms=latency_ms, player=player)
        self.player = player or 1
        self.microphone = microphone
        self._song_ms = song_ms
        self._listener = listener
        self._post = post
        self._lost_after_ns = lost_after_ms * 1_000_000
        self._first_block_ns = max(first_block_ms, lost_after_ms) * 1_000_000
        self._blocks: queue.SimpleQueue[tuple[Samples, int] | None] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self.lost = False
        self.frames_scored = 0
        self.max_backlog_ms = 0.0  # the oldest a block was when the scorer placed it
        self.listening = threading.Event()  # set when the first block arrives

    # -- lifecycle (owner's thread) ---------------------------------------------------

    def start(self) -> None:
        self._worker = threading.Thread(target=self._work, name="singing-pitch", daemon=True)
        self._worker.start()
        self.microphone.start(self._on_block)

    @property
    def overruns(self) -> int:
        """Blocks the capture flagged as having lost samples (PortAudio's input overflow)."""
        stats = getattr(self.microphone, "stats", None)
        return int(getattr(stats, "overruns", 0))

    def stop(self) -> ScoreResult:
        self.microphone.stop()
        self._blocks.put(None)
        if self._worker is not None:
            self._worker.join(timeout=5)
            self._worker = None
        return self.scorer.finish()

    # -- audio thread -----------------------------------------------------------------

    def _on_block(self, block: Samples, captured_ns: int) -> None:
        self._blocks.put((block, captured_ns))
        self.listening.set()

    # -- worker thread ----------------------------------------------------------------

    def _work(self) -> None:
        tracker = PitchTracker()
        fed = 0
        last_ns = time.monotonic_ns()
        while True:
            try:
                item = self._blocks.get(timeout=0.1)
            except queue.Empty:
                silent_for = self._lost_after_ns if fed else self._first_block_ns  # a slow start is no loss
                if not self.lost and time.monotonic_ns() - last_ns > silent_for:
                    self.lost = True
                    self._post(lambda: self._set_lost(True))
                continue
            if item is None:
                return
            block, captured_ns = item
            last_ns = time.monotonic_ns()
            if self.lost:
                self.lost = False
                self._post(lambda: self._set_lost(False))
            fed += block.size
            frames = tracker.feed(block)
            level = float(np.sqrt(np.mean(np.square(block)))) if block.size else 0.0
            end_ms = fed * 1000 / SAMPLE_RATE
            self._post(functools.partial(self._score, frames, captured_ns, end_ms, level))

    # -- owner's thread ---------------------------------------------------------------

    def _set_lost(self, lost: bool) -> None:
        self.scorer.paused = lost
        if lost:
            self._listener(MicLost("microphone disconnected: scoring paused"))
        else:
            self._listener(MicRestored())

    def _score(self, frames: PitchFrames, captured_ns: int, stream_end_ms: float, level: float) -> None:
        self._listener(MicLevel(20 * math.log10(max(level, 1e-6))))
        if frames.midi.size == 0:
            return
        age_ms = (time.monotonic_ns() - captured_ns) / 1e6
        self.max_backlog_ms = max(self.max_backlog_ms, age_ms)
        offset_ms = self._song_ms() - age_ms - stream_end_ms  # song time = stream time + offset
        for i, value in enumerate(frames.midi):
            stream_ms = frames.time_ms(i)
            pitch = None if math.isnan(value) else float(value)
            frame, lines = self.scorer.feed(round(stream_ms + offset_ms), pitch)
            self.frames_scored += 1
            frame_captured = captured_ns - int((stream_end_ms - stream_ms - HOP_MS) * 1e6)
            self._listener(SungFrame(frame, frame_captured, self.player))
            for line in lines:
                self._listener(LineDone(line, self.player))
