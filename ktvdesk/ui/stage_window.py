"""The stage: a fullscreen window on the TV / second screen with video (libVLC rendering
into a native child window) or the cover art, the karaoke lyrics, and a "next song"
banner near the end of each song."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ktvdesk.ui import owner_badge
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.covers import CoverSlot, cover_path
from ktvdesk.ui.graphics_lyrics import attach_graphics
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.lyric_view import LyricView
from ktvdesk.ui.remote_badge import RemoteBadge

log = logging.getLogger(__name__)

STAGE_COVER_PX = 720  # decoded at this size; the lyric view scales it to the screen

NEXT_BANNER_MS = 15_000  # show what comes next this long before the song ends


class StageWindow(QWidget):
    def __init__(self, bridge: SessionBridge, *, video: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.session = bridge.session
        self.setObjectName("stage")
        self.setWindowTitle(tr("ktvdesk stage"))
        self.resize(1280, 720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.video: QWidget | None = None
        if video:
            self.video = QWidget()
            self.video.setObjectName("stageVideo")
            self.video.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
            self.video.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
            layout.addWidget(self.video, 3)
        self.lyrics = LyricView()
        self.cover_slot = CoverSlot(STAGE_COVER_PX, self.lyrics.set_cover, parent=self)  # off the GUI thread
        layout.addWidget(self.lyrics, 2 if video else 1)
        self.graphics = attach_graphics(self.lyrics, bridge)  # CD+G songs: their picture
        self.banner = QLabel(self)
        self.banner.setObjectName("nextBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()
        if self.session is not None:
            self.lyrics.set_clock(self.session.now_ms)
        bridge.lyricsChanged.connect(self.refresh_lyrics)
        bridge.nowPlayingChanged.connect(self.refresh_lyrics)
        bridge.positionChanged.connect(self.refresh_banner)
        bridge.queueChanged.connect(self.refresh_banner)
        self.remote_badge = RemoteBadge(bridge, self)  # the room's QR code between songs
        self.refresh_lyrics()

    def show_on_screen(self, number: int | None) -> None:
        screens = QGuiApplication.screens()
        if number is not None and not 0 <= number < len(screens):
            log.warning("no screen %d (have %d): using the last one", number, len(screens))
        screen = screens[min(max(number or 0, 0), len(screens) - 1)] if screens else None
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.attach_video()

    def attach_video(self) -> None:
        if self.video is not None and self.session is not None:
            self.session.set_video_window(int(self.video.winId()))

    def refresh_lyrics(self) -> None:
        session = self.session
        now = session.now_playing if session is not None else None
        title = f"{now.song.title} — {now.song.singers_text}" if now is not None else tr("ktvdesk")
        self.lyrics.set_lyrics(session.lyrics if session is not None else None, title)
        self.cover_slot.show(cover_path(now.song.covers, "large", "small") if now is not None else None)
        if session is not None and now is not None:
            self.lyrics.start()
        else:
            self.lyrics.stop()
        self.refresh_banner()

    def refresh_banner(self) -> None:
        session = self.session
        text = ""
        if session is not None and session.now_playing is not None and session.upcoming:
            end = session.duration_ms()
            if end is not None and end - session.position_ms() <= NEXT_BANNER_MS:
                following = session.upcoming[0].item
                singer = session.singers.singer_of(session.upcoming[0].entry_id)
                if singer:  # queued from a phone: whose turn it is
                    text = tr("Next: {0} — {1}").format(singer, following.title)
                else:
                    text = tr("Next song: {0} — {1}").format(following.title, following.singers_text)
                text = owner_badge.with_badge(following, text)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        if text:
            self.banner.adjustSize()
            self.banner.setGeometry(0, 24, self.width(), self.banner.sizeHint().height() + 16)
            self.banner.raise_()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F):
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The video keeps its native window (hidden): detaching would make libVLC open
        # a window of its own.
        self.lyrics.stop()
        event.accept()
