"""Lyric clock vs the naive clock on a real libVLC playback (run with `pytest -s`).

At every instant libVLC publishes a new time, each clock's value just before that
instant is compared with the newly published value: that difference is how wrong the
lyric view was a moment ago. The naive clock is `get_time()` itself (what the view
would draw without interpolation). Printed side by side, with backward steps.
"""

from __future__ import annotations

import statistics
import time
import wave
from pathlib import Path

import pytest

from ktvdesk.playback import PlaybackClock
from ktvdesk.playback.backend import MediaOptions
from ktvdesk.playback.vlc_backend import VlcBackend, probe_vlc

pytestmark = pytest.mark.vlc

SECONDS = 32
WARM_UP_PUBLICATIONS = 2  # nobody can predict before the first published time


class _Held:
    """The clock's view of the player: the harness decides when it sees a new time."""

    def __init__(self, backend: VlcBackend) -> None:
        self.backend = backend
        self.time_ms = 0

    def get_time(self) -> int:
        return self.time_ms

    def is_playing(self) -> bool:
        return self.backend.is_playing()


def _silent_wav(path: Path, seconds: int) -> Path:
    rate = 8000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * rate * seconds)
    return path


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def test_lyric_clock_against_naive_get_time(tmp_path: Path) -> None:
    available, reason = probe_vlc()
    if not available:
        pytest.skip(reason)
    backend = VlcBackend(aout="dummy")
    backend.open(str(_silent_wav(tmp_path / "silence.wav", SECONDS)), MediaOptions())
    held = _Held(backend)
    clock = PlaybackClock(held)
    ours_errors: list[float] = []
    naive_errors: list[float] = []
    ours_back = naive_back = 0
    last_ours = last_naive = 0
    publications = 0
    backend.play()
    deadline = time.monotonic() + SECONDS + 10
    try:
        while time.monotonic() < deadline:
            raw = max(0, backend.get_time())
            if raw != held.time_ms and backend.is_playing():
                publications += 1
                before_ours = clock.now_ms()  # still the old published time
                before_naive = held.time_ms
                if publications > WARM_UP_PUBLICATIONS:
                    ours_errors.append(abs(before_ours - raw))
                    naive_errors.append(abs(before_naive - raw))
                naive_back += raw < last_naive
                last_naive = raw
                held.time_ms = raw
            value = clock.now_ms()
            ours_back += value < last_ours
            last_ours = value
            if raw >= SECONDS * 1000 - 1500 or (publications and not backend.is_playing() and raw == 0):
                break
            time.sleep(0.001)
    finally:
        backend.close()

    assert len(ours_errors) >= 60, f"too few publications ({publications}) to measure"

    def row(name: str, ours: float, naive: float) -> str:
        ratio = f"{naive / ours:7.1f}x" if ours else "      -"
        return f"  {name:<22}{ours:>10.1f}{naive:>10.1f}  {ratio}"

    print()
    print(
        f"lyric clock vs naive get_time(): {len(ours_errors)} publications over {raw / 1000:.1f} s of libVLC"
    )
    print(f"  {'(ms)':<22}{'ours':>10}{'naive':>10}  naive/ours")
    print(row("p50 error", statistics.median(ours_errors), statistics.median(naive_errors)))
    print(row("p95 error", _percentile(ours_errors, 0.95), _percentile(naive_errors, 0.95)))
    print(row("max error", max(ours_errors), max(naive_errors)))
    print(f"  {'backward steps':<22}{ours_back:>10}{naive_back:>10}")
    print("  targets for ours: p95 <= 10 ms, max <= 30 ms, 0 backward steps")
    assert ours_back == 0
