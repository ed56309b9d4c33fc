"""`WindowGuard`: the kiosk window stays mapped, fullscreen and in front, or the process ends.

Guests (and window managers) have more ways out than keys: "show desktop" (Super+D in
openbox) unmaps every window, `xdotool windowminimize` iconifies it, a `_NET_WM_STATE`
request drops fullscreen, `xdotool windowclose` destroys the X window. Qt reports the
first three only as an Expose without a region or a window-state change, and the last not
at all. The guard checks on each of those events (and on a slow timer, for what no event
tells) and:

- brings the window straight back: leaves show-desktop mode, restores fullscreen, asks
  the window manager to activate it (through `x11.X11Link`, because Qt will not activate
  an unmapped window);
- calls `on_lost` when the X window no longer exists: the kiosk then exits with
  `KioskExit.WINDOW_LOST` so that systemd starts a fresh one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from ktvdesk.ui.kiosk.x11 import MapState, X11Link

log = logging.getLogger(__name__)

SAFETY_CHECK_MS = 250  # a few X round trips: cheap, and well inside the 2 s promise
REPEAT_QUIET_S = 1.0
_WATCHED = {
    QEvent.Type.Expose,
    QEvent.Type.WindowStateChange,
    QEvent.Type.WindowDeactivate,
    QEvent.Type.Hide,
}


class WindowGuard(QObject):
    def __init__(
        self,
        window: QWidget,
        *,
        enabled: Callable[[], bool],
        on_lost: Callable[[], None],
        link: X11Link | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._enabled = enabled
        self._on_lost = on_lost
        self.link = link
        self.recoveries = 0  # for the logs and the tests: how often it came back
        self._pending = False
        self._mapped_once = False  # not "unmapped" before the window manager first mapped it
        self._last_reason = ""
        self._last_logged = 0.0
        window.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(SAFETY_CHECK_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        """Once the window is shown (it has a native window to watch from then on)."""
        handle = self.window.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)
        self._timer.start()
        # Said from the running event loop: from then on a lost window or a broken X
        # connection is noticed and ends the process with its own status (during the
        # start-up code before it, Xlib's handler would end it with 1).
        QTimer.singleShot(0, self, self._announce)

    def _announce(self) -> None:
        log.info(
            "kiosk: guarding window %d (%s)", int(self.window.winId()), "X11" if self.link else "Qt only"
        )

    def stop(self) -> None:
        self._timer.stop()
        if self.link is not None:
            self.link.close()
            self.link = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _WATCHED and not self._pending:
            # After the event is done: the state it announces is then in place.
            self._pending = True
            QTimer.singleShot(0, self, self.check)
        return False

    def problem(self) -> str | None:
        """Why the window is not in front, or None when it is."""
        window = self.window
        state = window.windowState()
        handle = window.windowHandle()
        if state & Qt.WindowState.WindowMinimized:
            return "minimised"
        if not state & Qt.WindowState.WindowFullScreen:
            return "not fullscreen"
        if not window.isVisible():
            return "hidden"
        if handle is not None and not handle.isExposed():
            return "unmapped" if self._mapped_once else None
        self._mapped_once = True
        if self.link is not None and self.link.wm_running():
            # Qt does not always hear of a state the window manager changed by itself.
            wm_state = self.link.net_wm_state(int(window.winId()))
            if "_NET_WM_STATE_HIDDEN" in wm_state:
                return "minimised by the window manager"
            if "_NET_WM_STATE_FULLSCREEN" not in wm_state:
                return "not fullscreen for the window manager"
        return None

    def check(self) -> None:
        self._pending = False
        if not self._timer.isActive() or not self._enabled():
            return
        link = self.link
        if link is not None:
            if link.broken:
                log.error("kiosk: the watch connection to the X server broke: Qt's view only")
                link.close()
                self.link = None
            elif link.map_state(int(self.window.winId())) is MapState.GONE:
                log.critical("kiosk: the window was destroyed from outside; exiting for a restart")
                self.stop()
                self._on_lost()
                return
        reason = self.problem()
        if reason is not None:
            self.bring_back(reason)

    def bring_back(self, reason: str) -> None:
        self.recoveries += 1
        now = time.monotonic()
        # A window manager that keeps refusing would otherwise fill the log 4 times a second.
        repeated = reason == self._last_reason and now - self._last_logged < REPEAT_QUIET_S
        self._last_reason = reason
        if not repeated:
            self._last_logged = now
        log.log(
            logging.DEBUG if repeated else logging.WARNING,
            "kiosk: window %s: bringing it back to the front (#%d)",
            reason,
            self.recoveries,
        )
        window = self.window
        link = self.link
        if link is not None and link.showing_desktop():
            link.leave_show_desktop()
        if window.windowState() != Qt.WindowState.WindowFullScreen:
            window.setWindowState(Qt.WindowState.WindowFullScreen)
        if not window.isVisible():
            window.showFullScreen()
        window.raise_()
        if link is not None:
            wid = int(window.winId())
            link.set_wm_state(wid, "_NET_WM_STATE_FULLSCREEN", True)  # Qt only asks on a change
            link.activate(wid)
        else:
            window.activateWindow()
