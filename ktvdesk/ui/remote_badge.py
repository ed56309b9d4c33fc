"""The stage's corner badge: the room's QR code and "扫码点歌", between songs.

Shown while nothing plays (an empty queue, the pause between two songs) so guests can
join without hiding the lyrics; follows the token when the host resets the room.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.i18n import tr

BADGE_QR_PX = 180
MARGIN_PX = 24


def qr_pixmap(url: str, size_px: int) -> QPixmap:
    from ktvdesk.remote.qr import qr_png

    pixmap = QPixmap()
    pixmap.loadFromData(qr_png(url, scale=8))
    return pixmap.scaled(
        size_px, size_px, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


class RemoteBadge(QWidget):
    def __init__(self, bridge: SessionBridge, parent: QWidget) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("remoteBadge")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        self.code = QLabel()
        self.code.setObjectName("remoteQr")
        self.caption = QLabel(tr("Scan to queue songs"))
        self.caption.setObjectName("remoteCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.code)
        layout.addWidget(self.caption)
        self.shown_url = ""
        bridge.nowPlayingChanged.connect(self.refresh)
        bridge.queueChanged.connect(self.refresh)
        remote = bridge.services.remote
        if remote is not None:
            remote.room.on_reset.append(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        remote, session = self.bridge.services.remote, self.bridge.session
        url = remote.url if remote is not None and remote.port else ""
        idle = session is None or session.now_playing is None
        if url and url != self.shown_url:
            self.code.setPixmap(qr_pixmap(url, BADGE_QR_PX))
            self.shown_url = url
        self.setVisible(bool(url) and idle)
        if self.isVisible():
            self.adjustSize()
            parent = self.parentWidget()
            if parent is not None:
                self.move(
                    parent.width() - self.width() - MARGIN_PX, parent.height() - self.height() - MARGIN_PX
                )
            self.raise_()
