"""The admin PIN pad and the admin panel: overlays inside the kiosk window (never
separate top-level windows, which a window manager could let a guest walk away with)."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ktvdesk.kiosk import PinLock, PinVerdict
from ktvdesk.kiosk.pin import PIN_MAX_DIGITS
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.kiosk.touch import big_button


class Overlay(QFrame):
    """A dimmed full-window layer with a centred card."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"#{name} {{ background: rgba(8, 4, 20, 230); }}")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.card = QFrame()
        self.card.setObjectName("kioskCard")
        self.card.setMinimumWidth(420)
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.hide()

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()


class PinPad(Overlay):
    unlocked = Signal()

    def __init__(self, parent: QWidget, lock: PinLock, pin_hash: Callable[[], str | None]) -> None:
        super().__init__(parent, "kioskPinPad")
        self.lock = lock
        self._pin_hash = pin_hash
        self._digits = ""
        self._showing_wait = False
        layout = QVBoxLayout(self.card)
        title = QLabel(tr("Staff only: enter the admin PIN"))
        title.setObjectName("kioskHeading")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.dots = QLabel()
        self.dots.setObjectName("kioskPinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.dots)
        self.message = QLabel()
        self.message.setObjectName("kioskMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        grid = QGridLayout()
        self.digit_buttons: dict[str, object] = {}
        for index, digit in enumerate("123456789"):
            button = big_button(digit, name=f"pin{digit}", height=72)
            button.clicked.connect(lambda _=False, d=digit: self.press(d))
            grid.addWidget(button, index // 3, index % 3)
            self.digit_buttons[digit] = button
        self.clear_button = big_button(tr("Clear"), name="pinClear", height=72)
        self.clear_button.clicked.connect(self.clear)
        zero = big_button("0", name="pin0", height=72)
        zero.clicked.connect(lambda: self.press("0"))
        self.digit_buttons["0"] = zero
        self.ok_button = big_button(tr("OK"), name="pinOk", height=72)
        self.ok_button.clicked.connect(self.submit)
        grid.addWidget(self.clear_button, 3, 0)
        grid.addWidget(zero, 3, 1)
        grid.addWidget(self.ok_button, 3, 2)
        layout.addLayout(grid)
        self.cancel_button = big_button(tr("Cancel"), name="pinCancel")
        self.cancel_button.clicked.connect(self.close_pad)
        layout.addWidget(self.cancel_button)
        self._ticker = QTimer(self)
        self._ticker.setInterval(500)
        self._ticker.timeout.connect(self.refresh)

    def open(self) -> None:
        self.clear()
        self.message.setText("")
        super().open()
        self._ticker.start()
        self.refresh()

    def close_pad(self) -> None:
        self._ticker.stop()
        self.clear()
        self.hide()

    def press(self, digit: str) -> None:
        if len(self._digits) < PIN_MAX_DIGITS:
            self._digits += digit
        self.dots.setText("●" * len(self._digits))

    def clear(self) -> None:
        self._digits = ""
        self.dots.setText("")

    def refresh(self) -> None:
        """Show the running wait after wrong PINs; the OK button waits with it."""
        wait_s = self.lock.wait_s()
        self.ok_button.setEnabled(wait_s <= 0)
        if wait_s > 0:
            self._showing_wait = True
            self.message.setText(tr("Too many wrong PINs. Try again in {0} s.").format(math.ceil(wait_s)))
        elif self._showing_wait:  # the wait is over: "try again in 1 s" must not stay
            self._showing_wait = False
            self.message.setText("")

    def submit(self) -> PinVerdict:
        pin, self._digits = self._digits, ""
        self.dots.setText("")
        verdict = self.lock.attempt(pin, self._pin_hash())
        if verdict is PinVerdict.OK:
            self.message.setText("")
            self.close_pad()
            self.unlocked.emit()
        elif verdict is PinVerdict.NO_PIN:
            self.message.setText(tr("No admin PIN is set. Run “ktvdesk kiosk set-pin” on this terminal."))
        elif verdict is PinVerdict.WRONG:
            self.message.setText(tr("Wrong PIN."))
            self.refresh()
        else:
            self.refresh()
        return verdict


class AdminPanel(Overlay):
    """What the unlocked staff can do; it closes itself when the admin session re-locks."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "kioskAdmin")
        layout = QVBoxLayout(self.card)
        title = QLabel(tr("Admin"))
        title.setObjectName("kioskHeading")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setObjectName("kioskMessage")
        layout.addWidget(self.info)
        self.settings_button = big_button(tr("Settings"), name="adminSettings")
        self.stage_button = big_button(tr("Stage on/off"), name="adminStage")
        self.clear_queue_button = big_button(tr("Clear the queue"), name="adminClearQueue")
        self.relock_button = big_button(tr("Lock again"), name="adminRelock")
        self.exit_button = big_button(tr("Exit kiosk mode"), name="adminExit")
        for button in (
            self.settings_button,
            self.stage_button,
            self.clear_queue_button,
            self.relock_button,
            self.exit_button,
        ):
            layout.addWidget(button)
        self._layout = layout

    def add_section(self, section: QWidget) -> None:
        """A settings block under the buttons (the microphone, for 评分)."""
        self._layout.addWidget(section)
