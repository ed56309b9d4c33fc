"""A Yinsuda song is its accompaniment segment: played to its end, lyrics on its timeline.

Real parts: cloudsim in this process over loopback serving segment-only files (length
and FileSize = SegmentEnd − SegmentBegin), `ktvdesk play` in a child process with real
libVLC (dummy audio output), our provider for the lyrics.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.cloudsim import SimHandle, start_in_thread
from ktvdesk.cloudsim.catalog import SimSong, lyrics_bytes
from ktvdesk.lyrics import parse_lyrics

from .conftest import FAST_RETRY, settings_for

pytestmark = [pytest.mark.vlc]

# libVLC's dummy output flushes its last ~1.3 s at once: the last time it reports is that
# far before the end even on a good run (the engine's own early-end tolerance is 2.5 s).
END_SLACK_MS = 2500


@pytest.fixture(scope="module")
def sim() -> Iterator[SimHandle]:
    handle = start_in_thread(catalog_size=40, demo_dir=None)
    try:
        yield handle
    finally:
        handle.stop()


def _song(sim: SimHandle, index: int) -> SimSong:
    return [s for s in sim.state.catalog.songs if s.id.startswith("mid-") and s.has_lyrics and not s.status][
        index
    ]


def play(sim: SimHandle, song_id: str) -> tuple[int, list[dict[str, Any]], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KTVDESK_")}
    env.update(sim.yinsuda_env())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env["XDG_CONFIG_HOME"] = "/nonexistent-ktvdesk-test"
    done = subprocess.run(
        [sys.executable, "-m", "ktvdesk", "play", "--provider", "yinsuda", "--endpoint", sim.base_url,
         song_id, "--headless", "--report", "json"],
        capture_output=True, text=True, timeout=90, check=False, env=env,
    )  # fmt: skip
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


async def test_a_segment_plays_to_its_end_with_its_lyrics_on_its_timeline(sim: SimHandle) -> None:
    truth = _song(sim, 3)
    begin, end = truth.chorus_ms
    code, events, stderr = play(sim, truth.id)
    assert code == 0, stderr
    summary = events[-1]
    # The file's end is the song's normal end: no "early end", no recovery attempts.
    assert summary["end"] == "finished" and summary["errors"] == 0 and summary["recoveries"] == 0
    assert end - begin - END_SLACK_MS <= summary["position_ms"] <= end - begin
    assert summary["source"].endswith("-seg.wav")
    # The whole song's first word sung inside the segment, at its time inside the file.
    whole = parse_lyrics(lyrics_bytes(truth))
    first = next(w for line in whole.lines for w in line.words if w.start_ms >= begin)
    assert first.start_ms < end
    provider = YinsudaProvider(settings_for(sim), retry=FAST_RETRY)
    try:
        (detail,) = await provider.details([truth.id])
        lyrics = await provider.fetch_lyrics(detail.song)
    finally:
        await provider.aclose()
    assert lyrics is not None
    words = [w for line in lyrics.lines for w in line.words if w.start_ms > 0]
    assert (words[0].text, words[0].start_ms) == (first.text, first.start_ms - begin)


def test_a_segment_link_cut_midway_resumes_inside_the_segment(sim: SimHandle) -> None:
    truth = _song(sim, 4)
    length_ms = truth.chorus_ms[1] - truth.chorus_ms[0]
    refused_before = sim.faults.media_refused
    # The edge drops the stream halfway and then refuses that link: libVLC cannot just
    # reconnect, the engine needs a fresh link and must resume at the same file time.
    sim.faults.cut_media(1, 0.5, refuse_after=1)
    code, events, stderr = play(sim, truth.id)
    assert code == 0, stderr
    assert sim.faults.media_refused == refused_before + 1
    (error,) = [e for e in events if e["event"] == "error"]
    (recovered,) = [e for e in events if e["event"] == "recovered"]
    assert error["will_retry"] and 0 < error["position_ms"] < length_ms
    assert error["position_ms"] <= recovered["position_ms"] < length_ms
    summary = events[-1]
    assert summary["end"] == "finished" and summary["recoveries"] == 1
    assert length_ms - END_SLACK_MS <= summary["position_ms"] <= length_ms
    uses = [u for u in sim.access_log.uses() if truth.id in u.path]
    assert uses and all(u.path.endswith(f"{truth.id}-seg.wav") for u in uses)
