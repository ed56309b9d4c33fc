"""Every escape is attempted and the window stays; the PIN pad and the admin session."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ktvdesk.kiosk import PinVerdict
from tests.ui.conftest import run, settle, until
from tests.ui.kiosk.conftest import PIN, Kiosk

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ESCAPES = [
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, ALT),
    (Qt.Key.Key_Q, CTRL),
    (Qt.Key.Key_W, CTRL),
]


def settled(kiosk: Kiosk) -> None:
    """What a refused escape posted (a deferred close, a state change) has been delivered
    and the loop has turned, in the test's running loop (never `processEvents()` outside it)."""
    run(kiosk.loop, settle())


def assert_still_there(kiosk: Kiosk) -> None:
    win = kiosk.win
    assert win.isVisible()
    assert not win.windowState() & Qt.WindowState.WindowMinimized
    assert win.windowState() & Qt.WindowState.WindowFullScreen
    assert win.windowFlags() & Qt.WindowType.FramelessWindowHint


def enter(kiosk: Kiosk, qtbot: QtBot, pin: str) -> PinVerdict:
    pad = kiosk.win.pin_pad
    for digit in pin:
        qtbot.mouseClick(pad.digit_buttons[digit], Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    return pad.submit()


def test_every_escape_is_refused(kiosk: Kiosk, qtbot: QtBot) -> None:
    win = kiosk.win
    fired: list[str] = []
    # Shortcuts someone (Qt, a widget) might bind to the escape keys never trigger.
    for key, mods in ESCAPES:
        shortcut = QShortcut(QKeySequence(key | mods), win)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(lambda k=key: fired.append(str(k)))
    for key, mods in ESCAPES:
        qtbot.keyClick(win, key, mods)
        qtbot.keyClick(win.search_page.keys["A"], key, mods)  # also from inside a child
        settled(kiosk)
        assert_still_there(kiosk)
    assert fired == []
    assert win.lockdown.swallowed >= 2 * len(ESCAPES)

    assert win.close() is False  # what the window manager's close button asks for
    QApplication.sendEvent(win, QCloseEvent())
    settled(kiosk)
    assert_still_there(kiosk)

    guard, before = win.guard, win.guard.recoveries
    win.showMinimized()  # a minimise that got through: the guard brings the window back
    run(kiosk.loop, until(lambda: guard.recoveries > before and guard.problem() is None, timeout_s=10))
    assert_still_there(kiosk)

    menus: list[QPoint] = []
    target = win.search_page.keys["B"]
    target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    target.customContextMenuRequested.connect(menus.append)
    QApplication.sendEvent(
        target,
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), target.mapToGlobal(QPoint(5, 5))),
    )
    assert menus == []


def test_wrong_pins_stay_locked_and_slow_down_then_the_right_pin_exits(kiosk: Kiosk, qtbot: QtBot) -> None:
    win, clock = kiosk.win, kiosk.clock
    qtbot.keyClick(win, Qt.Key.Key_K, CTRL | ALT | Qt.KeyboardModifier.ShiftModifier)
    assert win.pin_pad.isVisible()
    waits = []
    for _ in range(5):
        clock.advance(win.lock.wait_s())
        assert enter(kiosk, qtbot, "1111") is PinVerdict.WRONG
        waits.append(win.lock.wait_s())
        assert not win.admin.unlocked and not win.admin_panel.isVisible()
        assert win.exit_kiosk() is False
        assert_still_there(kiosk)
    assert waits == [0, 1, 2, 4, 8]
    win.pin_pad.refresh()
    assert not win.pin_pad.ok_button.isEnabled()
    assert "8" in win.pin_pad.message.text()
    # During the wait even the right PIN is refused, unchecked.
    assert enter(kiosk, qtbot, PIN) is PinVerdict.WAIT
    assert not win.admin.unlocked
    clock.advance(8)
    win.pin_pad.refresh()
    assert win.pin_pad.ok_button.isEnabled()
    assert enter(kiosk, qtbot, PIN) is PinVerdict.OK
    assert win.admin.unlocked and win.admin_panel.isVisible() and not win.pin_pad.isVisible()

    win.admin_panel.settings_button.click()
    assert "60" in win.admin_panel.info.text()  # the volume limit among the room settings

    with qtbot.waitSignal(win.exitRequested) as exited:
        qtbot.mouseClick(win.admin_panel.exit_button, Qt.MouseButton.LeftButton)
    assert exited.args == [0]
    assert not win.isVisible()


def test_long_press_in_the_corner_opens_the_pad_a_tap_does_not(kiosk: Kiosk, qtbot: QtBot) -> None:
    win = kiosk.win
    win.corner.hold_ms = 30
    qtbot.mouseClick(win.corner, Qt.MouseButton.LeftButton)
    # A pad that does not open has no event to await: wait out twice the hold time, past
    # the moment the tap's hold timer would have fired had the release not stopped it.
    run(kiosk.loop, asyncio.sleep(2 * win.corner.hold_ms / 1000))
    assert not win.pin_pad.isVisible()
    with qtbot.waitSignal(win.corner.held, timeout=5000):
        qtbot.mousePress(win.corner, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(win.corner, Qt.MouseButton.LeftButton)
    assert win.pin_pad.isVisible()
    win.pin_pad.cancel_button.click()
    assert not win.pin_pad.isVisible() and not win.admin.unlocked


def test_inactivity_relocks_and_activity_keeps_it_open(kiosk: Kiosk, qtbot: QtBot) -> None:
    win, clock = kiosk.win, kiosk.clock
    timeout = kiosk.services.settings.kiosk.admin_relock_after_s
    win.open_pin_pad()
    assert enter(kiosk, qtbot, PIN) is PinVerdict.OK
    clock.advance(timeout - 1)
    qtbot.mouseClick(win.admin_panel.settings_button, Qt.MouseButton.LeftButton)  # staff still busy
    clock.advance(timeout - 1)
    win.tick()
    assert win.admin.unlocked and win.admin_panel.isVisible()
    clock.advance(1)
    win.tick()
    assert not win.admin.unlocked and not win.admin_panel.isVisible()
    assert win.exit_kiosk() is False
    assert_still_there(kiosk)
    win.open_pin_pad()  # after a re-lock the PIN is needed again
    assert win.pin_pad.isVisible() and not win.admin_panel.isVisible()


def test_relock_button_locks_at_once(kiosk: Kiosk, qtbot: QtBot) -> None:
    win = kiosk.win
    win.open_pin_pad()
    assert enter(kiosk, qtbot, PIN) is PinVerdict.OK
    qtbot.mouseClick(win.admin_panel.relock_button, Qt.MouseButton.LeftButton)
    assert not win.admin.unlocked and not win.admin_panel.isVisible()
    assert win.exit_kiosk() is False


def test_every_button_is_a_finger_sized_target(kiosk: Kiosk) -> None:
    win = kiosk.win

    async def load_pages() -> None:
        win.show_page("singers")
        await until(lambda: bool(win.singers_page.singer_buttons), win.singers_page.loaded)
        win.show_page("categories")
        await until(lambda: bool(win.categories_page.tag_buttons), win.categories_page.loaded)
        win.show_page("charts")  # read off the GUI thread: shown when it answers
        await until(lambda: not win.loader.busy, win.charts_page.songs.changed)
        for key in ("queue", "search"):
            win.show_page(key)
        await settle()

    run(kiosk.loop, load_pages())
    buttons = win.findChildren(QPushButton)
    assert len(buttons) > 50
    small = [b.objectName() or b.text() for b in buttons if b.minimumWidth() < 48 or b.minimumHeight() < 48]
    assert small == []


def test_stage_on_its_own_screen_cannot_be_closed(kiosk: Kiosk, qtbot: QtBot) -> None:
    from ktvdesk.ui.kiosk.shell import make_stage

    win = kiosk.win
    stage = make_stage(win, video=False)
    qtbot.addWidget(stage)
    win.set_stage(stage, own_screen=True)
    assert not win.stage_button.isVisible()
    stage.show()
    assert stage.close() is False
    qtbot.keyClick(stage, Qt.Key.Key_Escape)
    qtbot.keyClick(stage, Qt.Key.Key_F4, ALT)
    settled(kiosk)
    assert stage.isVisible()
    win.exit_allowed = True  # let the fixture close it


def test_single_screen_stage_toggles_and_a_tap_returns(kiosk: Kiosk, qtbot: QtBot) -> None:
    from ktvdesk.ui.kiosk.shell import make_stage

    win = kiosk.win
    stage = make_stage(win, video=False)
    qtbot.addWidget(stage)
    win.set_stage(stage, own_screen=False)
    assert not win.stage_button.isHidden()
    qtbot.mouseClick(win.stage_button, Qt.MouseButton.LeftButton)
    assert stage.isVisible()
    lyric_area = stage.findChildren(QWidget)[0]
    qtbot.mouseClick(lyric_area, Qt.MouseButton.LeftButton)  # a tap anywhere on the stage
    assert not stage.isVisible()
    assert win.isVisible()
