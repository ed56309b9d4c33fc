"""Real libVLC playback: generated tone fixtures, a loopback media server, rendered-audio analysis.

Fixtures are pure tones at known frequencies so every claim (key, tempo, vocal mode,
normalisation) can be checked exactly on what libVLC rendered. Nothing is mocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
import time
import wave
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ktvdesk.models import MediaSource
from ktvdesk.playback import EventKind, PlaybackEngine, PlaybackEvent, RecoveryPolicy
from ktvdesk.playback.vlc_backend import RENDER_RATE, VlcBackend, probe_vlc

RATE = 44_100

_available, _reason = probe_vlc()
_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test here needs a real libVLC: mark them, and skip them where there is none.
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.vlc)
            if not _available:
                item.add_marker(pytest.mark.skip(reason=f"libVLC unavailable: {_reason}"))


# ---- fixture media -------------------------------------------------------------------


def tone(freq: float | np.ndarray, seconds: float, amp: float = 0.5, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    if isinstance(freq, np.ndarray):  # piecewise frequency: integrate the phase
        phase = 2 * np.pi * np.cumsum(np.resize(freq, t.shape)) / rate
        return amp * np.sin(phase)
    return amp * np.sin(2 * np.pi * freq * t)


def write_wav(path: Path, left: np.ndarray, right: np.ndarray, rate: int = RATE) -> Path:
    frames = np.stack([left, right], axis=1)
    pcm = np.clip(frames * 32767, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def write_two_track_mkv(path: Path, freqs: tuple[float, float], seconds: float) -> Path:
    import av

    rate = 48_000
    container = av.open(str(path), "w", format="matroska")
    streams = []
    for _ in freqs:
        stream = container.add_stream("flac", rate=rate)
        stream.layout = "stereo"
        streams.append(stream)
    total = int(seconds * rate)
    chunk = 4096
    for start in range(0, total, chunk):
        t = np.arange(start, min(total, start + chunk)) / rate
        for stream, freq in zip(streams, freqs, strict=True):
            x = (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(np.vstack([x, x]), format="fltp", layout="stereo")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
    for stream in streams:
        for packet in stream.encode(None):
            container.mux(packet)
    container.close()
    return path


@dataclass(frozen=True)
class Media:
    plain: Path  # 440 Hz both channels, 3 s
    mixed: Path  # centre "vocal" 440 Hz + side accompaniment 660 (L) / 990 (R), 3.5 s
    left_right: Path  # L: 440 Hz (vocal mix), R: 660 Hz (accompaniment), 3.5 s
    two_tracks: Path  # MKV, track 0: 440 Hz, track 1: 660 Hz, 3.5 s
    original: Path  # 440 Hz, 3.5 s
    accompaniment: Path  # 660 Hz, 3.5 s (separate file)
    steps: Path  # 300 + 100·k Hz during second k, 5 s
    loud: Path  # 440 Hz at 0.9
    quiet: Path  # 440 Hz at 0.05
    long: Path  # 440 Hz, 6 s (for the HTTP tests)


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    root = tmp_path_factory.mktemp("media")
    vocal = tone(440, 3.5, 0.3)
    steps = np.repeat(300 + 100 * np.arange(5), RATE).astype(float)
    return Media(
        plain=write_wav(root / "plain.wav", tone(440, 3), tone(440, 3)),
        mixed=write_wav(root / "mixed.wav", vocal + tone(660, 3.5, 0.2), vocal + tone(990, 3.5, 0.2)),
        left_right=write_wav(root / "lr.wav", tone(440, 3.5), tone(660, 3.5)),
        two_tracks=write_two_track_mkv(root / "two.mkv", (440, 660), 3.5),
        original=write_wav(root / "original.wav", tone(440, 3.5), tone(440, 3.5)),
        accompaniment=write_wav(root / "accomp.wav", tone(660, 3.5), tone(660, 3.5)),
        steps=write_wav(root / "steps.wav", tone(steps, 5), tone(steps, 5)),
        loud=write_wav(root / "loud.wav", tone(440, 2.5, 0.9), tone(440, 2.5, 0.9)),
        quiet=write_wav(root / "quiet.wav", tone(440, 2.5, 0.05), tone(440, 2.5, 0.05)),
        long=write_wav(root / "long.wav", tone(440, 6), tone(440, 6)),
    )


# ---- rendered-audio analysis ---------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    samples: np.ndarray  # frames × 2, float in [-1, 1]
    rate: int

    @classmethod
    def load(cls, path: Path) -> Rendered:
        with wave.open(str(path)) as wav:
            data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
            channels, rate = wav.getnchannels(), wav.getframerate()
        return cls(data.reshape(-1, channels).astype(float) / 32768, rate)

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def part(self, start_s: float, end_s: float, channel: int | None = None) -> np.ndarray:
        chunk = self.samples[int(start_s * self.rate) : int(end_s * self.rate)]
        return chunk.mean(axis=1) if channel is None else chunk[:, channel]

    def peak_hz(self, start_s: float, end_s: float, channel: int | None = None) -> float:
        x = self.part(start_s, end_s, channel)
        spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n=len(x) * 4))
        k = int(np.argmax(spectrum))
        if 0 < k < len(spectrum) - 1:  # parabolic interpolation of the peak bin
            a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-12)
            k = k + 0.5 * (a - c) / (a - 2 * b + c)
        return float(k * self.rate / (len(x) * 4))

    def level(self, freq: float, start_s: float, end_s: float, channel: int | None = None) -> float:
        """Amplitude of one frequency component (band ±8 Hz)."""
        x = self.part(start_s, end_s, channel)
        spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
        freqs = np.fft.rfftfreq(len(x), 1 / self.rate)
        band = (freqs > freq - 8) & (freqs < freq + 8)
        return float(np.sqrt(np.sum(spectrum[band] ** 2)) * 4 / len(x))

    def rms(self, start_s: float, end_s: float, channel: int | None = None) -> float:
        return float(np.sqrt(np.mean(self.part(start_s, end_s, channel) ** 2)))

    def longest_silence_ms(self, threshold: float = 0.01) -> float:
        quiet = np.abs(self.samples).max(axis=1) < threshold
        longest = run = 0
        for silent in quiet[int(0.05 * self.rate) : len(quiet) - int(0.05 * self.rate)]:
            run = run + 1 if silent else 0
            longest = max(longest, run)
        return longest * 1000 / self.rate


@pytest.fixture
def load_rendered() -> Callable[[Path], Rendered]:
    return Rendered.load


# ---- engine harness --------------------------------------------------------------------


class EventLog:
    """Collects engine events on the loop thread and lets a test await one."""

    def __init__(self) -> None:
        self.events: list[PlaybackEvent] = []
        self._changed = asyncio.Event()

    def __call__(self, event: PlaybackEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def of(self, kind: EventKind) -> list[PlaybackEvent]:
        return [e for e in self.events if e.kind is kind]

    async def wait_for(
        self, predicate: Callable[[PlaybackEvent], bool], *, after: int = 0, timeout_s: float = 30
    ) -> PlaybackEvent:
        """The first event from index `after` on that matches (the timeout only guards a hang)."""

        async def scan() -> PlaybackEvent:
            seen = after
            while True:
                for event in self.events[seen:]:
                    if predicate(event):
                        return event
                seen = len(self.events)
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(scan(), timeout_s)

    async def end(self, *, after: int = 0, timeout_s: float = 30) -> PlaybackEvent:
        return await self.wait_for(lambda e: e.kind is EventKind.END, after=after, timeout_s=timeout_s)

    async def position(self, at_least_ms: int, *, after: int = 0) -> PlaybackEvent:
        return await self.wait_for(
            lambda e: e.kind is EventKind.POSITION and (e.position_ms or 0) >= at_least_ms, after=after
        )


@dataclass
class Harness:
    engine: PlaybackEngine
    log: EventLog
    backend: VlcBackend
    out: Path

    def render(self) -> Rendered:
        self.backend.close()  # flushes and closes the WAV
        return Rendered.load(self.out)


HarnessFactory = Callable[..., Any]


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[HarnessFactory]:
    made: list[Harness] = []

    def make(
        *,
        render: bool = True,
        extra_args: tuple[str, ...] = (),
        recovery: RecoveryPolicy | None = None,
        vlc_version: str | None = None,
        **kw: Any,
    ) -> Harness:
        out = tmp_path / f"out{len(made)}.wav"
        backend = VlcBackend(
            audio_out_file=out if render else None,
            aout="dummy",
            extra_args=extra_args,
            vlc_version=vlc_version,
        )
        engine = PlaybackEngine(
            backend,
            recovery=recovery or RecoveryPolicy(backoff_ms=(50, 100, 200), stall_timeout_ms=5000),
            **kw,
        )
        log = EventLog()
        engine.subscribe(log)
        h = Harness(engine, log, backend, out)
        made.append(h)
        return h

    yield make
    for h in made:
        await h.engine.aclose()
        with contextlib.suppress(Exception):
            h.backend.close()


def local(path: Path, **kw: Any) -> MediaSource:
    return MediaSource(url=str(path), **kw)


# ---- loopback media server -----------------------------------------------------------


@dataclass
class ServerState:
    files: dict[str, bytes] = field(default_factory=dict)
    expired: set[str] = field(default_factory=set)  # tokens answered with 403
    cut_after: dict[str, int] = field(default_factory=dict)  # token → drop the body after N bytes
    expire_on_cut: bool = True
    # token → stop sending after N bytes, the socket left open and silent
    hang_after: dict[str, int] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    reset_after_cut: dict[str, int] = field(default_factory=dict)  # token → refuse N reconnects after its cut
    reset_next: dict[str, int] = field(default_factory=dict)
    bytes_per_s: int = 300_000  # slower than a greedy prefetch, faster than playback needs
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # (token, range, status)
    lock: threading.Lock = field(default_factory=threading.Lock)


class MediaServer:
    """`/t/<token>/<name>`: Range support, 403 for expired tokens, mid-body cuts, refused reconnects."""

    def __init__(self) -> None:
        self.state = ServerState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                match = re.fullmatch(r"/t/([^/]+)/([^/?]+)", self.path)
                header_range = self.headers.get("Range", "")
                if match is None or match.group(2) not in state.files:
                    self._status(404, match.group(1) if match else "", header_range)
                    return
                token, name = match.groups()
                with state.lock:
                    reset = state.reset_next.get(token, 0)
                    if reset:
                        state.reset_next[token] = reset - 1
                        state.requests.append((token, header_range, 0))
                if reset:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if token in state.expired:
                    self._status(403, token, header_range)
                    return
                body = state.files[name]
                start, end = 0, len(body) - 1
                ranged = re.fullmatch(r"bytes=(\d+)-(\d*)", header_range)
                if ranged:
                    start = int(ranged.group(1))
                    end = int(ranged.group(2)) if ranged.group(2) else end
                if start >= len(body):
                    self._status(416, token, header_range)
                    return
                with state.lock:
                    state.requests.append((token, header_range, 206 if ranged else 200))
                self.send_response(206 if ranged else 200)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(end - start + 1))
                if ranged:
                    self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
                self.end_headers()
                self._send_body(token, body[start : end + 1])

            def _send_body(self, token: str, payload: bytes) -> None:
                limit = state.cut_after.pop(token, None)
                hang = state.hang_after.pop(token, None)
                sent, chunk = 0, 8192
                began = time.monotonic()
                try:
                    while sent < len(payload):
                        if limit is not None and sent >= limit:
                            if state.expire_on_cut:
                                state.expired.add(token)
                            with state.lock:
                                state.reset_next[token] = state.reset_after_cut.pop(token, 0)
                            self.connection.shutdown(socket.SHUT_RDWR)
                            self.close_connection = True
                            return
                        if hang is not None and sent >= hang:
                            state.stopping.wait()  # a stalled stream: the socket stays open, silent
                            return
                        piece = payload[sent : sent + chunk]
                        self.wfile.write(piece)
                        sent += len(piece)
                        ahead = sent / state.bytes_per_s - (time.monotonic() - began)
                        if ahead > 0:
                            time.sleep(ahead)  # throttle: this is the server's pace, not a test wait
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def _status(self, code: int, token: str, header_range: str) -> None:
                with state.lock:
                    state.requests.append((token, header_range, code))
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, token: str, name: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/t/{token}/{name}"

    def __enter__(self) -> MediaServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.stopping.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server() -> Iterator[MediaServer]:
    with MediaServer() as running:
        yield running


__all__ = ["RENDER_RATE"]
