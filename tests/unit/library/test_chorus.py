"""The chorus of a local song (`ktvdesk/catalog/local/chorus.py`), measured on the demo
library against choruses labelled by ear, and on small hand-written lyrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktvdesk import paths
from ktvdesk.catalog.local.chorus import CLIP_MAX_MS, find_chorus
from ktvdesk.lyrics import parse_lyrics

# Where each demo song's chorus (refrain) is sung, labelled by listening and reading the
# score: (begin_ms, end_ms) of every occurrence. None: the song has no refrain.
LABELS: dict[str, tuple[tuple[int, int], ...] | None] = {
    "John Newton - Amazing Grace": None,  # a hymn of distinct verses
    "Robert Burns - Auld Lang Syne": ((24_375, 44_375), (69_375, 89_375)),  # "For auld lang syne, my jo"
    "李叔同 - 送别": ((28_571, 51_429), (80_000, 102_857)),  # "天之涯，地之角"
    "江苏民歌 - 茉莉花": ((3_158, 50_526), (55_263, 102_632)),  # "好一朵美丽的茉莉花" (strophic)
    "两只老虎": ((4_138, 20_690), (24_828, 41_379), (45_517, 62_069)),  # each stanza
    "Twinkle Twinkle Little Star-Jane Taylor": ((4_615, 13_846), (23_077, 32_308), (55_385, 64_615)),
}
BEGIN_TOLERANCE_MS = 2_000


def _demo_lyrics(stem: str, suffix: str) -> Path:
    found = list(paths.demo_library_dir().rglob(f"{stem}{suffix}"))
    assert found, f"demo lyrics {stem}{suffix} missing"
    return found[0]


def _judge(stem: str, suffix: str) -> tuple[bool, bool]:
    """(strict, lenient) hit: strict = begins within 2 s of a labelled chorus; lenient =
    covers at least 80 % of one (or both say "no chorus")."""
    chorus = find_chorus(parse_lyrics(_demo_lyrics(stem, suffix).read_bytes()))
    label = LABELS[stem]
    if label is None or chorus is None:
        return (label is None and chorus is None,) * 2  # type: ignore[return-value]
    clip = chorus.clip
    strict = any(abs(clip.begin_ms - begin) <= BEGIN_TOLERANCE_MS for begin, _ in label)
    lenient = any(
        min(clip.end_ms, end) - max(clip.begin_ms, begin) >= 0.8 * min(end - begin, CLIP_MAX_MS)
        for begin, end in label
    )
    return strict, lenient


@pytest.mark.parametrize("suffix", [".lrc", ".krc"])
def test_hit_rate_on_the_demo_songs(suffix: str) -> None:
    results = {stem: _judge(stem, suffix) for stem in LABELS}
    strict = sum(s for s, _ in results.values())
    lenient = sum(le for _, le in results.values())
    print(
        f"chorus detection ({suffix}): strict {strict}/{len(LABELS)}, lenient {lenient}/{len(LABELS)}: {results}"
    )
    assert lenient == len(LABELS)
    assert strict >= len(LABELS) - 1  # Auld Lang Syne starts one line early ("auld lang syne!")


def test_the_longer_refrain_beats_a_repeated_single_line() -> None:
    text = "\n".join(
        [
            "[00:00.00]verse one line",
            "[00:05.00]oh oh",
            "[00:10.00]refrain starts here",
            "[00:15.00]refrain goes on",
            "[00:20.00]la la",
            "[00:25.00]verse two line",
            "[00:30.00]la la",
            "[00:35.00]Refrain starts here!",
            "[00:40.00]refrain goes on",
            "[00:45.00]la la",
            "[00:50.00]end",
        ]
    )
    chorus = find_chorus(parse_lyrics(text.encode()))
    assert chorus is not None and chorus.source == "repeat"
    assert chorus.clip.begin_ms == 10_000  # not "la la", which repeats more but is short
    assert 15_000 <= chorus.clip.duration_ms <= CLIP_MAX_MS


def test_no_repeat_no_chorus_and_no_lyrics_no_chorus() -> None:
    text = "[00:01.00]one\n[00:05.00]two\n[00:09.00]three\n"
    assert find_chorus(parse_lyrics(text.encode())) is None
    assert find_chorus(None) is None


def test_ultrastar_medley_markers_win() -> None:
    text = "\n".join(
        [
            "#TITLE:Test",
            "#ARTIST:Me",
            "#BPM:300",
            "#GAP:1000",
            "#MEDLEYSTARTBEAT:40",
            "#MEDLEYENDBEAT:120",
            ": 0 4 60 la",
            ": 8 4 60 la",
            "- 16",
            ": 20 4 60 la",
            ": 28 4 60 la",
            "- 36",
            ": 40 4 62 hey",
            ": 48 4 62 yo",
            "E",
        ]
    )
    chorus = find_chorus(parse_lyrics(text.encode()))
    assert chorus is not None and chorus.source == "medley"
    beat_ms = 60_000 / (300 * 4)
    assert chorus.clip.begin_ms == round(1000 + 40 * beat_ms)
    assert chorus.clip.end_ms == round(1000 + 120 * beat_ms)
