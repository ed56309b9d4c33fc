from __future__ import annotations

import math

import pytest

from ktvdesk.singing.melody import Melody, MelodySource, Note, NoteKind
from ktvdesk.singing.scorer import (
    Difficulty,
    Rating,
    Scorer,
    folded_distance,
    grade_for,
    line_spans,
    rating_for,
    score_frames,
)

NAN = math.nan


def _frames(duration_ms: int, pitch_at: dict[tuple[int, int], float]) -> list[float]:
    out = [NAN] * (duration_ms // 10)
    for (start, end), pitch in pitch_at.items():
        for k in range(start // 10, end // 10):
            out[k] = pitch
    return out


def _melody(*notes: Note) -> Melody:
    return Melody(notes, MelodySource.NOTES)


def test_octave_folded_distance() -> None:
    assert folded_distance(48.0, 60.0) == 0
    assert folded_distance(61.0, 48.0) == 1
    assert folded_distance(66.0, 60.0) == 6
    assert folded_distance(59.5, 72.0) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("difficulty", "off", "full"),
    [
        ("easy", 1.9, True),
        ("easy", 2.8, False),
        ("normal", 0.9, True),
        ("normal", 1.6, False),
        ("hard", 0.4, True),
        ("hard", 1.1, False),
    ],
)
def test_tolerance_by_difficulty(difficulty: str, off: float, full: bool) -> None:
    melody = _melody(Note(0, 1000, 60.0))
    result = score_frames(
        melody, _frames(1000, {(0, 1000): 60.0 + off}), 0, difficulty=Difficulty(difficulty)
    )
    assert (result.score == 100) is full
    if not full:
        assert result.score == 0


def test_golden_notes_count_double() -> None:
    melody = _melody(Note(0, 1000, 60.0), Note(1000, 2000, 62.0, NoteKind.GOLDEN))
    only_normal = score_frames(melody, _frames(2000, {(0, 1000): 60.0}), 0).score
    only_golden = score_frames(melody, _frames(2000, {(1000, 2000): 62.0}), 0).score
    assert only_golden == pytest.approx(2 * only_normal, abs=0.2)


def test_rests_in_the_reference_never_penalise() -> None:
    melody = _melody(Note(0, 500, 60.0), Note(3000, 3500, 64.0))
    quiet_rest = score_frames(melody, _frames(4000, {(0, 500): 60.0, (3000, 3500): 64.0}), 0).score
    noisy_rest = score_frames(
        melody, _frames(4000, {(0, 500): 60.0, (500, 3000): 70.0, (3000, 3500): 64.0}), 0
    ).score
    assert quiet_rest == noisy_rest == 100


def test_coyote_time_forgives_a_late_start_of_each_note() -> None:
    melody = _melody(Note(0, 600, 60.0), Note(600, 1200, 65.0))
    late_80ms = _frames(1200, {(80, 600): 60.0, (680, 1200): 65.0})
    assert score_frames(melody, late_80ms, 0).score == 100


def test_freestyle_is_not_scored_and_rap_asks_only_for_voice() -> None:
    melody = _melody(Note(0, 1000, 60.0, NoteKind.FREESTYLE), Note(1000, 2000, 60.0, NoteKind.RAP))
    result = score_frames(melody, _frames(2000, {(1000, 2000): 67.0}), 0)
    assert result.score == 100


def test_latency_compensation_moves_frames_back() -> None:
    melody = _melody(Note(0, 400, 60.0), Note(400, 800, 67.0))
    late = _frames(1200, {(250, 650): 60.0, (650, 1050): 67.0})
    assert score_frames(melody, late, 0).score < 60
    assert score_frames(melody, late, 0, latency_ms=250).score == 100


def test_lines_finish_as_time_passes_and_rate_their_singing() -> None:
    melody = _melody(
        Note(0, 500, 60.0, line=0), Note(600, 1000, 62.0, line=0), Note(2000, 2500, 64.0, line=1)
    )
    scorer = Scorer(melody)
    finished = scorer.feed_many(0, _frames(1100, {(0, 1000): 60.0}))
    assert [r.line for r in finished] == [0]
    assert 40 <= finished[0].score < 70 and finished[0].rating is Rating.GOOD
    result = scorer.finish()
    assert [r.line for r in result.lines] == [0, 1]
    assert result.lines[1].score == 0 and result.lines[1].rating is Rating.MISS


def test_melodies_without_line_indices_split_at_long_rests() -> None:
    melody = _melody(Note(0, 500, 60.0), Note(600, 900, 62.0), Note(4000, 4500, 64.0))
    assert [(s.start_ms, s.end_ms) for s in line_spans(melody)] == [(0, 900), (4000, 4500)]


def test_paused_scorer_gives_no_credit() -> None:
    melody = _melody(Note(0, 1000, 60.0))
    paused, listening = Scorer(melody), Scorer(melody)
    paused.paused = True
    for scorer in (paused, listening):
        scorer.feed_many(0, [60.0] * 100)
    assert (paused.finish().score, listening.finish().score) == (0, 100)


def test_grades_and_ratings() -> None:
    assert [grade_for(s) for s in (99, 92, 86, 80, 65, 10)] == ["SSS", "SS", "S", "A", "B", "C"]
    assert [rating_for(s) for s in (95, 75, 45, 5)] == [
        Rating.PERFECT,
        Rating.GREAT,
        Rating.GOOD,
        Rating.MISS,
    ]


def test_empty_melody_scores_zero() -> None:
    assert score_frames(_melody(), [60.0] * 10, 0).score == 0


def test_what_scoring_never_heard_costs_nothing() -> None:
    """Scoring that starts listening late (the reference found after the song began, 评分
    switched on mid-song) scores what it heard: earlier lines are left out, a note it joined
    counts only from where it joined, and what it heard still counts in full."""
    melody = _melody(
        Note(0, 1000, 60.0, line=0), Note(2000, 3000, 62.0, line=1), Note(4000, 5000, 64.0, line=2)
    )
    late = Scorer(melody)
    finished = late.feed_many(2500, _frames(3000, {(0, 500): 62.0, (1500, 2500): 64.0}))
    assert [r.line for r in finished] == [1, 2]  # no rating pop-up for the line it never heard
    assert all(r.score == 100 for r in finished)
    result = late.finish()
    assert [r.line for r in result.lines] == [1, 2] and result.score == 100
    # Heard from the start, the same singing misses the first line and half the second:
    assert (
        score_frames(melody, [NAN] * 250 + _frames(3000, {(0, 500): 62.0, (1500, 2500): 64.0}), 0).score
        < 60  # 54: line 0 and half of line 1 missed
    )
