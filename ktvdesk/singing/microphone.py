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

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
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


_open_streams = 0  # this process's live PortAudio streams (ours are the only ones)
_streams_lock = threading.Lock()


def _rescan_devices(sd: Any) -> None:
    """PortAudio lists devices once, when it starts: a microphone plugged in later, or a
    sound server that was not up yet (ALSA's pulse device is missing without one), stays
    unseen. Restart PortAudio to look again, but only while no stream of ours is open."""
    with _streams_lock:
        if _open_streams == 0:
            sd._terminate()
            sd._initialize()


def _count_stream(delta: int) -> None:
    global _open_streams
    with _streams_lock:
        _open_streams += delta


def input_devices() -> list[InputDevice]:
    """Capture devices PortAudio sees; [] when PortAudio itself is missing."""
    try:
        import sounddevice as sd
    except OSError as exc:  # libportaudio not installed
        log.warning("PortAudio unavailable: %s", exc)
        return []
    try:
        _rescan_devices(sd)
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


@dataclass(slots=True)
class CaptureStats:
    """What happened to a live input: tests assert on it, the log reports it."""

    blocks: int = 0
    overruns: int = 0  # blocks PortAudio flagged: samples were lost before they reached us
    losses: int = 0  # times the stream died or stalled and was closed
    reopens: int = 0  # times it came back


class SoundDeviceMicrophone:
    """A live input through PortAudio. `pulse_source` picks a PulseAudio/PipeWire source.

    A watchdog thread closes a stream that died or stalled and opens it again once the
    device is back. A closed stream is the point: when its source vanishes, ALSA's pulse
    device can leave PortAudio's capture thread polling a dead connection at full speed
    (seen when the source goes away before the stream's first block, which ALSA's pulse
    device can take two seconds to deliver), and only closing the stream stops that.
    """

    FIRST_BLOCK_MS = 3000  # a fresh stream through ALSA's pulse device may take ~2 s
    # No block for this long after blocks flowed: the stream is dead though nobody said so.
    # (A removed source ends the stream at once, through PortAudio's finished callback;
    # this is the backstop, long enough that a loaded machine's hiccup never trips it.)
    STALL_MS = 1500
    REOPEN_MS = 1000  # how often to look for the device again while it is gone
    WATCH_MS = 50

    def __init__(self, device: int | str | None = None, *, pulse_source: str | None = None) -> None:
        self.device = device
        self.pulse_source = pulse_source
        self.name = pulse_source or (str(device) if device is not None else "default")
        self.stats = CaptureStats()
        self._stream: Any = None
        self._sink: BlockSink | None = None
        self._last_block_ns = 0
        self._opened_ns = 0
        self._flowing = False
        self._finished = threading.Event()  # PortAudio ended the stream (an error in its thread)
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._changed = threading.Condition()

    @property
    def streaming(self) -> bool:
        """Is a PortAudio stream open now? (False while the device is gone.)"""
        return self._stream is not None

    def wait_streaming(self, streaming: bool, timeout_s: float) -> bool:
        """Waits until a stream is open (True) or closed (False); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self.streaming is streaming, timeout_s)

    def _set_stream(self, stream: Any) -> Any:
        with self._changed:
            old, self._stream = self._stream, stream
            self._changed.notify_all()
        return old

    def start(self, sink: BlockSink) -> None:
        try:
            import sounddevice  # noqa: F401
        except OSError as exc:
            raise _unavailable("PortAudio (libportaudio2) is not installed") from exc
        self._sink = sink
        self._stop.clear()
        self._open()
        self._watchdog = threading.Thread(target=self._watch, name=f"mic-watch-{self.name}", daemon=True)
        self._watchdog.start()

    def _open(self) -> None:
        import sounddevice as sd

        clock = _SampleClock()
        sink = self._sink
        assert sink is not None
        stats = self.stats

        def callback(data: Any, frames: int, timing: Any, status: Any) -> None:
            now = time.monotonic_ns()
            self._last_block_ns = now
            self._flowing = True
            stats.blocks += 1
            overflow = bool(status.input_overflow)
            stats.overruns += overflow
            if not clock.started:
                # A fresh stream first drains a backlog, part of it captured before it opened
                # (a third of a second through ALSA's pulse device). Counting those samples
                # would date everything after them too early: start counting once drained.
                adc = float(timing.inputBufferAdcTime)
                backlog_s = float(timing.currentTime) - adc if adc > 0 else 0.0
                if backlog_s > SETTLED_BACKLOG_S:
                    return
                clock.started = True
            captured = clock.captured_ns(now, frames, overflow=overflow)
            sink(np.array(data[:, 0], dtype=np.float32), captured)

        finished = threading.Event()
        self._finished = finished
        self._flowing = False
        self._opened_ns = time.monotonic_ns()
        try:
            with _pulse_target(self.pulse_source):
                _rescan_devices(sd)
                stream = sd.InputStream(
                    samplerate=SAMPLE_RATE,
                    blocksize=BLOCK,
                    channels=1,
                    dtype="float32",
                    device=self.device,
                    latency="low",
                    callback=callback,
                    finished_callback=finished.set,
                )
        except (sd.PortAudioError, ValueError) as exc:
            raise _unavailable(str(exc)) from exc
        _count_stream(+1)
        try:
            stream.start()
        except sd.PortAudioError as exc:
            _close_stream(stream)
            raise _unavailable(str(exc)) from exc
        self._set_stream(stream)

    def _watch(self) -> None:
        gone_since = 0
        while not self._stop.wait(self.WATCH_MS / 1000):
            now = time.monotonic_ns()
            if self._stream is not None:
                if self._dead(now):
                    log.warning("microphone %s lost: stream closed until it comes back", self.name)
                    self.stats.losses += 1
                    self._close()
                    gone_since = now
            elif now - gone_since >= self.REOPEN_MS * 1_000_000:
                gone_since = now
                try:
                    self._open()
                except MicrophoneUnavailable:
                    continue  # still gone
                self.stats.reopens += 1
                log.info("microphone %s is back", self.name)

    def _dead(self, now_ns: int) -> bool:
        if self._finished.is_set():
            return True
        if self._flowing:
            return now_ns - self._last_block_ns > self.STALL_MS * 1_000_000
        return now_ns - self._opened_ns > self.FIRST_BLOCK_MS * 1_000_000

    def stop(self) -> None:
        self._stop.set()
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None and watchdog is not threading.current_thread():
            watchdog.join(CLOSE_TIMEOUT_S + 1)
        self._close()
        if self.stats.overruns or self.stats.losses:
            log.info("microphone %s: %s", self.name, self.stats)

    def _close(self) -> None:
        stream = self._set_stream(None)
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


@contextlib.contextmanager
def _pulse_target(source: str | None) -> Iterator[None]:
    """While a stream opens: the Pulse client library (inside ALSA's pulse device) reads
    which source to record from `PULSE_SOURCE`, and its properties from `PULSE_PROP`.
    A chosen source must not be swapped for another when it disappears (PipeWire moves
    the stream to the default source, and scoring would go on listening to the wrong
    microphone): `node.dont-reconnect` makes PipeWire end the stream instead, as
    PulseAudio does when nothing else can take it."""
    if source is None:
        yield
        return
    saved = {key: os.environ.get(key) for key in ("PULSE_SOURCE", "PULSE_PROP")}
    os.environ["PULSE_SOURCE"] = source
    os.environ["PULSE_PROP"] = " ".join(p for p in (saved["PULSE_PROP"], "node.dont-reconnect=true") if p)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _close_stream(stream: Any) -> None:
    try:
        stream.abort()
        stream.close()
    except Exception as exc:  # a vanished device fails to close; it is gone anyway
        log.info("microphone close: %s", exc)
    _count_stream(-1)


class FileMicrophone:
    """A recording played as if sung live: blocks paced in real time (or as fast as asked).

    `start_at_ms` is the song's clock: the singer joins the song where it is and keeps
    time with it, block by block, as a singer follows the music heard (a clock that runs
    fast or stalls, like libVLC's dummy output under load, is followed; pacing by the wall
    clock instead would leave the singer behind the song). `stop_after_ms` cuts the stream
    short, like a microphone pulled out mid-song.
    """

    FOLLOW_POLL_MS = 10

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
        self._song_ms = start_at_ms
        self.finished = threading.Event()

    def start(self, sink: BlockSink) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="file-mic", daemon=True)
        self._thread.start()

    def _run(self, sink: BlockSink) -> None:
        end = self._audio.size if self._stop_after is None else min(self._audio.size, self._stop_after)
        skip = max(0, self._song_ms() * SAMPLE_RATE // 1000) if self._song_ms else 0
        began = time.monotonic_ns() - skip * 1_000_000_000 // SAMPLE_RATE
        for at in range(skip, end, BLOCK):
            block = self._audio[at : min(end, at + BLOCK)]
            block_end = at + block.size
            if self._song_ms is not None and self._realtime:
                if not self._keep_time(block_end * 1000 // SAMPLE_RATE):
                    break
                sink(block, time.monotonic_ns())
                continue
            due = began + block_end * 1_000_000_000 // SAMPLE_RATE
            if self._realtime:
                delay = (due - time.monotonic_ns()) / 1e9
                if delay > 0 and self._stop.wait(delay):
                    break
            if self._stop.is_set():
                break
            sink(block, due)
        self.finished.set()

    def _keep_time(self, song_ms: int) -> bool:
        """Waits until the song reaches `song_ms`; False when stopped meanwhile."""
        assert self._song_ms is not None
        while (ahead_ms := song_ms - self._song_ms()) > 0:
            if self._stop.wait(min(ahead_ms, self.FOLLOW_POLL_MS) / 1000):
                return False
        return not self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
