"""Touch building blocks: big buttons (≥ 48 px, no hover-only states), a kinetic scroll
area, and the generated initial avatar for singers without a photo."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QPushButton, QScrollArea, QScroller, QSizePolicy, QWidget

MIN_TARGET_PX = 48  # the smallest thing a finger has to hit
BUTTON_PX = 64

_AVATAR_COLOURS = ("#e0457b", "#7c4dff", "#00a6c8", "#f39c12", "#27ae60", "#c0392b", "#8e44ad", "#16a085")


def big_button(
    text: str, *, name: str = "", height: int = BUTTON_PX, parent: QWidget | None = None
) -> QPushButton:
    button = QPushButton(text, parent)
    if name:
        button.setObjectName(name)
    button.setMinimumSize(MIN_TARGET_PX, max(MIN_TARGET_PX, height))
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a touch screen: no focus rings to chase
    return button


def touch_scroll_area(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(content)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Finger drags scroll (touch events only, so taps on buttons stay taps).
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


def initial_avatar(name: str, size: int = 96) -> QPixmap:
    """A round badge with the name's first character, coloured by the name (stable)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    digest = hashlib.blake2s(name.encode("utf-8"), digest_size=2).digest()
    colour = QColor(_AVATAR_COLOURS[digest[0] % len(_AVATAR_COLOURS)])
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    font = QFont(painter.font())
    font.setPixelSize(int(size * 0.46))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, (name.strip() or "?")[0].upper())
    painter.end()
    return pixmap
