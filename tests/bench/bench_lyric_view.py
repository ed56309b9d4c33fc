"""Lyric view paint cost per frame at 1920×1080, against a naive painter in the same run.

The naive painter does what a straightforward widget does: build the outlined text path
and fill it with a clipped gradient on every frame. Ours blits cached pixmaps.
"""

from __future__ import annotations

import statistics

from PySide6.QtCore import QElapsedTimer, QPoint, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QRegion
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ktvdesk.lyrics import Lyrics, LyricsIndex, parse_lyrics
from ktvdesk.ui.lyric_view import LyricView

FRAMES = 1000
FRAME_MS = 1000 / 60
RENDER_FLAGS = QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren


def make_song() -> Lyrics:
    rows = []
    for i in range(60):
        start = 5000 + i * 4000
        words = "".join(f"<{_ts(start + k * 500)}>字词{k}" for k in range(7))
        rows.append(f"[{_ts(start)}]{words}<{_ts(start + 3500)}>")
    return parse_lyrics("\n".join(rows).encode())


def _ts(ms: int) -> str:
    return f"{ms // 60000:02d}:{ms // 1000 % 60:02d}.{ms % 1000 // 10:02d}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def naive_paint(image: QImage, lyrics: Lyrics, index: LyricsIndex, now_ms: int) -> None:
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor("#12111a"))
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(120)
    font.setBold(True)
    metrics = QFontMetricsF(font)
    position = index.at(now_ms)
    for slot, number in enumerate((max(position.line_index, 0), max(position.line_index, 0) + 1)):
        if number >= len(lyrics.lines):
            continue
        line = lyrics.lines[number]
        path = QPainterPath()
        path.addText(QPointF(100, 300 + slot * 400), font, line.text)
        painter.setPen(QPen(QColor(20, 10, 40), 8))
        painter.drawPath(path)
        painter.fillPath(path, QColor("white"))
        if number == position.line_index and position.word_index >= 0:
            done = "".join(w.text for w in line.words[: position.word_index])
            width = (
                metrics.horizontalAdvance(done)
                + metrics.horizontalAdvance(position.word.text or "") * position.word_fraction
            )  # type: ignore[union-attr]
            painter.setClipRect(QRectF(100, 0, width, image.height()))
            painter.fillPath(path, QColor("#ffe45c"))
            painter.setClipping(False)
    painter.end()


def test_lyric_view_paint_cost(qtbot: QtBot) -> None:
    lyrics = make_song()
    view = LyricView()
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    clock_ms = [60_000]
    view.set_clock(lambda: clock_ms[0])
    view.set_lyrics(lyrics)
    view.render(
        QImage(1920, 1080, QImage.Format.Format_ARGB32_Premultiplied), QPoint(0, 0), QRegion(), RENDER_FLAGS
    )
    QApplication.processEvents()  # warm-up frame: fonts load once per process, before the song
    target = QImage(1920, 1080, QImage.Format.Format_ARGB32_Premultiplied)
    index = LyricsIndex(lyrics)
    ours: list[float] = []
    naive: list[float] = []
    timer = QElapsedTimer()
    for frame in range(FRAMES):
        clock_ms[0] = 60_000 + round(frame * FRAME_MS)  # mid-song, advancing like 60 fps
        timer.start()
        # Every argument explicit: PySide6 6.12's defaults for render() drop a reference to
        # None per call, which crashes Python 3.11 after a few hundred frames.
        view.render(target, QPoint(0, 0), QRegion(), RENDER_FLAGS)
        ours.append(timer.nsecsElapsed() / 1e6)
        timer.start()
        naive_paint(target, lyrics, index, clock_ms[0])
        naive.append(timer.nsecsElapsed() / 1e6)
        QApplication.processEvents()  # the gap between frames, as in the running app (untimed)
    over_ours = sum(1 for ms in ours[:600] if ms > 16)  # 10 s at 60 fps
    over_naive = sum(1 for ms in naive[:600] if ms > 16)
    print(f"\nlyric view paint per frame at 1920x1080, {FRAMES} frames mid-song:")
    print(f"  {'':18} {'median':>8} {'p99':>8} {'max':>8}  frames>16ms in 10 s")
    for name, values, over in (
        ("ktvdesk LyricView", ours, over_ours),
        ("naive per-frame", naive, over_naive),
    ):
        print(
            f"  {name:18} {statistics.median(values):7.2f}ms {percentile(values, 0.99):7.2f}ms "
            f"{max(values):7.2f}ms  {over}"
        )
    print(f"  ratio naive/ours (median): {statistics.median(naive) / statistics.median(ours):.1f}x")
    assert view.current_line >= 0
