"""Guard for the PySide6 pin: a build that leaks references to None kills the app.

PySide6-Essentials 6.12.0 decrements None's reference count on every call of a method
returning void. On Python 3.11 None is not immortal, so a lyric view painting at 60 fps
aborts with "deallocating None" within minutes. If this test fails, do not lift the pin.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from pytestqt.qtbot import QtBot

CALLS = 5000


def test_void_calls_keep_none_alive(qtbot: QtBot) -> None:
    image = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        painter.save()
        painter.translate(1.0, 1.0)
        painter.setClipRect(QRectF(0, 0, 8, 8))
        painter.restore()
    after = sys.getrefcount(None)
    painter.end()
    assert before - after < CALLS // 10, f"None lost {before - after} references in {CALLS} calls"
