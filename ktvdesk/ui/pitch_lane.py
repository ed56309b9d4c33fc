"""The pitch lane: reference notes as bars scrolling with the song clock, the sung pitch
as a live trace, golden notes glowing, a note lighting up as it is hit, and a rating
pop-up at the end of each line.

Pitch is drawn folded the way the scorer folds it: a sung frame is shown in the octave
nearest the note it is scored against, so a man singing an octave down sees his trace
on the bars. The lane paints from the clock each frame; it keeps only a few seconds of
trace.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ktvdesk.singing.melody import Melody, Note, NoteKind
from ktvdesk.singing.scorer import FrameResult, LineResult, Rating
from ktvdesk.ui.i18n import tr

FRAME_MS = 16
PAST_MS = 1500  # the "now" line sits this far from the left edge, in time
FUTURE_MS = 4500
SEMITONES_SHOWN = 18
POPUP_MS = 1400
BAR = QColor(120, 170, 255, 170)
BAR_HIT = QColor(120, 255, 170, 230)
GOLDEN = QColor(255, 205, 60, 220)
TRACE = QColor(255, 90, 140)
TRACE_2 = QColor(80, 220, 255)  # player 2 in a duet
NOW_LINE = QColor(255, 255, 255, 90)


def _rating_text(rating: Rating) -> str:
    return {
        Rating.PERFECT: tr("Perfect"),
        Rating.GREAT: tr("Great"),
        Rating.GOOD: tr("Good"),
        Rating.MISS: tr("Miss"),
    }[rating]


class PitchLane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setMinimumHeight(60)
        self._clock: Callable[[], int] = lambda: 0
        self._melody: Melody | None = None
        self._starts: list[int] = []
        self._centre = 60.0
        self._traces: dict[int, deque[tuple[int, float | None]]] = {}  # player → (time, pitch)
        self._hit: dict[int, float] = {}  # note start → credit so far
        self._popup: tuple[LineResult, float] | None = None
        self._message: str | None = None
        self.painted_ns: deque[tuple[int, int]] = deque(maxlen=5000)  # (captured, painted): the bench
        self._pending_captured: list[int] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.update)

    # -- inputs -----------------------------------------------------------------------

    def set_clock(self, clock: Callable[[], int]) -> None:
        self._clock = clock

    def set_melody(self, melody: Melody | None) -> None:
        self._melody = melody
        notes = melody.notes if melody is not None else ()
        self._starts = [n.start_ms for n in notes]
        pitches = sorted(n.pitch for n in notes if n.scored_on_pitch)
        self._centre = pitches[len(pitches) // 2] if pitches else 60.0
        self._traces.clear()
        self._hit.clear()
        self._popup = None
        self.setVisible(melody is not None)

    def add_frame(self, frame: FrameResult, captured_ns: int = 0, player: int = 1) -> None:
        pitch = frame.pitch
        if pitch is not None and frame.note is not None and frame.note.scored_on_pitch:
            pitch += 12.0 * round((frame.note.pitch - pitch) / 12.0)  # the octave of the note
        elif pitch is not None:
            pitch += 12.0 * round((self._centre - pitch) / 12.0)
        trace = self._traces.setdefault(player, deque(maxlen=(PAST_MS + 200) // 10))
        trace.append((frame.time_ms, pitch))
        if frame.note is not None and frame.credit > 0:
            self._hit[frame.note.start_ms] = self._hit.get(frame.note.start_ms, 0.0) + frame.credit
        if captured_ns:
            self._pending_captured.append(captured_ns)

    def show_rating(self, line: LineResult) -> None:
        self._popup = (line, time.monotonic())

    def set_message(self, text: str | None) -> None:
        """A notice over the lane (the microphone was unplugged…); None clears it."""
        self._message = text
        self.update()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    # -- painting ---------------------------------------------------------------------

    def _x(self, time_ms: float, now_ms: int) -> float:
        span = PAST_MS + FUTURE_MS
        return (time_ms - now_ms + PAST_MS) / span * self.width()

    def _y(self, pitch: float) -> float:
        offset = pitch - self._centre
        offset -= 12.0 * round(offset / 12.0) if abs(offset) > SEMITONES_SHOWN / 2 else 0.0
        return self.height() * (0.5 - offset / SEMITONES_SHOWN)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 110))
        now = int(self._clock())
        bar_h = max(4.0, self.height() / SEMITONES_SHOWN * 0.8)
        for note in self._visible_notes(now):
            self._paint_note(painter, note, now, bar_h)
        self._paint_trace(painter, now)
        x_now = self._x(now, now)
        painter.setPen(QPen(NOW_LINE, 2))
        painter.drawLine(int(x_now), 0, int(x_now), self.height())
        self._paint_popup(painter)
        if self._message:
            painter.setPen(QColor("white"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
        painter.end()
        if self._pending_captured:
            painted = time.monotonic_ns()
            self.painted_ns.extend((c, painted) for c in self._pending_captured)
            self._pending_captured.clear()

    def _visible_notes(self, now: int) -> list[Note]:
        if self._melody is None:
            return []
        first = max(0, bisect.bisect_left(self._starts, now - PAST_MS - 10_000))
        last = bisect.bisect_right(self._starts, now + FUTURE_MS)
        return [n for n in self._melody.notes[first:last] if n.end_ms >= now - PAST_MS]

    def _paint_note(self, painter: QPainter, note: Note, now: int, bar_h: float) -> None:
        left, right = self._x(note.start_ms, now), self._x(note.end_ms, now)
        rect = QRectF(left, self._y(note.pitch) - bar_h / 2, max(2.0, right - left), bar_h)
        frames = max(1.0, (note.end_ms - note.start_ms) / 10)
        hit = min(1.0, self._hit.get(note.start_ms, 0.0) / frames)
        golden = note.kind in (NoteKind.GOLDEN, NoteKind.GOLDEN_RAP)
        colour = GOLDEN if golden else BAR
        if golden:  # the glow: a wider, fainter bar behind
            glow = QColor(colour)
            glow.setAlpha(70)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(glow)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), bar_h, bar_h)
        if hit > 0.5:
            colour = BAR_HIT if not golden else QColor(255, 240, 150)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, bar_h / 2, bar_h / 2)

    def _paint_trace(self, painter: QPainter, now: int) -> None:
        for player, trace in sorted(self._traces.items()):
            colour = TRACE if player == 1 else TRACE_2
            painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            self._paint_points(painter, now, trace)

    def _paint_points(self, painter: QPainter, now: int, trace: deque[tuple[int, float | None]]) -> None:
        previous: tuple[float, float] | None = None
        for time_ms, pitch in trace:
            if pitch is None or time_ms < now - PAST_MS:
                previous = None
                continue
            point = (self._x(time_ms, now), self._y(pitch))
            if previous is not None and abs(point[1] - previous[1]) < self.height() / 3:
                painter.drawLine(int(previous[0]), int(previous[1]), int(point[0]), int(point[1]))
            previous = point

    def _paint_popup(self, painter: QPainter) -> None:
        if self._popup is None:
            return
        line, shown = self._popup
        age_ms = (time.monotonic() - shown) * 1000
        if age_ms > POPUP_MS:
            self._popup = None
            return
        text = _rating_text(line.rating)
        font = QFont(self.font())
        font.setPixelSize(max(14, self.height() // 3))
        font.setBold(True)
        painter.setFont(font)
        alpha = int(255 * (1 - age_ms / POPUP_MS))
        colour = GOLDEN if line.rating is Rating.PERFECT else QColor(255, 255, 255)
        colour.setAlpha(alpha)
        painter.setPen(colour)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, text + "  ")
