"""The karaoke lyric view: two alternating lines with a colour wipe inside each word.

Per frame the view asks the clock for the time, finds the line/word in O(log n) through
`LyricsIndex`, and blits cached pixmaps: each line is rendered once per size into a
"to sing" and a "sung" image, and the wipe is the sung image clipped at the right x.
Text layout and outlines (the expensive part) never happen inside a frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from ktvdesk.lyrics import LyricLine, Lyrics, LyricsIndex
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.theme import ui_font_family

FRAME_MS = 16
PRERENDER_AHEAD = 4  # lines kept rendered from the current one on
COUNTDOWN_DOTS = 3
# A gap this long before a line gets countdown dots (the first line always does).
COUNTDOWN_GAP_MS = 6000
SUNG_TOP = QColor("#ffe45c")
SUNG_BOTTOM = QColor("#ff8a3d")
TO_SING = QColor("#ffffff")
OUTLINE = QColor(20, 10, 40, 230)


@dataclass(slots=True)
class _RenderedLine:
    plain: QPixmap
    sung: QPixmap
    word_right_px: list[float]  # right edge of each word, logical px from the text's left
    word_left_px: list[float]
    width_px: float
    height_px: float


class LyricView(QWidget):
    """Draws `lyrics` at the time given by `clock()` (ms); call `start()` to animate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumSize(320, 160)
        self._lyrics: Lyrics | None = None
        self._index: LyricsIndex | None = None
        self._clock: Callable[[], int] = lambda: 0
        self._cache: dict[tuple[int, bool], _RenderedLine] = {}
        self._translation_cache: dict[int, QPixmap] = {}
        self._background: QPixmap | None = None
        self._cover: QPixmap | None = None
        self._title = ""
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.update)
        self.show_translation = True
        self.last_frame_ms = 0.0
        self.current_line = -1
        self.current_word = -1
        self.current_fraction = 0.0
        self.last_countdown_dots = 0
        self._prerender_pending = False

    # public API -------------------------------------------------------------------

    def set_lyrics(self, lyrics: Lyrics | None, title: str = "") -> None:
        self._lyrics = lyrics if lyrics and lyrics.lines else None
        self._index = LyricsIndex(self._lyrics) if self._lyrics else None
        self._title = title
        self._cache.clear()
        self._translation_cache.clear()
        self.update()

    def set_cover(self, cover: QPixmap | None) -> None:
        """Cover art behind the lyrics (the stage's background); None: the gradient only."""
        self._cover = cover if cover is not None and not cover.isNull() else None
        self._background = None
        self.update()

    def set_clock(self, clock: Callable[[], int]) -> None:
        self._clock = clock

    def set_top_strip(self, strip: QWidget | None) -> None:
        """A child drawn over the top of the view (the singing pitch lane)."""
        self._top_strip = strip
        if strip is not None:
            strip.setParent(self)
            self._place_top_strip()

    def _place_top_strip(self) -> None:
        strip = getattr(self, "_top_strip", None)
        if strip is not None:
            strip.setGeometry(0, 0, self.width(), max(60, self.height() * 3 // 10))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def animating(self) -> bool:
        return self._timer.isActive()

    # geometry ---------------------------------------------------------------------

    def _font_px(self) -> float:
        return max(18.0, min(self.height() / 6.5, self.width() / 16.0))

    def _font(self, scale: float = 1.0) -> QFont:
        font = QFont(ui_font_family() or self.font().family())
        font.setPixelSize(max(8, round(self._font_px() * scale)))
        font.setWeight(QFont.Weight.Bold)
        return font

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cache.clear()
        self._translation_cache.clear()
        self._background = None
        self._place_top_strip()
        super().resizeEvent(event)

    # rendering --------------------------------------------------------------------

    def _render_line(self, number: int, line: LyricLine) -> _RenderedLine:
        font = self._font()
        metrics = QFontMetricsF(font)
        lefts: list[float] = []
        rights: list[float] = []
        x = 0.0
        for word in line.words:
            lefts.append(x)
            x += metrics.horizontalAdvance(word.text)
            rights.append(x)
        text = "".join(word.text for word in line.words) or line.text
        width = max(x, metrics.horizontalAdvance(text), 1.0)
        outline_px = max(2.0, font.pixelSize() / 12)
        pad = outline_px * 2
        height = metrics.height() + pad * 2
        dpr = self.devicePixelRatioF()
        path = QPainterPath()
        path.addText(QPointF(pad, pad + metrics.ascent()), font, text)

        def image(fill: QColor | QLinearGradient) -> QPixmap:
            pixmap = QPixmap(round((width + pad * 2) * dpr), round(height * dpr))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(
                QPen(
                    OUTLINE,
                    outline_px * 2,
                    Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin,
                )
            )
            painter.drawPath(path)
            painter.fillPath(path, fill)
            painter.end()
            return pixmap

        gradient = QLinearGradient(0, pad, 0, height - pad)
        gradient.setColorAt(0, SUNG_TOP)
        gradient.setColorAt(1, SUNG_BOTTOM)
        return _RenderedLine(
            plain=image(TO_SING),
            sung=image(gradient),
            word_left_px=[left + pad for left in lefts],
            word_right_px=[right + pad for right in rights],
            width_px=width + pad * 2,
            height_px=height,
        )

    def _rendered(self, number: int) -> _RenderedLine:
        key = (number, False)
        cached = self._cache.get(key)
        if cached is None:
            assert self._lyrics is not None
            cached = self._cache[key] = self._render_line(number, self._lyrics.lines[number])
            if len(self._cache) > 3 * PRERENDER_AHEAD:  # neighbours only; drop the oldest
                self._cache.pop(next(iter(self._cache)))
        return cached

    def _translation(self, number: int, text: str) -> QPixmap:
        cached = self._translation_cache.get(number)
        if cached is None:
            font = self._font(0.45)
            font.setWeight(QFont.Weight.Normal)
            metrics = QFontMetricsF(font)
            dpr = self.devicePixelRatioF()
            width, height = metrics.horizontalAdvance(text) + 4, metrics.height() + 4
            cached = QPixmap(round(width * dpr), round(height * dpr))
            cached.setDevicePixelRatio(dpr)
            cached.fill(Qt.GlobalColor.transparent)
            painter = QPainter(cached)
            painter.setFont(font)
            painter.setPen(QColor("#c9c3e6"))
            painter.drawText(QPointF(2, 2 + metrics.ascent()), text)
            painter.end()
            self._translation_cache[number] = cached
        return cached

    def _paint_background(self, painter: QPainter) -> None:
        if self._background is None or self._background.size() != self.size() * self.devicePixelRatioF():
            dpr = self.devicePixelRatioF()
            self._background = QPixmap(round(self.width() * dpr), round(self.height() * dpr))
            self._background.setDevicePixelRatio(dpr)
            bg = QPainter(self._background)
            gradient = QLinearGradient(0, 0, 0, self.height())
            gradient.setColorAt(0, QColor("#1b1033"))
            gradient.setColorAt(1, QColor("#07060d"))
            bg.fillRect(QRectF(0, 0, self.width(), self.height()), gradient)
            if self._cover is not None:
                # Cover art, cropped to fill and dimmed so the lyrics stay readable.
                scaled = self._cover.scaled(
                    self.size(),
                    Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                    Qt.TransformationMode.SmoothTransformation,
                )
                bg.setOpacity(0.35)
                bg.drawPixmap(
                    QPointF((self.width() - scaled.width()) / 2, (self.height() - scaled.height()) / 2),
                    scaled,
                )
                bg.setOpacity(1.0)
            bg.end()
        painter.drawPixmap(0, 0, self._background)

    def paintEvent(self, event: QPaintEvent) -> None:
        timer = QElapsedTimer()
        timer.start()
        painter = QPainter(self)
        self._paint_background(painter)
        if self._index is None or self._lyrics is None:
            self._paint_message(painter, self._title or tr("No lyrics for this song — enjoy the music!"))
        else:
            self._paint_lyrics(painter, self._clock())
        painter.end()
        self.last_frame_ms = timer.nsecsElapsed() / 1e6
        if self._lyrics is not None and not self._prerender_pending:
            self._prerender_pending = True
            QTimer.singleShot(0, self._prerender_ahead)

    def _prerender_ahead(self) -> None:
        """Render the lines the next slot changes will need, between frames, not inside one."""
        self._prerender_pending = False
        if self._lyrics is None:
            return
        base = max(self.current_line, 0)
        for number in range(base, min(base + PRERENDER_AHEAD, len(self._lyrics.lines))):
            if (number, False) not in self._cache:
                self._rendered(number)
                QTimer.singleShot(0, self._prerender_ahead)  # one line per turn keeps input snappy
                self._prerender_pending = True
                return

    def _paint_message(self, painter: QPainter, text: str) -> None:
        painter.setFont(self._font(0.6))
        painter.setPen(QColor("#bdb6de"))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def _paint_lyrics(self, painter: QPainter, now_ms: int) -> None:
        assert self._index is not None and self._lyrics is not None
        position = self._index.at(now_ms)
        lines = self._lyrics.lines
        current = position.line_index
        upcoming = position.next_line_index
        self.current_line = current
        self.current_word = position.word_index
        self.current_fraction = position.word_fraction
        # After a line ends, the slot pair moves on to the upcoming line so that it is
        # visible (with its countdown) before it must be sung.
        anchor = (
            current if current >= 0 and position.active else (upcoming if upcoming >= 0 else max(current, 0))
        )
        margin = self.width() * 0.06
        slot_height = self.height() / 2
        for number in (anchor, anchor + 1):
            if number >= len(lines):
                continue
            rendered = self._rendered(number)
            top_slot = number % 2 == 0
            scale = min(1.0, (self.width() - 2 * margin) / rendered.width_px)
            y = slot_height * (0.55 if top_slot else 1.05) - rendered.height_px * scale / 2
            x = margin if top_slot else self.width() - margin - rendered.width_px * scale
            painter.save()
            painter.translate(x, y)
            painter.scale(scale, scale)
            wipe_px = self._wipe_px(
                rendered, number, position.line_index, position.word_index, position.word_fraction
            )
            painter.drawPixmap(QPointF(0, 0), rendered.plain)
            if wipe_px > 0:
                painter.setClipRect(QRectF(0, 0, wipe_px, rendered.height_px))
                painter.drawPixmap(QPointF(0, 0), rendered.sung)
                painter.setClipping(False)
            translation = lines[number].translation
            if self.show_translation and translation:
                painter.drawPixmap(QPointF(0, rendered.height_px), self._translation(number, translation))
            painter.restore()
            if number == upcoming:
                self._paint_countdown(painter, x, y, position.until_next_ms, number)

    @staticmethod
    def _wipe_px(
        rendered: _RenderedLine, number: int, current: int, word_index: int, fraction: float
    ) -> float:
        if number < current:
            return rendered.width_px
        if number != current or word_index < 0:
            return 0.0
        left = rendered.word_left_px[word_index]
        return left + (rendered.word_right_px[word_index] - left) * fraction

    def countdown_dots(self, number: int, until_ms: int) -> int:
        """Dots shown before line `number`: one per remaining second, only after a long gap."""
        if self._lyrics is None or until_ms < 0 or until_ms > COUNTDOWN_DOTS * 1000:
            return 0
        lines = self._lyrics.lines
        gap_start = lines[number - 1].end_ms if number > 0 else 0
        if number > 0 and lines[number].start_ms - gap_start < COUNTDOWN_GAP_MS:
            return 0
        return min(COUNTDOWN_DOTS, until_ms // 1000 + 1)

    def _paint_countdown(self, painter: QPainter, x: float, y: float, until_ms: int, number: int) -> None:
        dots = self.countdown_dots(number, until_ms)
        self.last_countdown_dots = dots
        if not dots:
            return
        radius = self._font_px() * 0.12
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(SUNG_TOP)
        for i in range(dots):
            painter.drawEllipse(QPointF(x + radius * (1.5 + i * 3.2), y - radius * 1.5), radius, radius)
