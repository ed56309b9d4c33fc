"""The lock-down: one event filter on the QApplication sees every key and window event
before any widget does, so no widget (ours or Qt's) can act on an escape.

Swallowed: Esc, Alt+F4, Ctrl+Q, Ctrl+W, anything with the Meta/Super key, context menus
(the kiosk has no right-click actions at all: none is the safest limit), and Close events
of the guarded windows (the window manager's close button or Alt+F4 handled by the WM)
unless the admin allowed the exit. Ctrl+Alt+Shift+K opens the PIN pad. Every press or
touch counts as activity (attract mode, admin re-lock).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_META = Qt.KeyboardModifier.MetaModifier
_MODS = _CTRL | _ALT | _SHIFT | _META

# (key, exact modifiers) pairs that must do nothing in kiosk mode.
BLOCKED_KEYS: tuple[tuple[Qt.Key, Qt.KeyboardModifier], ...] = (
    (Qt.Key.Key_F4, _ALT),
    (Qt.Key.Key_Q, _CTRL),
    (Qt.Key.Key_W, _CTRL),
    (Qt.Key.Key_F4, _CTRL),
    (Qt.Key.Key_Tab, _ALT),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
)
ADMIN_KEY = (Qt.Key.Key_K, _CTRL | _ALT | _SHIFT)

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


def is_blocked(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    mods = modifiers & _MODS
    if key == Qt.Key.Key_Escape or mods & _META:
        return True
    if key in (Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R):
        return True
    return any(key == k and mods == m for k, m in BLOCKED_KEYS)


class LockdownFilter(QObject):
    def __init__(
        self,
        *,
        guarded: Callable[[QObject], bool],
        exit_allowed: Callable[[], bool],
        on_admin_key: Callable[[], None],
        on_activity: Callable[[], None],
        on_quit: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._guarded = guarded
        self._exit_allowed = exit_allowed
        self._on_admin_key = on_admin_key
        self._on_activity = on_activity
        self._on_quit = on_quit
        self.swallowed = 0  # for the tests and the logs: how many escapes were refused

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY:
            self._on_activity()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease):
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers() & _MODS
            admin = key == ADMIN_KEY[0] and mods == ADMIN_KEY[1]
            if not admin and not is_blocked(key, event.modifiers()):
                return False
            if kind is QEvent.Type.ShortcutOverride:
                # Accepting the override is what stops Qt's shortcut map: the key then
                # comes back as a plain KeyPress, swallowed here too.
                event.accept()
            elif kind is QEvent.Type.KeyPress:
                if admin and not event.isAutoRepeat():
                    self._on_admin_key()
                elif not admin:
                    self.swallowed += 1
            return True
        if kind is QEvent.Type.ContextMenu:
            return True
        if kind is QEvent.Type.Quit:
            # Qt 6 quits by closing every window and gives up if one refuses: a quit
            # comes only from the app's own code (SIGTERM from systemd, the admin's
            # exit, --screenshot), never from a guest's key (those are swallowed above).
            self._on_quit()
            return False
        if kind is QEvent.Type.Close and self._guarded(watched) and not self._exit_allowed():
            event.ignore()
            self.swallowed += 1
            return True
        return False
