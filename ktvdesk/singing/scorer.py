"""The scorer: sung pitch frames against the reference melody, line by line.

Fairness rules (the anchors' and the users' complaints):

- Octave-folded distance: a man may sing a woman's song an octave down.
- Tolerance by difficulty (easy ±2, normal ±1, hard ±0.5 semitones), with a soft edge of
  half a semitone beyond it, so 1.2 semitones off at normal still earns something.
- Only frames inside notes count: the reference's rests never penalise, and neither does
  what the singer does in them.
- Coyote time: the first `COYOTE_MS` of a note may be missed (the singer is finding it).
- What scoring never heard costs nothing: notes over before its first frame (the song
  began before the reference was found, or 评分 was switched on mid-song).
- Latency compensation: a frame captured at clock time t was sung at t - latency.
- Golden notes weigh double; freestyle notes weigh nothing; rap notes ask only for voice.
- A note's credit is its in-tune fraction mapped so that 80 % in tune is full credit and
  15 % or less is none: random pitch (speech, noise) that crosses the melody by chance
  earns nothing, a real singer's wobbles cost little.

`Scorer` is incremental: the live pipeline feeds frames as the microphone delivers them
and gets a `LineResult` as each line ends; the offline `score_frames` feeds the same
scorer, so the live and the offline score of the same singing agree.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ktvdesk.singing.melody import Melody, Note

HOP_MS = 10
COYOTE_MS = 100
FULL_CREDIT_FRACTION = 0.8
NO_CREDIT_FRACTION = 0.15
SOFT_EDGE_SEMITONES = 0.5
LINE_GAP_MS = 1500  # melodies without line indices are split into lines at rests this long


class Difficulty(StrEnum):
    EASY = "easy"
    NORMAL = "normal"
    HARD = "hard"

    @property
    def tolerance(self) -> float:
        return {"easy": 2.0, "normal": 1.0, "hard": 0.5}[self.value]


class Rating(StrEnum):
    PERFECT = "Perfect"
    GREAT = "Great"
    GOOD = "Good"
    MISS = "Miss"


def rating_for(score: float) -> Rating:
    if score >= 90:
        return Rating.PERFECT
    if score >= 70:
        return Rating.GREAT
    if score >= 40:
        return Rating.GOOD
    return Rating.MISS


_GRADES = ((95.0, "SSS"), (90.0, "SS"), (85.0, "S"), (75.0, "A"), (60.0, "B"))


def grade_for(score: float) -> str:
    return next((grade for floor, grade in _GRADES if score >= floor), "C")


def folded_distance(sung: float, reference: float) -> float:
    """Semitones between two pitches, ignoring whole octaves (0..6)."""
    delta = (sung - reference) % 12.0
    return min(delta, 12.0 - delta)


def frame_credit(distance: float, tolerance: float) -> float:
    if distance <= tolerance:
        return 1.0
    return max(0.0, 1.0 - (distance - tolerance) / SOFT_EDGE_SEMITONES)


@dataclass(frozen=True, slots=True)
class LineSpan:
    index: int
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class LineResult:
    line: int
    start_ms: int
    end_ms: int
    score: float  # 0..100
    rating: Rating


@dataclass(frozen=True, slots=True)
class FrameResult:
    """One sung frame as the pitch lane draws it."""

    time_ms: int  # on the song's clock, latency already removed
    pitch: float | None  # sung MIDI pitch, None when unvoiced
    note: Note | None  # the reference note under the frame
    credit: float  # 0..1, 0 outside notes


@dataclass(frozen=True, slots=True)
class ScoreResult:
    score: float
    grade: str
    lines: tuple[LineResult, ...]


@dataclass(slots=True)
class _NoteTally:
    note: Note
    expected: float  # frames the note asks for, coyote time excluded
    credit: float = 0.0

    @property
    def fraction(self) -> float:
        return min(1.0, self.credit / self.expected) if self.expected > 0 else 0.0

    @property
    def value(self) -> float:
        span = FULL_CREDIT_FRACTION - NO_CREDIT_FRACTION
        return min(1.0, max(0.0, (self.fraction - NO_CREDIT_FRACTION) / span))


@dataclass(slots=True)
class _LineTally:
    span: LineSpan
    notes: list[_NoteTally] = field(default_factory=list)
    done: bool = False
    heard: bool = True  # False: over before scoring began listening

    @property
    def weight(self) -> float:
        return sum(t.note.weight * t.expected for t in self.notes)

    @property
    def score(self) -> float:
        weight = self.weight
        if weight == 0:
            return 0.0
        return 100.0 * sum(t.note.weight * t.expected * t.value for t in self.notes) / weight


def line_spans(melody: Melody) -> list[LineSpan]:
    """The melody's lines, from its notes' line indices (or its rests when it has none)."""
    notes = sorted(melody.notes, key=lambda n: n.start_ms)
    if not notes:
        return []
    indices = [n.line for n in notes]
    if len(set(indices)) <= 1 and len(notes) > 1:
        indices = _lines_by_rests(notes)
    spans: dict[int, LineSpan] = {}
    for note, index in zip(notes, indices, strict=True):
        span = spans.get(index)
        start = note.start_ms if span is None else min(span.start_ms, note.start_ms)
        end = note.end_ms if span is None else max(span.end_ms, note.end_ms)
        spans[index] = LineSpan(index, start, end)
    return sorted(spans.values(), key=lambda s: s.start_ms)


def _lines_by_rests(notes: Sequence[Note]) -> list[int]:
    indices, line, previous_end = [], 0, notes[0].start_ms
    for note in notes:
        if note.start_ms - previous_end >= LINE_GAP_MS:
            line += 1
        indices.append(line)
        previous_end = max(previous_end, note.end_ms)
    return indices


class Scorer:
    """Scores one player's singing against `melody` as frames arrive (in time order)."""

    def __init__(
        self,
        melody: Melody,
        *,
        difficulty: Difficulty = Difficulty.NORMAL,
        latency_ms: int = 0,
        player: int | None = None,
    ) -> None:
        if player is not None:
            melody = melody.for_player(player)
        self.melody = melody
        self.difficulty = difficulty
        self.latency_ms = latency_ms
        self._notes = sorted((n for n in melody.notes if n.weight > 0), key=lambda n: n.start_ms)
        self._starts = [n.start_ms for n in self._notes]
        spans = line_spans(melody)
        line_of = dict(zip(_line_keys(melody), range(len(spans)), strict=False))
        self._lines = [_LineTally(span) for span in spans]
        self._tallies: list[_NoteTally] = []
        for note in self._notes:
            duration = note.end_ms - note.start_ms
            coyote = min(COYOTE_MS, duration * 0.3)
            tally = _NoteTally(note, max(1.0, (duration - coyote) / HOP_MS))
            self._tallies.append(tally)
            self._lines[_line_index(note, spans, line_of)].notes.append(tally)
        self._next_line = 0
        self._listening = False
        self.paused = False

    @property
    def lines(self) -> tuple[LineSpan, ...]:
        return tuple(line.span for line in self._lines)

    def feed(self, captured_ms: int, pitch: float | None) -> tuple[FrameResult, list[LineResult]]:
        """One frame captured at `captured_ms` on the song clock; returns the lines it finished."""
        time_ms = captured_ms - self.latency_ms
        if not self._listening:
            self._listen_from(time_ms)
        tally = self._tally_at(time_ms)
        credit = 0.0
        if tally is not None and pitch is not None and not self.paused:
            note = tally.note
            if note.scored_on_pitch:
                credit = frame_credit(folded_distance(pitch, note.pitch), self.difficulty.tolerance)
            else:
                credit = 1.0  # rap: any voice on the beat
            tally.credit += credit
        frame = FrameResult(time_ms, pitch, tally.note if tally else None, credit)
        return frame, self._finish_lines_before(time_ms)

    def feed_many(self, first_ms: int, pitches: Iterable[float]) -> list[LineResult]:
        finished: list[LineResult] = []
        for i, value in enumerate(pitches):
            _, lines = self.feed(first_ms + i * HOP_MS, None if math.isnan(value) else value)
            finished.extend(lines)
        return finished

    def _listen_from(self, time_ms: int) -> None:
        """Scoring began listening at `time_ms` (the song started before the reference
        was found, or 评分 was switched on mid-song): what it never heard costs nothing."""
        self._listening = True
        for tally in self._tallies:
            note = tally.note
            if note.end_ms <= time_ms:
                tally.expected = 0.0
            elif note.start_ms < time_ms:  # joined mid-note: only what is left of it
                tally.expected = min(tally.expected, max(1.0, (note.end_ms - time_ms) / HOP_MS))
        for line in self._lines:
            line.heard = line.span.end_ms > time_ms

    def _tally_at(self, time_ms: int) -> _NoteTally | None:
        i = bisect.bisect_right(self._starts, time_ms) - 1
        if i >= 0 and time_ms < self._notes[i].end_ms:
            return self._tallies[i]
        return None

    def _finish_lines_before(self, time_ms: int) -> list[LineResult]:
        finished = []
        while self._next_line < len(self._lines) and self._lines[self._next_line].span.end_ms <= time_ms:
            line = self._lines[self._next_line]
            closed = self._close(line)
            if line.heard:
                finished.append(closed)
            self._next_line += 1
        return finished

    @staticmethod
    def _close(line: _LineTally) -> LineResult:
        line.done = True
        score = line.score
        return LineResult(line.span.index, line.span.start_ms, line.span.end_ms, score, rating_for(score))

    def finish(self) -> ScoreResult:
        """The final result; lines never reached count as sung with no voice."""
        results = [self._close(line) for line in self._lines[self._next_line :]]
        self._next_line = len(self._lines)
        closed = [self._result_of(line) for line in self._lines[: len(self._lines) - len(results)]]
        heard = {line.span.index for line in self._lines if line.heard}
        lines = tuple(sorted((r for r in (*closed, *results) if r.line in heard), key=lambda r: r.start_ms))
        total_weight = sum(line.weight for line in self._lines)
        total = sum(line.weight * line.score for line in self._lines) / total_weight if total_weight else 0.0
        total = round(total, 1)
        return ScoreResult(total, grade_for(total), lines)

    @staticmethod
    def _result_of(line: _LineTally) -> LineResult:
        score = line.score
        return LineResult(line.span.index, line.span.start_ms, line.span.end_ms, score, rating_for(score))


def _line_keys(melody: Melody) -> list[int]:
    return [span.index for span in line_spans(melody)]


def _line_index(note: Note, spans: Sequence[LineSpan], line_of: dict[int, int]) -> int:
    by_index = line_of.get(note.line)
    if by_index is not None and spans[by_index].start_ms <= note.start_ms < spans[by_index].end_ms:
        return by_index
    # Melodies split by rests: the span holding the note's start.
    starts = [s.start_ms for s in spans]
    return max(0, bisect.bisect_right(starts, note.start_ms) - 1)


def score_frames(
    melody: Melody,
    midi: Sequence[float] | Iterable[float],
    first_ms: int,
    *,
    difficulty: Difficulty = Difficulty.NORMAL,
    latency_ms: int = 0,
) -> ScoreResult:
    """Score pitch frames (NaN = unvoiced) stamped `first_ms + k * 10` against `melody`."""
    scorer = Scorer(melody, difficulty=difficulty, latency_ms=latency_ms)
    scorer.feed_many(first_ms, midi)
    return scorer.finish()
