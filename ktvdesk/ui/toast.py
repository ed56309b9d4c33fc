"""Toasts: messages that float over the window and never move its content.

A message pushed into the layout shifts every widget below it, so the user's next click
lands on the wrong row. `ToastStack` is a child of the window's central widget that no
layout manages: it sits over the bottom-right corner, stacks up to `MAX_TOASTS` messages
(newest at the bottom, the oldest dropped), and each toast closes by itself after its
time, or at once with its × button.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ktvdesk.ui.i18n import tr

TOAST_MS = 6000
ERROR_TOAST_MS = 10_000  # an error is read more slowly than "added to the queue"
MAX_TOASTS = 4
TOAST_WIDTH = 360
MARGIN = 12


class Toast(QFrame):
    closed = Signal(object)

    def __init__(self, text: str, *, error: bool, timeout_ms: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toastError" if error else "toast")
        self.error = error
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 8)
        self.label = QLabel(text)
        self.label.setObjectName("toastText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.close_button = QToolButton()
        self.close_button.setObjectName("toastClose")
        self.close_button.setText("×")
        self.close_button.setToolTip(tr("Close"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        self.timer.start(timeout_ms)

    def text(self) -> str:
        return self.label.text()

    def dismiss(self) -> None:
        self.timer.stop()
        self.hide()
        self.closed.emit(self)
        self.deleteLater()


class ToastStack(QWidget):
    """The overlay holding the toasts; follows its parent's size (an event filter)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toastStack")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self.toasts: list[Toast] = []
        self.bottom_inset = 0  # keeps the toasts above a bottom bar (the now-playing bar)
        parent.installEventFilter(self)
        self.hide()

    def show_message(self, text: str, *, error: bool = False) -> Toast:
        while len(self.toasts) >= MAX_TOASTS:
            self.toasts[0].dismiss()
        toast = Toast(text, error=error, timeout_ms=ERROR_TOAST_MS if error else TOAST_MS, parent=self)
        toast.closed.connect(self._closed)
        self.toasts.append(toast)
        self._layout.addWidget(toast)
        self._place()
        self.show()
        self.raise_()
        return toast

    def text(self) -> str:
        """The newest message ("" with none showing)."""
        return self.toasts[-1].text() if self.toasts else ""

    def clear(self) -> None:
        for toast in list(self.toasts):
            toast.dismiss()

    def _closed(self, toast: Toast) -> None:
        if toast in self.toasts:
            self.toasts.remove(toast)
        self._layout.removeWidget(toast)
        if self.toasts:
            self._place()
        else:
            self.hide()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(TOAST_WIDTH, max(160, parent.width() - 2 * MARGIN))
        self._layout.activate()
        height = self._layout.heightForWidth(width)
        if height <= 0:
            height = self.sizeHint().height()
        # Above the bottom bar of the parent's lower edge: clear of the search box and the
        # navigation, where the next click usually goes.
        bottom = parent.height() - MARGIN - self.bottom_inset
        self.setGeometry(parent.width() - width - MARGIN, max(MARGIN, bottom - height), width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.toasts:
            self._place()
        return False
