"""The start window: what the desktop app shows before it imports its stack (issue 15).

pydantic, asyncio, qasync and the core packages take most of a second of CPU before the
main window can be built, while a bare Qt window shows in about a quarter of that. So the
app shows this window first, from Qt alone, at the place and size the main window will
take, and the main window takes its place once its own first frame is painted: a window
is on screen all along, and a user who moved or resized this one loses nothing.

Imports: PySide6 and light ktvdesk modules only (`tests/ui/test_start_window.py` checks
that the early path loads no pydantic, asyncio or settings model).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSize, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ktvdesk import APP_NAME
from ktvdesk.ui.i18n import tr

# The menu entry's and the icon's name (packaging/linux): the desktop shows the installed icon.
APP_ID = "io.github.ktvdesk"
WINDOW_SIZE = QSize(1280, 800)  # the main window's first size too
MINIMUM_SIZE = QSize(960, 600)  # and its smallest: this window cannot be made smaller
# A platform that never paints the window (none known) holds the start back at most this long.
FIRST_FRAME_DEADLINE_MS = 3000


class StartWindow(QWidget):
    """The app's name and one line saying what is happening, in the platform's palette.

    Centred by stretches, not alignment flags: the first use of `Qt` (its namespace of
    enums) costs about 30 ms of CPU, which the main window pays anyway, but later."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.resize(WINDOW_SIZE)
        # Set before the window exists: a size the layout set once it is shown would be
        # pushed to the platform window again (and the offscreen platform warns about that).
        self.setMinimumSize(MINIMUM_SIZE)
        self.message = QLabel(tr("Opening your library…"))
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.message)
        row.addStretch()
        column = QVBoxLayout(self)
        column.addStretch()
        column.addLayout(row)
        column.addStretch()

    def close_for_good(self) -> None:
        self.close()
        self.deleteLater()


def set_app_identity() -> None:
    """The icon every window of the app shows (from the icon theme once installed)."""
    QGuiApplication.setDesktopFileName(APP_ID)
    QGuiApplication.setWindowIcon(QIcon.fromTheme(APP_ID))


def show_start_window() -> StartWindow:
    """Show the start window and return once its first frame is painted."""
    window = StartWindow()
    window.show()
    painted = QEventLoop()
    deadline = QTimer(singleShot=True, interval=FIRST_FRAME_DEADLINE_MS)
    deadline.timeout.connect(painted.quit)
    when_painted(window, painted.quit)
    deadline.start()
    painted.exec()
    deadline.stop()
    return window


def hand_over(start: StartWindow, window: QWidget) -> None:
    """`window` (not shown yet) takes the start window's place; the start window closes
    once `window`'s first frame is painted, so that the screen never goes without one."""
    window.setGeometry(start.geometry())
    window.setWindowState(start.windowState())
    when_painted(window, start.close_for_good)


def when_painted(window: QWidget, callback: Callable[[], object]) -> None:
    """Call `callback` once, on the event loop's turn after `window`'s first paint: the
    frame is on screen by then (the backing store flushes it right after painting)."""
    _FirstPaint(window, callback)


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(window)  # lives as long as the window, or until the paint
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False
