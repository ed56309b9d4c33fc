"""CD+G graphics as the lyrics: the picture libVLC draws into memory, scaled crisply.

An MP3+G song's lyrics are its CD+G picture (288 × 192 pixels of 16 colours). Scaled by
a video output it is smoothed, and the big tile glyphs get blurred edges; here each
picture is scaled with nearest-neighbour (`Qt.FastTransformation`), so every screen
pixel is one of the song's own colours. The overlay covers a lyric area (the desktop's
and the stage's) while a CD+G song is on and hides itself otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from ktvdesk.playback.backend import Picture
from ktvdesk.ui.bridge import SessionBridge

REFRESH_MS = 40  # 25 pictures a second: CD+G draws at most 300 packets a second


def picture_image(picture: Picture) -> QImage:
    """The picture as a QImage of its own (RV32 in memory is Qt's RGB32 on every CPU we run)."""
    data = picture.rgb32()
    image = QImage(data, picture.width, picture.height, picture.width * 4, QImage.Format.Format_RGB32)
    return image.copy()  # detach from `data`, which Python may free


def crisp_scaled(image: QImage, size: QSize) -> QImage:
    """`image` as large as fits in `size` (aspect kept), nearest-neighbour: no new colours."""
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


class GraphicsLyrics(QWidget):
    """Covers `area` with the CD+G picture while `picture()` gives one."""

    def __init__(self, area: QWidget, picture: Callable[[], Picture | None]) -> None:
        super().__init__(area)
        self.setObjectName("graphicsLyrics")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._area = area
        self._picture = picture
        self._image: QImage | None = None
        self._scaled: QImage | None = None
        self._seen = -1
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.hide()

    def follow(self, playing: bool) -> None:
        """Look for pictures while a song is on (libVLC opens the media a moment later)."""
        if playing:
            self._timer.start()
        else:
            self._timer.stop()
        self.refresh()

    def refresh(self) -> None:
        picture = self._picture()
        if picture is None:
            self._image = self._scaled = None
            self._seen = -1
            self.hide()
            return
        if picture.count != self._seen and picture.count > 0:
            self._seen = picture.count
            self._image = picture_image(picture)
            self._scaled = None
            self.update()
        if self._image is None:
            return
        if self.geometry() != self._area.rect():  # the lyric area was resized
            self.setGeometry(self._area.rect())
            self._scaled = None
        if self.isHidden():
            self.show()
            self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if self._image is not None:
            if self._scaled is None:  # a new picture or a new size
                self._scaled = crisp_scaled(self._image, self.size())
            target = QRect(0, 0, self._scaled.width(), self._scaled.height())
            target.moveCenter(self.rect().center())
            painter.drawImage(target.topLeft(), self._scaled)  # drawn 1:1: already scaled
        painter.end()


def attach_graphics(area: QWidget, bridge: SessionBridge) -> GraphicsLyrics | None:
    """The hook for a lyric area: show CD+G songs' pictures over it (None without playback)."""
    session = bridge.session
    if session is None:
        return None
    overlay = GraphicsLyrics(area, session.graphics_picture)

    def now_playing_changed() -> None:
        overlay.follow(session.now_playing is not None)

    bridge.nowPlayingChanged.connect(now_playing_changed)
    now_playing_changed()
    return overlay
