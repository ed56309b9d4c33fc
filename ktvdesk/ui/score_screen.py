"""The final score screen shown over the lyrics after a scored song: grade, score, and the
best score for this song (a new best says so). A duet sung on two microphones shows
each part's grade, score and best side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from ktvdesk.scoring import FinalScore, PartScore
from ktvdesk.ui.i18n import tr

SHOW_MS = 8000
GRADE_COLOURS = {
    "SSS": "#ffd84a",
    "SS": "#ffc04a",
    "S": "#ff9a4a",
    "A": "#7ee0ff",
    "B": "#b0ffb0",
    "C": "#dddddd",
}


def _part_best(part: PartScore) -> str:
    if part.best_before is None or part.result.score > part.best_before:
        return tr("Player {0}: new best!").format(part.player)
    return tr("Player {0}: best {1:.1f}").format(part.player, part.best_before)


class ScoreScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._final: FinalScore | None = None
        self._hide = QTimer(self)
        self._hide.setSingleShot(True)
        self._hide.timeout.connect(self.hide)
        self.hide()

    @property
    def final(self) -> FinalScore | None:
        return self._final

    def show_score(self, final: FinalScore) -> None:
        self._final = final
        if self.parentWidget() is not None:
            self.setGeometry(self.parentWidget().rect())  # type: ignore[union-attr]
        self.show()
        self.raise_()
        self._hide.start(SHOW_MS)

    def best_text(self) -> str:
        if self._final is None:
            return ""
        if self._final.duet:
            return " · ".join(_part_best(part) for part in self._final.duet)
        best = self._final.best_before
        if best is None or self._final.result.score > best:
            return tr("New best for this song!")
        return tr("Best for this song: {0:.1f}").format(best)

    def grade_text(self) -> str:
        if self._final is None:
            return ""
        if self._final.duet:
            return " · ".join(part.result.grade for part in self._final.duet)
        return self._final.result.grade

    def score_text(self) -> str:
        if self._final is None:
            return ""
        if self._final.duet:
            first, second = self._final.duet[:2]
            return tr("Player 1: {0:.1f} · Player 2: {1:.1f}").format(first.result.score, second.result.score)
        return tr("Score {0:.1f}").format(self._final.result.score)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._final is None:
            return
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(10, 5, 30, 220))
        result = self._final.result
        h = self.height()
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(24, h // 4))
        painter.setFont(font)
        painter.setPen(QColor(GRADE_COLOURS.get(result.grade, "#ffffff")))  # a duet: player 1's colour
        top = self.rect().adjusted(0, 0, 0, -h // 2)
        painter.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.grade_text())
        font.setPixelSize(max(14, h // 10))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        middle = self.rect().adjusted(0, h // 2, 0, -h // 4)
        painter.drawText(middle, Qt.AlignmentFlag.AlignCenter, self.score_text())
        font.setBold(False)
        font.setPixelSize(max(12, h // 16))
        painter.setFont(font)
        bottom = self.rect().adjusted(0, 3 * h // 4, 0, 0)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.best_text())
        painter.end()
