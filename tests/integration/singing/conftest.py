"""Private audio servers with a null sink, started and stopped by the tests: PulseAudio
itself, and PipeWire (pipewire + wireplumber + pipewire-pulse, on their own D-Bus).

The singer WAV is played into the null sink with `pacat`/`paplay`; ktvdesk records the
sink's monitor source through the same `SoundDeviceMicrophone` a real microphone uses
(PortAudio → ALSA's pulse device → the server's Pulse protocol). `audio_server` runs a
test on both servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import MediaSource, Song
from ktvdesk.playback.vlc_backend import VlcBackend
from ktvdesk.scoring import (
    ControllerEvent,
    FinalScore,
    RecordScore,
    ScoreRecord,
    SingingController,
    keep_score,
)
from ktvdesk.session import KaraokeSession
from ktvdesk.singing.audio import write_wav
from ktvdesk.singing.calibration import click_track
from ktvdesk.singing.melody import Melody
from ktvdesk.storage import UserDatabase

SINK = "ktv_test_sink"
SERVERS = {"pulseaudio": "pulse", "pipewire": "pipewire"}  # server → its fixture
START_TIMEOUT_S = 30


class RawPlayer:
    """A player that never runs dry: a feeder thread keeps its small pipe full, with the
    queued audio or with silence. PulseAudio raises a stream's latency after every
    underrun, so a player left idle between takes would drift; this one keeps one
    steady latency, which the calibration then measures."""

    CHUNK = 160  # 10 ms at 16 kHz

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None
        fcntl.fcntl(process.stdin.fileno(), fcntl.F_SETPIPE_SZ, 4096)  # ~128 ms queued at most
        self.process = process
        self._queue: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        assert self.process.stdin is not None
        silence = bytes(self.CHUNK * 2)
        pending = b""
        while not self._stop.is_set():
            if not pending:
                try:
                    pending = self._queue.get_nowait()
                except queue.Empty:
                    pending = silence
            chunk, pending = pending[: self.CHUNK * 2], pending[self.CHUNK * 2 :]
            try:
                self.process.stdin.write(chunk)  # blocks while the pipe is full: the pacing
                self.process.stdin.flush()
            except (BrokenPipeError, ValueError):
                return

    def write(self, audio: npt.NDArray[np.float32]) -> None:
        """Queues the audio; it plays after what is queued before it."""
        self._queue.put((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())

    def close(self) -> None:
        self._stop.set()
        self._feeder.join(timeout=10)
        if self.process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):  # its sink was removed under it
                self.process.stdin.close()
        self.process.wait(timeout=30)


class RawClicks:
    """The calibration click track through a steady raw player, on the clock the live tests
    sing by: milliseconds since the audio was handed to the player."""

    def __init__(self, player: RawPlayer) -> None:
        self._audio, self.onsets_ms = click_track()
        self._player = player
        self._started_ns = 0

    def start(self) -> None:
        self._started_ns = time.monotonic_ns()
        self._player.write(self._audio)

    def media_ms(self) -> int:
        return (time.monotonic_ns() - self._started_ns) // 1_000_000

    def stop(self) -> None:
        pass  # the track plays out; the player goes on with silence


class LogWatch:
    """Reads a server's log as it is written, so a test can wait for the line that says
    the server is ready (an event, not a sleep)."""

    def __init__(self, name: str, process: subprocess.Popen[bytes]) -> None:
        self.name = name
        self.process = process
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._ended = False
        threading.Thread(target=self._drain, name=f"log-{name}", daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            with self._changed:
                self.lines.append(raw.decode(errors="replace"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, text: str) -> None:
        def seen() -> bool:
            return self._ended or any(text in line for line in self.lines)

        with self._changed:
            self._changed.wait_for(seen, START_TIMEOUT_S)
            if not any(text in line for line in self.lines):
                pytest.fail(f"{self.name} did not say {text!r}:\n" + "".join(self.lines[-20:]))


@dataclass
class Pulse:
    """A running server that speaks the Pulse protocol (PulseAudio, or PipeWire's
    pipewire-pulse), with the null sink `SINK` loaded."""

    server: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]  # the one serving the Pulse protocol
    kind: str = "pulseaudio"
    helpers: list[subprocess.Popen[bytes]] = field(default_factory=list)  # PipeWire's daemons

    @property
    def monitor(self) -> str:
        return f"{SINK}.monitor"

    def raw_player(self) -> RawPlayer:
        """One long-lived player fed through a pipe: no process start-up inside a measurement."""
        process = subprocess.Popen(
            [
                "pacat",
                "--playback",
                "--raw",
                "--format=s16le",
                "--rate=16000",
                "--channels=1",
                "--latency-msec=20",
                f"--device={SINK}",
            ],
            env=self.env,
            stdin=subprocess.PIPE,
        )
        return RawPlayer(process)

    def play(self, wav: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(["paplay", "--latency-msec=20", f"--device={SINK}", str(wav)], env=self.env)

    def pactl(self, *args: str) -> str:
        return subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, check=True, timeout=20
        ).stdout

    def null_sink_module(self) -> str:
        """The index of the module that provides the sink (and so its monitor source)."""
        for line in self.pactl("list", "short", "modules").splitlines():  # PipeWire's span lines
            index, _, rest = line.partition("\t")
            if rest.startswith("module-null-sink\t") and f"sink_name={SINK}" in rest:
                return index
        raise AssertionError(f"no null sink module on {self.kind}")

    def load_null_sink(self) -> None:
        self.pactl("load-module", "module-null-sink", f"sink_name={SINK}", "rate=48000")


def _require(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.fail(
                f"{tool} is missing: run `make` (packaging/system-deps.sh installs the audio servers)"
            )


def _environment(root: Path) -> dict[str, str]:
    runtime, home = root / "run", root / "home"
    (runtime / "pulse").mkdir(parents=True)
    runtime.chmod(0o700)
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
        "PULSE_SERVER": f"unix:{runtime / 'pulse' / 'native'}",
    }
    for leaked in ("PULSE_SOURCE", "PULSE_PROP", "PIPEWIRE_REMOTE", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(leaked, None)
    return env


def _spawn(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in reversed(processes):
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start_pulseaudio(root: Path) -> Pulse:
    _require("pulseaudio", "pacat", "paplay", "pactl")
    env = _environment(root)
    socket = env["PULSE_SERVER"].removeprefix("unix:")
    process = _spawn(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--system=false",
            "--log-target=stderr",
            "--log-level=info",
            "-n",
            "--load",
            f"module-null-sink sink_name={SINK} rate=48000",
            "--load",
            f"module-native-protocol-unix auth-anonymous=1 socket={socket}",
        ],
        env,
    )
    pulse = Pulse(env["PULSE_SERVER"], env, process)
    try:
        LogWatch("pulseaudio", process).wait_for("Daemon startup complete")
    except BaseException:
        _stop([process])
        raise
    return pulse


def _start_pipewire(root: Path) -> Pulse:
    """PipeWire as a desktop runs it, without systemd: the daemon, the session manager
    (WirePlumber links streams to devices; it needs a session bus, so one of our own) and
    the Pulse protocol server. Logs at info level carry the ready signals."""
    _require("dbus-daemon", "pipewire", "wireplumber", "pipewire-pulse", "pacat", "pactl")
    env = _environment(root)
    runtime = env["XDG_RUNTIME_DIR"]
    env |= {
        "PIPEWIRE_RUNTIME_DIR": runtime,
        "DBUS_SESSION_BUS_ADDRESS": f"unix:path={runtime}/bus",
        "PIPEWIRE_DEBUG": "3",
        "WIREPLUMBER_DEBUG": "3",
    }
    started: list[subprocess.Popen[bytes]] = []
    try:
        bus = _spawn(
            [
                "dbus-daemon",
                "--session",
                "--nofork",
                "--nopidfile",
                f"--address={env['DBUS_SESSION_BUS_ADDRESS']}",
                "--print-address=2",
            ],
            env,
        )
        started.append(bus)
        LogWatch("dbus-daemon", bus).wait_for("unix:path=")
        daemon = _spawn(["pipewire"], env)
        started.append(daemon)
        LogWatch("pipewire", daemon).wait_for("Listening on 'pipewire-0'")
        manager = _spawn(["wireplumber"], env)
        started.append(manager)
        manager_log = LogWatch("wireplumber", manager)
        pulse_server = _spawn(["pipewire-pulse"], env)
        started.append(pulse_server)
        LogWatch("pipewire-pulse", pulse_server).wait_for("listening on unix:")
        manager_log.wait_for("set default node for Audio/Sink")  # policy scripts loaded
        pulse = Pulse(env["PULSE_SERVER"], env, pulse_server, "pipewire", started[:-1])
        pulse.load_null_sink()
        manager_log.wait_for(f"set default node for Audio/Sink: {SINK}")  # the sink is linked up
    except BaseException:
        _stop(started)
        raise
    return pulse


def _serve(pulse: Pulse, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pulse]:
    """Points this process (PortAudio's ALSA pulse device, libVLC) at the server."""
    try:
        for key in ("HOME", "XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_SERVER"):
            monkeypatch.setenv(key, pulse.env[key])
        for key in ("PULSE_SOURCE", "PULSE_PROP"):
            monkeypatch.delenv(key, raising=False)
        yield pulse
    finally:
        _stop([*pulse.helpers, pulse.process])


@pytest.fixture
def pulse(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pulse]:
    """A private PulseAudio server."""
    yield from _serve(_start_pulseaudio(tmp_path_factory.mktemp("pulse")), monkeypatch)


@pytest.fixture
def pipewire(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pulse]:
    """A private PipeWire, reached through its Pulse protocol server."""
    yield from _serve(_start_pipewire(tmp_path_factory.mktemp("pipewire")), monkeypatch)


@pytest.fixture(params=list(SERVERS))
def audio_server(request: pytest.FixtureRequest) -> Pulse:
    """The test runs once on PulseAudio and once on PipeWire."""
    server: Pulse = request.getfixturevalue(SERVERS[request.param])
    return server


# -- a real KaraokeSession singing one short UltraStar song (the scoring controller's tests) --


class TextSong:
    """A one-song provider: a quiet backing WAV and UltraStar notes as its lyrics."""

    name = "mem"
    DURATION_MS = 6000

    def __init__(self, media: Path, notes: str) -> None:
        self.media = media
        self.notes = notes

    async def resolve_media(self, song: Song, request: object = None) -> MediaSource:
        return MediaSource(url=str(self.media), duration_ms=self.DURATION_MS)

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        return parse_lyrics(self.notes.encode())

    async def aclose(self) -> None:
        pass


def keeper(db: UserDatabase) -> RecordScore:
    """The app's score keeping, run inline (the app runs it on its user-data thread)."""

    async def keep(record: ScoreRecord) -> float | None:
        return keep_score(db.scores, record)

    return keep


class Karaoke:
    """A real `KaraokeSession` (libVLC, dummy audio output) whose one song sings `notes`."""

    SONG = Song(provider="mem", id="1", title="Test Song", duration_ms=TextSong.DURATION_MS)

    def __init__(self, session: KaraokeSession, provider: TextSong) -> None:
        self.session = session
        self.provider = provider
        self.changed = asyncio.Event()
        session.subscribe(lambda _: self.changed.set())  # positions arrive ~4 per second

    @property
    def melody(self) -> Melody:
        melody = parse_lyrics(self.provider.notes.encode()).melody
        assert melody is not None
        return melody

    async def until(self, done: Callable[[], bool], timeout_s: float = 30) -> None:
        async def wait() -> None:
            while not done():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), timeout_s)

    async def sing(self, controller: SingingController, *, past_ms: int = 4300) -> list[ControllerEvent]:
        """Plays the song with `controller` scoring it, past `past_ms`, then stops it; the
        controller's events up to its final score."""
        events: list[ControllerEvent] = []

        def listen(event: ControllerEvent) -> None:
            events.append(event)
            self.changed.set()

        controller.subscribe(listen)
        self.session.enqueue(self.SONG)
        await self.session.play()
        await self.until(lambda: self.session.position_ms() > past_ms)
        assert self.session.is_playing  # whatever the microphone did, the song plays on
        self.session.stop()
        await self.until(lambda: any(isinstance(e, FinalScore) for e in events))
        return events


@pytest.fixture
async def karaoke(tmp_path: Path) -> AsyncIterator[Karaoke]:
    backing = tmp_path / "backing.wav"
    t = np.arange(TextSong.DURATION_MS * 16) / 16000
    write_wav(backing, (0.05 * np.sin(2 * np.pi * 110 * t)).astype(np.float32))
    provider = TextSong(backing, "")
    backend = VlcBackend(aout="dummy")
    session = KaraokeSession({"mem": provider}, backend)  # type: ignore[dict-item]
    yield Karaoke(session, provider)
    await session.aclose()
    backend.close()
