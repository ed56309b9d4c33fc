"""Kiosk start-up: the control window, the stage, and the queue restored from storage.

Called by `ktvdesk.ui.app.run_gui` when `--kiosk` is given, with the services already
built and the qasync loop installed (not yet running).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from ktvdesk.services import AppServices
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.kiosk.window import KioskWindow
from ktvdesk.ui.lyric_view import LyricView
from ktvdesk.ui.placement import show_full_screen

log = logging.getLogger(__name__)


class LyricStage(QWidget):
    """The stage when the full stage window is not available: just the lyric view."""

    def __init__(self, bridge: SessionBridge) -> None:
        super().__init__()
        self.setObjectName("stage")
        self.setWindowTitle(tr("ktvdesk stage"))
        self.session = bridge.session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.lyrics = LyricView()
        layout.addWidget(self.lyrics)
        if self.session is not None:
            self.lyrics.set_clock(self.session.now_ms)
        bridge.lyricsChanged.connect(self.refresh_lyrics)
        bridge.nowPlayingChanged.connect(self.refresh_lyrics)
        self.refresh_lyrics()

    def refresh_lyrics(self) -> None:
        now = self.session.now_playing if self.session is not None else None
        title = f"{now.song.title} — {now.song.singers_text}" if now is not None else tr("ktvdesk")
        self.lyrics.set_lyrics(self.session.lyrics if self.session is not None else None, title)
        if now is not None:
            self.lyrics.start()
        else:
            self.lyrics.stop()


def make_stage(window: KioskWindow, *, video: bool) -> QWidget:
    try:
        from ktvdesk.ui.stage_window import StageWindow
    except ImportError as exc:
        log.warning("stage window unavailable (%s): lyrics-only stage", exc)
        return LyricStage(window.bridge)
    return StageWindow(window.bridge, video=video)


def start_kiosk(
    app: QApplication, services: AppServices, *, screen: int | None, stage_screen: int | None
) -> KioskWindow:
    """The services own the user database, its queue mirror and the play history
    (`record_play`); the kiosk restores the stored queue without asking."""
    window = KioskWindow(services, db=services.user_db)
    from ktvdesk.ui.remote_kiosk import attach_remote

    attach_remote(window)  # 气氛 buttons; with --remote the room's QR code and "new guests"
    screens = QGuiApplication.screens()
    control = min(max(screen or 0, 0), max(len(screens) - 1, 0))
    own_screen = stage_screen is not None and len(screens) > 1 and stage_screen != control
    stage = make_stage(window, video=own_screen and services.backend is not None)
    window.set_stage(stage, own_screen=own_screen)
    window.show_on_screen(control)
    if own_screen:
        show_full_screen(stage, stage_screen)

    def restore() -> None:
        # Inside the running loop: enqueueing starts playback tasks.
        songs = services.restore_queue(accept=True)
        window.mirror = services.queue_mirror
        if songs:
            window.show_page("queue")
        elif services.user_db is not None:
            log.info("kiosk: restored 0 songs")
        window.collect_attract_songs()

    def shutdown() -> None:
        window.release()
        window.db = None  # late callbacks (a library scan finishing) must not reach it
        if window.library_changed in services.library_listeners:
            services.library_listeners.remove(window.library_changed)

    QTimer.singleShot(0, restore)
    app.aboutToQuit.connect(shutdown)
    window.exitRequested.connect(lambda _code: app.quit())
    log.info("kiosk mode on screen %d (stage %s)", control, "own screen" if own_screen else "toggle")
    return window
