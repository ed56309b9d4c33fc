"""A private PulseAudio server with a null sink, started and stopped by the tests.

The singer WAV is played into the null sink with `paplay`; ktvdesk records the sink's
monitor source through the same `SoundDeviceMicrophone` a real microphone uses
(PortAudio → ALSA's pulse device → this server).
"""

from __future__ import annotations

import fcntl
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

SINK = "ktv_test_sink"


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
            self.process.stdin.close()
        self.process.wait(timeout=30)


@dataclass(frozen=True)
class Pulse:
    server: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    @property
    def monitor(self) -> str:
        return f"{SINK}.monitor"

    def raw_player(self) -> RawPlayer:
        """One long-lived player fed through a pipe: no process start-up inside a measurement."""
        process = subprocess.Popen(
            [
                "paplay",
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


@pytest.fixture
def pulse(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pulse]:
    for tool in ("pulseaudio", "paplay", "pactl"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run `make` (packaging/system-deps.sh installs pulseaudio)")
    root = tmp_path_factory.mktemp("pulse")
    runtime, home = root / "run", root / "home"
    (runtime / "pulse").mkdir(parents=True)
    home.mkdir()
    socket = runtime / "pulse" / "native"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
        "PULSE_SERVER": f"unix:{socket}",
    }
    env.pop("PULSE_SOURCE", None)
    process = subprocess.Popen(
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
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    started = threading.Event()
    log: list[str] = []

    def drain() -> None:  # read the log: its "startup complete" line is the ready signal
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode(errors="replace")
            log.append(line)
            if "Daemon startup complete" in line:
                started.set()
        started.set()  # exited

    threading.Thread(target=drain, daemon=True).start()
    try:
        if not started.wait(30) or process.poll() is not None:
            pytest.fail("pulseaudio did not start:\n" + "".join(log[-20:]))
        for key in ("HOME", "XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_SERVER"):
            monkeypatch.setenv(key, env[key])
        monkeypatch.delenv("PULSE_SOURCE", raising=False)
        yield Pulse(env["PULSE_SERVER"], env, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
