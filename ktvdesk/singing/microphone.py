"""Microphone input behind a small protocol: a live PortAudio source and a file source.

PortAudio through `sounddevice` (not Qt Multimedia): the singing core must stay free of
Qt, the callback hands us numpy blocks with no conversion, and PortAudio reaches
PulseAudio and PipeWire through the ALSA `pulse`/`pipewire` devices that both install
as "default". A Pulse source (a USB mic, a null sink's monitor) is chosen by its name
through `PULSE_SOURCE`, which the Pulse client library reads when the stream opens.

Both sources deliver mono float32 blocks at `SAMPLE_RATE` with the monotonic time (ns)
at which the block's last sample reached the converter, so the pipeline can place
each frame on the song clock whatever the buffering in between.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ktvdesk.errors import KtvError, UserMessage
from ktvdesk.singing.pitch import SAMPLE_RATE, Samples

log = logging.getLogger(__name__)

BlockSink = Callable[[Samples, int], None]  # (mono samples, capture time of the last one in ns)
CLOSE_TIMEOUT_S = 2.0
SETTLED_BACKLOG_S = 0.06
BLOCK = SAMPLE_RATE // 50  # 20 ms blocks: small enough for a live trace, few enough callbacks


class MicrophoneUnavailable(KtvError):
    """No microphone to open; the message says why (shown on the greyed 评分 switch)."""


def _unavailable(why: str) -> MicrophoneUnavailable:
    return MicrophoneUnavailable(
        f"no microphone: {why}",
        user_message=UserMessage(f"没有可用的麦克风：{why}", f"No microphone: {why}"),
    )


class MicrophoneSource(Protocol):
    name: str

    def start(self, sink: BlockSink) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class InputDevice:
    index: int
    name: str
    default: bool


def input_devices() -> list[InputDevice]:
    """Capture devices PortAudio sees; [] when PortAudio itself is missing."""
    try:
        import sounddevice as sd
    except OSError as exc:  # libportaudio not installed
        log.warning("PortAudio unavailable: %s", exc)
        return []
    try:
        default_in = sd.default.device[0]
        devices: Any = sd.query_devices()
    except sd.PortAudioError as exc:
        log.warning("cannot list audio devices: %s", exc)
        return []
    return [
        InputDevice(i, str(d["name"]), i == default_in)
        for i, d in enumerate(devices)
        if int(d["max_input_channels"]) > 0
    ]


def no_microphone_reason() -> str | None:
    """Why scoring cannot listen on this machine, or None when a microphone exists."""
    try:
        import sounddevice  # noqa: F401
    except OSError:
        return "PortAudio (libportaudio2) is not installed"
    if not input_devices():
        return "no capture device found"
    return None


class _SampleClock:
    """Capture times from the sample count, anchored to the earliest callback.

    A sample cannot reach the callback before it was captured, so the smallest
    `callback time - samples so far / rate` is the stream's start as seen from the
    monotonic clock (plus a constant delivery delay that calibration absorbs). This
    beats the host's reported latency, which ALSA's pulse device gets wrong by a
    hundred milliseconds and more while it drains the backlog of a fresh stream.
    A stream that loses samples (an overrun) shows up as a lasting lag: re-anchor.
    """

    REANCHOR_NS = 50_000_000
    REANCHOR_BLOCKS = 10

    def __init__(self) -> None:
        self.started = False
        self.samples = 0
        self.anchor_ns: int | None = None
        self._lagging = 0

    def captured_ns(self, now_ns: int, frames: int, *, overflow: bool = False) -> int:
        if overflow:  # samples were lost before this block: the old anchor is too early now
            self.anchor_ns = None
        self.samples += frames
        span_ns = self.samples * 1_000_000_000 // SAMPLE_RATE
        candidate = now_ns - span_ns
        if self.anchor_ns is None or candidate < self.anchor_ns:
            self.anchor_ns, self._lagging = candidate, 0
        elif candidate - self.anchor_ns > self.REANCHOR_NS:
            self._lagging += 1
            if self._lagging >= self.REANCHOR_BLOCKS:
                self.anchor_ns, self._lagging = candidate, 0
        else:
            self._lagging = 0
        return self.anchor_ns + span_ns


class SoundDeviceMicrophone:
    """A live input through PortAudio. `pulse_source` picks a PulseAudio/PipeWire source."""

    def __init__(self, device: int | str | None = None, *, pulse_source: str | None = None) -> None:
        self.device = device
        self.pulse_source = pulse_source
        self.name = pulse_source or (str(device) if device is not None else "default")
        self._stream: Any = None

    def start(self, sink: BlockSink) -> None:
        try:
            import sounddevice as sd
        except OSError as exc:
            raise _unavailable("PortAudio (libportaudio2) is not installed") from exc
        if self.pulse_source:
            os.environ["PULSE_SOURCE"] = self.pulse_source

        clock = _SampleClock()

        def callback(data: Any, frames: int, timing: Any, status: Any) -> None:
            now = time.monotonic_ns()
            if not clock.started:
                # A fresh stream first drains a backlog, part of it captured before it opened
                # (a third of a second through ALSA's pulse device). Counting those samples
                # would date everything after them too early: start counting once drained.
                adc = float(timing.inputBufferAdcTime)
                backlog_s = float(timing.currentTime) - adc if adc > 0 else 0.0
                if backlog_s > SETTLED_BACKLOG_S:
                    return
                clock.started = True
            captured = clock.captured_ns(now, frames, overflow=bool(status.input_overflow))
            sink(np.array(data[:, 0], dtype=np.float32), captured)

        try:
            self._stream = sd.InputStream(
                samplerate=SAMPLE_RATE,
                blocksize=BLOCK,
                channels=1,
                dtype="float32",
                device=self.device,
                latency="low",
                callback=callback,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._stream = None
            raise _unavailable(str(exc)) from exc

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        # Closing a stream whose device vanished can block inside the host API (ALSA's
        # pulse device waits on a dead server connection): close it on a side thread
        # and never let it hold up the song.
        closer = threading.Thread(target=_close_stream, args=(stream,), name="mic-close", daemon=True)
        closer.start()
        closer.join(CLOSE_TIMEOUT_S)
        if closer.is_alive():
            log.warning("microphone %s did not close in %.0f s; left to the OS", self.name, CLOSE_TIMEOUT_S)


def _close_stream(stream: Any) -> None:
    try:
        stream.abort()
        stream.close()
    except Exception as exc:  # a vanished device fails to close; it is gone anyway
        log.info("microphone close: %s", exc)


class FileMicrophone:
    """A recording played as if sung live: blocks paced in real time (or as fast as asked).

    `stop_after_ms` cuts the stream short, like a microphone pulled out mid-song.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        realtime: bool = True,
        stop_after_ms: int | None = None,
        start_at_ms: Callable[[], int] | None = None,
    ) -> None:
        from ktvdesk.singing.audio import decode

        self.name = f"file:{Path(path).name}"
        self._audio = decode(path)
        self._realtime = realtime
        self._stop_after = None if stop_after_ms is None else stop_after_ms * SAMPLE_RATE // 1000
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_at_ms = start_at_ms  # a singer joining a song already playing
        self.finished = threading.Event()

    def start(self, sink: BlockSink) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="file-mic", daemon=True)
        self._thread.start()

    def _run(self, sink: BlockSink) -> None:
        end = self._audio.size if self._stop_after is None else min(self._audio.size, self._stop_after)
        skip = max(0, self._start_at_ms() * SAMPLE_RATE // 1000) if self._start_at_ms else 0
        began = time.monotonic_ns() - skip * 1_000_000_000 // SAMPLE_RATE
        for at in range(skip, end, BLOCK):
            if self._stop.is_set():
                break
            block = self._audio[at : min(end, at + BLOCK)]
            due = began + (at + block.size) * 1_000_000_000 // SAMPLE_RATE
            if self._realtime:
                delay = (due - time.monotonic_ns()) / 1e9
                if delay > 0 and self._stop.wait(delay):
                    break
            sink(block, due)
        self.finished.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
