"""UltraStar `#VIDEOGAP` on a second libVLC player: how far the picture is from where the
lyric clock says it should be, over 20 s of playing (run with `pytest -s`).

Side by side on the same song: the follower as shipped (slew and seek), and the follower
that only starts the video at the right place and then leaves it alone (the baseline: what
two free-running players give). Every 20 ms the frame on screen (a counter video decoded
into memory) is compared with `video_time_ms(lyric clock, gap)`; printed per 5 s window
as median and 90th percentile of |error|, and the ratio of the two.
"""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path

import pytest

from ktvdesk.models import MediaSource
from ktvdesk.playback import PlaybackEngine, PlayerState
from ktvdesk.playback import video_gap as video_gap_module
from ktvdesk.playback.video_gap import video_time_ms
from ktvdesk.playback.vlc_backend import VlcBackend, probe_vlc
from tests.integration.formats.counter_video import FRAME_MS, HEIGHT, WIDTH, frame_number, write_counter_video
from tests.integration.formats.library_tree import write_tone

pytestmark = pytest.mark.vlc

GAP_MS = 1500
SECONDS = 20
WINDOW_S = 5


async def _offsets(source: MediaSource) -> list[tuple[int, int]]:
    backend = VlcBackend(aout="dummy", video=True)
    frames = backend.capture_video(WIDTH, HEIGHT)
    engine = PlaybackEngine(backend)
    found: list[tuple[int, int]] = []
    try:
        engine.load(source)
        for _ in range(SECONDS * 50):
            await asyncio.sleep(0.02)
            audio_ms = engine.position_ms
            number = frame_number(frames)
            if number is not None and engine.state is PlayerState.PLAYING:
                shown = number * FRAME_MS + FRAME_MS // 2
                found.append((audio_ms, shown - video_time_ms(audio_ms, GAP_MS)))
    finally:
        await engine.aclose()
        backend.close()
    return found


def _p90(values: list[int]) -> int:
    ordered = sorted(abs(v) for v in values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def test_video_gap_offsets_with_and_without_corrections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    available, reason = probe_vlc()
    if not available:
        pytest.fail(reason)
    source = MediaSource(
        url=str(write_tone(tmp_path / "song.wav", SECONDS + 4)),
        video_url=str(write_counter_video(tmp_path / "counter.mkv", SECONDS + 6)),
        video_gap_ms=GAP_MS,
    )
    followed = asyncio.run(_offsets(source))
    monkeypatch.setattr(video_gap_module, "SEEK_BEYOND_MS", 10**9)
    monkeypatch.setattr(video_gap_module, "DEAD_BAND_MS", 10**9)
    free = asyncio.run(_offsets(source))
    print(f"\nvideo gap {GAP_MS} ms, {SECONDS} s, frame {FRAME_MS} ms; error = shown - wanted video time")
    print(f"{'window':>10} | {'followed median/p90':>20} | {'free-running median/p90':>24} | p90 ratio")
    for start in range(0, SECONDS * 1000, WINDOW_S * 1000):
        ours = [e for at, e in followed if start <= at < start + WINDOW_S * 1000]
        theirs = [e for at, e in free if start <= at < start + WINDOW_S * 1000]
        if not ours or not theirs:
            continue
        print(
            f"{start // 1000:>4}-{start // 1000 + WINDOW_S:<4}s | "
            f"{statistics.median(ours):>9.0f} / {_p90(ours):<8} | "
            f"{statistics.median(theirs):>12.0f} / {_p90(theirs):<9} | {_p90(ours) / max(1, _p90(theirs)):.2f}"
        )
    every = [e for _, e in followed]
    print(f"followed, whole run: median {statistics.median(every):.0f} ms, p90 |error| {_p90(every)} ms")
    assert followed and free
