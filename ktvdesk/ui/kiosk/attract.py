"""Attract mode: a full-window slideshow of song covers with a "touch to sing" call.

A slideshow rather than muted playback: it keeps libVLC idle all night (nothing to hang,
no audio device held) and the first touch is immediately a normal kiosk again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ktvdesk.models import Song
from ktvdesk.ui.i18n import tr

SLIDE_MS = 6000


class AttractScreen(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kioskAttract")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#kioskAttract { background: #0b0618; }")
        layout = QVBoxLayout(self)
        self.call = QLabel(tr("Touch the screen to pick a song"))
        self.call.setObjectName("kioskAttractCall")
        self.call.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover = QLabel()
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel()
        self.caption.setObjectName("kioskHeading")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.call)
        layout.addWidget(self.cover, 4)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.songs: list[Song] = []
        self.slide = -1
        self.slides_shown = 0
        self._timer = QTimer(self)
        self._timer.setInterval(SLIDE_MS)
        self._timer.timeout.connect(self.next_slide)
        self.hide()

    def start(self, songs: list[Song]) -> None:
        self.songs = songs
        self.slide = -1
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.next_slide()
        self.show()
        self.raise_()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.cover.clear()  # no pixmap kept in memory while nobody looks
        self.hide()

    def next_slide(self) -> None:
        self.slides_shown += 1
        if not self.songs:
            self.caption.setText(tr("Sing with us tonight!"))
            self.cover.clear()
            return
        self.slide = (self.slide + 1) % len(self.songs)
        song = self.songs[self.slide]
        self.caption.setText(f"{song.title} — {song.singers_text}")
        path = song.covers.get("large") or song.covers.get("small") or ""
        pixmap = QPixmap(path) if path and "://" not in path else QPixmap()
        if pixmap.isNull():
            self.cover.clear()
        else:
            side = max(120, min(self.width(), self.height()) // 2)
            self.cover.setPixmap(
                pixmap.scaled(
                    side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
