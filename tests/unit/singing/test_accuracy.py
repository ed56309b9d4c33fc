"""The scoring must-holds, on singers synthesised from the reference melody.

Each singer is a voice-like tone (harmonics, vibrato, jitter, breath noise) rendered from
the reference notes, then detected and scored through the same path as the CLI. The
second half does the same against a reference *extracted* from a demo song's original
vocal track, with singers rendered from the song's true score (packaging/demo).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from ktvdesk.models import VocalLayout
from ktvdesk.singing.extract import VocalSource, extract_notes, melody_from_notes
from ktvdesk.singing.melody import Melody
from ktvdesk.singing.pitch import SAMPLE_RATE, Samples, detect
from ktvdesk.singing.scorer import Difficulty, score_frames
from tests.unit.singing.demo_truth import DEMO, true_melody
from tests.unit.singing.voices import noise, speech, voice


def _score(reference: Melody, audio: Samples, **options: object) -> float:
    frames = detect(audio)
    return score_frames(reference, frames.midi, frames.first_ms, **options).score  # type: ignore[arg-type]


Singer = Callable[[Melody], tuple[Samples, dict[str, object]]]


def _seconds(melody: Melody) -> float:
    return (melody.end_ms + 1500) / 1000


def _scores(reference: Melody, sung_from: Melody) -> dict[str, float]:
    length = _seconds(sung_from)
    silence = np.zeros(int(length * SAMPLE_RATE), dtype=np.float32)
    return {
        "on_pitch": _score(reference, voice(sung_from)),
        "octave_below": _score(reference, voice(sung_from, semitones=-12)),
        "sharp_50_cents": _score(reference, voice(sung_from, semitones=0.5), difficulty=Difficulty.NORMAL),
        "three_semitones_off": _score(reference, voice(sung_from, semitones=3)),
        "silence": _score(reference, silence),
        "noise": _score(reference, noise(length)),
        "speech": _score(reference, speech(length)),
        "late_150_compensated": _score(reference, voice(sung_from, delay_ms=150), latency_ms=150),
    }


def _check(scores: dict[str, float]) -> None:
    assert scores["on_pitch"] >= 95, scores
    assert scores["octave_below"] >= 90, scores
    assert scores["sharp_50_cents"] >= 70, scores
    assert scores["three_semitones_off"] <= 30, scores
    assert scores["silence"] == 0, scores
    assert scores["noise"] <= 15, scores
    assert scores["speech"] <= 15, scores
    assert abs(scores["late_150_compensated"] - scores["on_pitch"]) <= 3, scores
    ordered = [scores[k] for k in ("on_pitch", "sharp_50_cents", "three_semitones_off")]
    assert ordered == sorted(ordered, reverse=True), scores


def test_synthetic_singers_against_notes(melody: Melody) -> None:
    _check(_scores(melody, melody))


def test_late_singer_without_compensation_loses_points_on_hard(melody: Melody) -> None:
    # The compensation is what the test above relies on, not luck of the coyote time.
    late = voice(melody, delay_ms=300)
    assert _score(melody, late, latency_ms=300) > _score(melody, late) + 10


@pytest.fixture(scope="module")
def extracted_jasmine() -> Melody:
    source = VocalSource(str(DEMO / "江苏民歌 - 茉莉花.mkv"), VocalLayout.TWO_TRACKS)
    return melody_from_notes(extract_notes(source))


def _first(melody: Melody, until_ms: int) -> Melody:
    return Melody(tuple(n for n in melody.notes if n.end_ms <= until_ms), melody.source)


def test_synthetic_singers_against_an_extracted_vocal_track(extracted_jasmine: Melody) -> None:
    # The first verse (about 50 s) keeps the test quick; the whole song is in the bench.
    _check(_scores(_first(extracted_jasmine, 50_000), _first(true_melody("茉莉花"), 50_000)))


def test_extracted_melody_matches_the_true_score(extracted_jasmine: Melody) -> None:
    """Over the song, the extracted note under each true note's middle has its pitch."""
    truth = true_melody("茉莉花")
    starts = [n.start_ms for n in extracted_jasmine.notes]
    hits = 0
    for note in truth.notes:
        middle = (note.start_ms + note.end_ms) // 2
        i = int(np.searchsorted(starts, middle, side="right")) - 1
        found = extracted_jasmine.notes[i] if i >= 0 else None
        if found is not None and found.end_ms > middle and abs(found.pitch - note.pitch) < 0.5:
            hits += 1
    assert hits / len(truth.notes) >= 0.9
