"""`KioskWindow`: the locked-down, touch-first control window of a KTV room terminal.

Frameless and fullscreen on its screen; closing and minimising are refused and the usual
escape keys are swallowed by an application-wide event filter (see `lockdown`). Staff
open the PIN pad with a long press in the top-left corner or Ctrl+Alt+Shift+K; the admin
session re-locks after `kiosk.admin_relock_after_s` without a touch. All timing runs on
one injectable clock (tests drive it by hand and call `tick()`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ktvdesk import paths
from ktvdesk.catalog.base import CatalogProvider
from ktvdesk.errors import KtvError
from ktvdesk.kiosk import AdminSession, AttractPolicy, PinLock, Watchdog, WatchdogAction
from ktvdesk.kiosk.exit_codes import KioskExit
from ktvdesk.kiosk.lock import STATE_FILE
from ktvdesk.kiosk.pin import load_pin_hash
from ktvdesk.models import Song
from ktvdesk.queue_mirror import QueueMirror
from ktvdesk.services import AppServices
from ktvdesk.storage import UserDatabase
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.kiosk.attract import AttractScreen
from ktvdesk.ui.kiosk.lockdown import LockdownFilter
from ktvdesk.ui.kiosk.pages import (
    CategoriesPage,
    ChartsPage,
    KeypadSearchPage,
    QueuePage,
    SingersPage,
)
from ktvdesk.ui.kiosk.pin_pad import AdminPanel, PinPad
from ktvdesk.ui.kiosk.touch import big_button
from ktvdesk.ui.kiosk.window_guard import WindowGuard
from ktvdesk.ui.kiosk.x11 import X11Link
from ktvdesk.ui.latest import LatestRequest
from ktvdesk.ui.mic_settings import MicrophonePanel
from ktvdesk.ui.placement import show_full_screen
from ktvdesk.ui.song_list import format_ms

if TYPE_CHECKING:
    from ktvdesk.ui.singing_ui import SingingScreens

log = logging.getLogger(__name__)

LONG_PRESS_MS = 3000
TICK_MS = 1000
VOLUME_STEP = 5
CORNER_PX = 72
ATTRACT_SONGS = 40
CHART_SONGS = 30
# Longer than the engine's own stall recovery (8 s stall + 3 reopen attempts with backoff):
# the watchdog is for an engine that stopped reporting, not for a slow stream.
WATCHDOG_TIMEOUT_S = 30.0

KIOSK_QSS = """
#kiosk { background: #120a24; }
#kiosk QLabel { color: #f4ecff; font-size: 20px; }
#kiosk QPushButton { font-size: 22px; border-radius: 10px; padding: 6px 10px; }
#kiosk QPushButton:pressed { background: #ff4f9a; }
#kiosk QPushButton:checked { background: #7c4dff; }
#kioskQuery { font-size: 34px; font-weight: bold; color: #ffe45c; }
#kioskHeading { font-size: 26px; font-weight: bold; }
#kioskSongTitle { font-size: 24px; }
#kioskSongSinger { color: #b9a8d9; font-size: 18px; }
#kioskNow { font-size: 22px; color: #ffe45c; }
#kioskPinDots { font-size: 40px; color: #ffe45c; min-height: 56px; }
#kioskAttractCall { font-size: 48px; font-weight: bold; color: #ffe45c; }
#kioskCard { background: #1d1236; border-radius: 16px; padding: 16px; }
"""


class CornerHotspot(QWidget):
    """An invisible square: held for `hold_ms` it asks for the PIN pad (a tap does nothing)."""

    held = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kioskCorner")
        self.resize(CORNER_PX, CORNER_PX)
        self.hold_ms = LONG_PRESS_MS
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.held.emit)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._timer.start(self.hold_ms)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._timer.stop()
        event.accept()


class KioskWindow(QWidget):
    exitRequested = Signal(int)  # the process exit code

    def __init__(
        self,
        services: AppServices,
        *,
        db: UserDatabase | None = None,
        clock: Callable[[], float] = time.monotonic,
        pin_hash: Callable[[], str | None] = load_pin_hash,
        lock: PinLock | None = None,
    ) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("kiosk")
        self.setWindowTitle(tr("ktvdesk"))
        self.setStyleSheet(KIOSK_QSS)
        self.services = services
        self.db = db
        self.bridge = SessionBridge(services, self)
        self.session = services.session
        kiosk = services.settings.kiosk
        self.volume_max = kiosk.volume_max
        self.provider = self._pick_provider(services, kiosk.providers)
        self.lock = lock or PinLock(clock=clock, state_path=paths.data_dir() / STATE_FILE)
        self.admin = AdminSession(kiosk.admin_relock_after_s, clock=clock)
        self.attract = AttractPolicy(kiosk.attract_after_min * 60, clock=clock)
        self.watchdog = Watchdog(WATCHDOG_TIMEOUT_S, clock=clock)
        self.exit_allowed = False
        self.exit_code = 0
        self.stage: QWidget | None = None
        self.singing: SingingScreens | None = None  # 评分, set by ui.singing_ui.install_kiosk_singing
        self.mirror: QueueMirror | None = None  # set by the shell: the queue kept in storage
        self.stage_on_own_screen = False
        self._attract_songs: list[Song] = []
        self._attract_task: asyncio.Task[Any] | None = None
        self._build(pin_hash)
        self._connect()
        self.lockdown = LockdownFilter(
            guarded=self._guarded,
            exit_allowed=lambda: self.exit_allowed,
            on_admin_key=self.open_pin_pad,
            on_activity=self.on_activity,
            on_quit=self._allow_quit,
            parent=self,
        )
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.lockdown)
        self.guard = WindowGuard(
            self,
            enabled=lambda: not self.exit_allowed,
            on_lost=lambda: self._leave(KioskExit.WINDOW_LOST),
            link=X11Link.open() if QGuiApplication.platformName() == "xcb" else None,
        )
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        if self.session is not None and self.session.volume > self.volume_max:
            self.session.set_volume(self.volume_max)
        self.refresh_queue()
        self.refresh_controls()

    # ---- building ------------------------------------------------------------------

    @staticmethod
    def _pick_provider(services: AppServices, allowed: Sequence[str]) -> CatalogProvider | None:
        for name in allowed:
            if name in services.providers:
                return services.providers[name]
        log.error("kiosk: none of the kiosk providers %s is available", allowed)
        return None

    def _build(self, pin_hash: Callable[[], str | None]) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        nav = QHBoxLayout()
        self.nav_group = QButtonGroup(self)
        self.nav_buttons = {}
        for key, text in (
            ("search", tr("Pick songs")),
            ("singers", tr("Singers")),
            ("categories", tr("Categories")),
            ("charts", tr("Charts")),
            ("queue", tr("Queue")),
        ):
            button = big_button(text, name=f"nav_{key}", height=72)
            button.setCheckable(True)
            self.nav_group.addButton(button)
            nav.addWidget(button)
            self.nav_buttons[key] = button
        root.addLayout(nav)
        self.loader = LatestRequest(self.bridge, self.show_message)
        self.pages = QStackedWidget()
        self.search_page = KeypadSearchPage(self.provider, self.loader, self.add_song)
        self.singers_page = SingersPage(self.provider, self.loader, self.add_song)
        self.categories_page = CategoriesPage(self.provider, self.loader, self.add_song)
        self.charts_page = ChartsPage(self.most_sung, self.loader, self.add_song)
        self.queue_page = QueuePage(self.session)
        self.page_of = {
            "search": self.search_page,
            "singers": self.singers_page,
            "categories": self.categories_page,
            "charts": self.charts_page,
            "queue": self.queue_page,
        }
        for page in self.page_of.values():
            self.pages.addWidget(page)
        root.addWidget(self.pages, 1)
        self.message = QLabel()
        self.message.setObjectName("kioskMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.hide()
        root.addWidget(self.message)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(4000)
        self._message_timer.timeout.connect(self.message.hide)
        root.addWidget(self.now_label_row())
        root.addLayout(self._build_controls())
        for key, button in self.nav_buttons.items():
            button.clicked.connect(lambda _=False, k=key: self.show_page(k))
        self.show_page("search")
        self.corner = CornerHotspot(self)
        self.corner.held.connect(self.open_pin_pad)
        self.attract_screen = AttractScreen(self)
        self.pin_pad = PinPad(self, self.lock, pin_hash)
        self.pin_pad.unlocked.connect(self._unlocked)
        self.admin_panel = AdminPanel(self)
        self.mic_panel = MicrophonePanel(
            self.services.device,
            self.services.save_device_prefs,
            language=lambda: self.services.language,
            touch=True,
        )
        self.admin_panel.add_section(self.mic_panel)
        self.admin_panel.settings_button.clicked.connect(self.show_settings)
        self.admin_panel.stage_button.clicked.connect(self.toggle_stage)
        self.admin_panel.clear_queue_button.clicked.connect(self._clear_queue)
        self.admin_panel.relock_button.clicked.connect(self.relock)
        self.admin_panel.exit_button.clicked.connect(self.exit_kiosk)
        if "xiaowei" in self.services.providers:  # the staff log the venue's QQ Music account in
            self.xiaowei_login_button = big_button(tr("QQ Music login"), name="adminXiaoweiLogin")
            self.xiaowei_login_button.clicked.connect(self.show_xiaowei_login)
            self.admin_panel.add_section(self.xiaowei_login_button)

    def now_label_row(self) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.now_label = QLabel()
        self.now_label.setObjectName("kioskNow")
        self.status_label = QLabel()
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress = QProgressBar()
        self.progress.setObjectName("kioskProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(14)
        self.time_label = QLabel()
        self.time_label.setObjectName("kioskTime")
        line.addWidget(self.now_label, 1)
        line.addWidget(self.progress, 1)
        line.addWidget(self.time_label)
        line.addWidget(self.status_label)
        return row

    def _build_controls(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.play_button = big_button(tr("Pause"), name="ctlPlay", height=80)
        self.next_button = big_button(tr("Next song"), name="ctlNext", height=80)
        self.restart_button = big_button(tr("Sing again"), name="ctlRestart", height=80)
        self.vocal_button = big_button(tr("Original"), name="ctlVocal", height=80)
        self.key_down_button = big_button(tr("Key −"), name="ctlKeyDown", height=80)
        self.key_up_button = big_button(tr("Key +"), name="ctlKeyUp", height=80)
        self.volume_down_button = big_button(tr("Vol −"), name="ctlVolDown", height=80)
        self.volume_up_button = big_button(tr("Vol +"), name="ctlVolUp", height=80)
        self.stage_button = big_button(tr("Stage"), name="ctlStage", height=80)
        # 评分: greyed with the reason until scoring is wired (and while there is no microphone).
        self.score_button = big_button(tr("Score"), name="ctlScore", height=80)
        self.score_button.setCheckable(True)
        self.score_button.setEnabled(False)
        self.score_button.setToolTip(tr("Scoring is not set up"))
        for widget in (
            self.play_button,
            self.next_button,
            self.restart_button,
            self.vocal_button,
            self.key_down_button,
            self.key_up_button,
            self.volume_down_button,
            self.volume_up_button,
            self.score_button,
            self.stage_button,
        ):
            bar.addWidget(widget, 1)
        self.stage_button.hide()
        return bar

    def _connect(self) -> None:
        bridge = self.bridge
        bridge.queueChanged.connect(self.refresh_queue)
        bridge.nowPlayingChanged.connect(self.refresh_queue)
        bridge.stateChanged.connect(self.refresh_controls)
        bridge.settingsChanged.connect(self.refresh_controls)
        bridge.nowPlayingChanged.connect(self.refresh_controls)
        bridge.positionChanged.connect(self.watchdog.beat)
        bridge.positionChanged.connect(self.refresh_progress)
        bridge.nowPlayingChanged.connect(self.refresh_progress)
        bridge.errorRaised.connect(self.show_message)
        session = self.session
        self.play_button.clicked.connect(self._toggle_play)
        self.next_button.clicked.connect(self._next)
        if session is not None:
            self.restart_button.clicked.connect(session.restart)
            self.vocal_button.clicked.connect(session.toggle_vocal)
            self.key_down_button.clicked.connect(lambda: session.shift_key(-1))
            self.key_up_button.clicked.connect(lambda: session.shift_key(1))
        self.volume_down_button.clicked.connect(lambda: self.change_volume(-VOLUME_STEP))
        self.volume_up_button.clicked.connect(lambda: self.change_volume(VOLUME_STEP))
        self.stage_button.clicked.connect(self.toggle_stage)
        self.services.library_listeners.append(self.library_changed)

    # ---- pages and songs -----------------------------------------------------------

    def show_page(self, key: str) -> None:
        self.nav_buttons[key].setChecked(True)
        page = self.page_of[key]
        self.pages.setCurrentWidget(page)
        if key == "charts":
            self.charts_page.refresh()
        elif key == "categories":
            self.categories_page.refresh()
        elif key == "singers":
            self.singers_page.show_letter(None)
        elif key == "queue":
            self.queue_page.refresh()

    def add_song(self, song: Song, first: bool) -> None:
        if self.session is None:
            return
        if first:
            self.session.enqueue_next(song)
            self.show_message(tr("“{0}” will be sung next.").format(song.title))
        else:
            self.session.enqueue(song)
            self.show_message(tr("“{0}” added to the queue.").format(song.title))

    async def most_sung(self) -> list[Song]:
        """The room's chart, read on the user-data writer thread (never the GUI thread)."""
        user_data = self.services.user_data
        if self.db is None or user_data is None:
            return []
        try:
            # Read past the songs the kiosk cannot play so the chart still has its length.
            entries = await user_data.run(lambda db: db.history.most_sung(limit=CHART_SONGS * 4))
        except KtvError as exc:
            log.warning("kiosk: charts unavailable: %s", exc.detail)
            return []
        return [entry.song for entry in entries if self.can_play(entry.song)][:CHART_SONGS]

    def can_play(self, song: Song) -> bool:
        """A song of a catalog the kiosk is allowed to use and that is open here."""
        return (
            song.provider in self.services.settings.kiosk.providers
            and song.provider in self.services.providers
        )

    def refresh_queue(self) -> None:
        session = self.session
        count = len(session.upcoming) if session is not None else 0
        self.nav_buttons["queue"].setText(tr("Queue ({0})").format(count))
        if self.pages.currentWidget() is self.queue_page:
            self.queue_page.refresh()
        self._update_attract()

    def refresh_controls(self) -> None:
        session = self.session
        if session is None:
            self.now_label.setText(tr("Playback is not available."))
            return
        now = session.now_playing
        self.now_label.setText(
            f"{now.song.title} — {now.song.singers_text}" if now is not None else tr("Pick a song to start!")
        )
        self.play_button.setText(tr("Pause") if session.is_playing else tr("Play"))
        self.vocal_button.setText(tr("Original") if session.vocal.value == "original" else tr("Backing"))
        self.status_label.setText(tr("Key {0:+d} · Vol {1}").format(session.key, session.volume))
        self.watchdog.expect(session.is_playing)  # loading counts: the engine must get going

    def refresh_progress(self) -> None:
        session = self.session
        now = session.now_playing if session is not None else None
        if session is None or now is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.time_label.setText("")
            return
        position_ms = max(0, session.position_ms())
        duration_ms = session.duration_ms()
        self.progress.setRange(0, max(1, duration_ms or 0))
        self.progress.setValue(min(position_ms, duration_ms or 0))
        self.time_label.setText(f"{format_ms(position_ms)} / {format_ms(duration_ms)}")

    def change_volume(self, delta: int) -> int:
        """Volume within 0…`kiosk.volume_max` (the venue's limit)."""
        if self.session is None:
            return 0
        volume = max(0, min(self.volume_max, self.session.volume + delta))
        self.session.set_volume(volume)
        return volume

    def _toggle_play(self) -> None:
        if self.session is not None:
            self.bridge.spawn(self.session.toggle_play(), "kiosk-toggle-play")

    def _next(self) -> None:
        if self.session is not None:
            self.bridge.spawn(self.session.next(), "kiosk-next")

    def _clear_queue(self) -> None:
        if self.session is not None:
            self.session.clear()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._message_timer.start()

    def library_changed(self) -> None:
        if self.pages.currentWidget() is self.search_page and self.search_page.query:
            self.search_page.search_now()
        self.collect_attract_songs()

    # ---- lock-down, admin ----------------------------------------------------------

    def _guarded(self, obj: QObject) -> bool:
        return obj is self or (obj is self.stage and self.stage_on_own_screen)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.exit_allowed:
            event.accept()
        else:
            event.ignore()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # With one screen the stage covers the control window: a tap on it returns.
        stage = self.stage
        if (
            stage is not None
            and not self.stage_on_own_screen
            and event.type() is QEvent.Type.MouseButtonRelease
        ):
            stage.hide()
            return True
        return False

    def on_activity(self) -> None:
        self.admin.touch()
        if self.attract.activity():
            self.attract_screen.stop()

    def open_pin_pad(self) -> None:
        if self.admin.unlocked:
            self.admin_panel.open()
            return
        self.attract_screen.stop()
        self.pin_pad.open()

    def _unlocked(self) -> None:
        log.info("kiosk: admin unlocked")
        self.admin.unlock()
        self.admin_panel.info.setText("")
        self.admin_panel.open()

    def show_xiaowei_login(self) -> QDialog:
        from ktvdesk.ui.cloud_accounts import show_xiaowei_login

        self.admin.touch()
        return show_xiaowei_login(self.services, self)

    def relock(self) -> None:
        self.admin.lock()
        self.admin_panel.hide()
        if hasattr(self, "xiaowei_login_button"):  # a guest must not reach the venue's account
            from ktvdesk.ui.xiaowei_login import QrLoginDialog

            for dialog in self.findChildren(QrLoginDialog):
                dialog.close()
        log.info("kiosk: admin locked")

    def show_settings(self) -> None:
        settings = self.services.settings
        kiosk = settings.kiosk
        lines = [
            tr("Room (Yinsuda RoomId): {0}").format(settings.yinsuda.room_id or "–"),
            tr("Room (ZEGO RoomId): {0}").format(settings.zego.room_id or "–"),
            tr("Volume limit: {0}").format(kiosk.volume_max),
            tr("Catalogs: {0}").format(", ".join(kiosk.providers)),
            tr("Attract mode after {0} min idle").format(kiosk.attract_after_min),
            tr("Admin re-locks after {0} s").format(kiosk.admin_relock_after_s),
            tr("Change these in {0} and restart.").format(str(paths.config_file())),
        ]
        self.admin_panel.info.setText("\n".join(lines))

    def exit_kiosk(self) -> bool:
        """Only an unlocked admin may leave kiosk mode."""
        if not self.admin.unlocked:
            self.relock()
            return False
        log.info("kiosk: exit by admin")
        self._leave(KioskExit.ADMIN)
        return True

    def _leave(self, code: KioskExit) -> None:
        log.info("kiosk: leaving with exit status %d (%s)", code, code.name)
        self.exit_allowed = True
        self.exit_code = int(code)
        self._stop_background()
        self.release()
        if self.stage is not None:
            self.stage.close()
        self.close()
        self.exitRequested.emit(int(code))

    def _allow_quit(self) -> None:
        log.info("kiosk: application quit requested")
        self.exit_allowed = True
        self._stop_background()

    def _stop_background(self) -> None:
        """The window's own work ends with it: a step of its tasks after the loop stopped
        turning would find no running loop (a traceback in the log of a clean exit)."""
        self._ticker.stop()
        self.guard.stop()
        if self._attract_task is not None:
            self._attract_task.cancel()
            self._attract_task = None

    def release(self) -> None:
        """Take the application-wide filter off (exit, and the end of a test)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.lockdown)

    # ---- stage ---------------------------------------------------------------------

    def set_stage(self, stage: QWidget, *, own_screen: bool) -> None:
        """The stage window: on its own screen (guarded like this window) or, with one
        screen, shown over this one by the Stage button and left with a tap."""
        self.stage = stage
        self.stage_on_own_screen = own_screen
        if not own_screen:
            for part in (stage, *stage.findChildren(QWidget)):
                part.installEventFilter(self)
        self.stage_button.setVisible(not own_screen)

    def toggle_stage(self) -> None:
        stage = self.stage
        if stage is None:
            return
        if stage.isVisible() and not self.stage_on_own_screen:
            stage.hide()
            return
        show_full_screen(stage, self._screen_number())
        stage.raise_()

    def _screen_number(self) -> int:
        screens = QGuiApplication.screens()
        screen = self.screen()
        return screens.index(screen) if screen in screens else 0

    # ---- periodic: re-lock, attract, watchdog --------------------------------------

    def tick(self) -> None:
        if self.admin_panel.isVisible() and not self.admin.unlocked:
            log.info("kiosk: admin session re-locked after inactivity")
            self.relock()
        self._update_attract()
        self._check_watchdog()

    def _update_attract(self) -> None:
        session = self.session
        queue_empty = session is None or not session.upcoming
        playing = session is not None and session.now_playing is not None
        busy = self.pin_pad.isVisible() or self.admin_panel.isVisible()
        was = self.attract.active
        active = self.attract.update(queue_empty=queue_empty, playing=playing or busy)
        if active and not was:
            log.info("kiosk: attract mode on")
            self.attract_screen.start(self._attract_songs)
        elif was and not active:
            self.attract_screen.stop()

    def collect_attract_songs(self) -> None:
        provider = self.provider
        if provider is None:
            return

        async def collect() -> None:
            songs = await self.most_sung()
            seen = {song.key for song in songs}
            for group in await provider.tags():
                if group.id != "initial":
                    continue
                for tag in group.tags:
                    page = await provider.songs_by_tag(tag.id, limit=10)
                    for song in page.items:
                        if song.key not in seen and len(songs) < ATTRACT_SONGS:
                            seen.add(song.key)
                            songs.append(song)
            self._attract_songs = songs

        self._attract_task = self.bridge.spawn(collect(), "kiosk-attract-songs")

    def _check_watchdog(self) -> None:
        action = self.watchdog.check()
        if action is WatchdogAction.RESTART_ENGINE:
            self.restart_engine()
        elif action is WatchdogAction.EXIT_PROCESS:
            log.critical("kiosk watchdog: the engine does not recover; exiting for a restart")
            self._leave(KioskExit.WATCHDOG)

    def restart_engine(self) -> None:
        """Reopen the song through the session: a freshly resolved link, never the old
        one, which may have expired while the engine hung."""
        session = self.session
        now = session.now_playing if session is not None else None
        if session is None or now is None:
            return
        log.error("kiosk watchdog: no playback heartbeat: reopening %s", now.song.key)
        self.bridge.spawn(session.reload_current(), "kiosk-watchdog-reload")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for overlay in (self.pin_pad, self.admin_panel, self.attract_screen):
            if overlay.isVisible():
                overlay.setGeometry(self.rect())
        self.corner.move(0, 0)
        self.corner.raise_()

    def show_on_screen(self, number: int | None) -> None:
        screens = QGuiApplication.screens()
        if screens:
            screen = screens[min(max(number or 0, 0), len(screens) - 1)]
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.corner.raise_()
        self.guard.start()
