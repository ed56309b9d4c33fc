"""Item 1 of issue 16: messages float over the window and never move what the user clicks."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.toast import MAX_TOASTS


def _positions(win: MainWindow) -> dict[str, QPoint]:
    widgets = {
        "nav": win.nav,
        "pages": win.pages,
        "search": win.search_page.box,
        "results": win.search_page.results,
        "queue": win.queue_panel,
        "now_bar": win.now_bar,
    }
    return {name: w.mapTo(win, QPoint(0, 0)) for name, w in widgets.items()}


def test_messages_never_move_the_content(window: MainWindow, qtbot: QtBot) -> None:
    win = window
    qtbot.waitUntil(win.nav.isVisible)
    before = _positions(win)
    win.show_message("Added to the queue: 茉莉花")
    win.show_error("This song cannot be played")
    assert win.toast.isVisible()
    assert [t.text() for t in win.toast.toasts] == [
        "Added to the queue: 茉莉花",
        "This song cannot be played",
    ]
    central = win.centralWidget()
    assert central is not None and central.layout() is not None
    central.layout().activate()  # type: ignore[union-attr]
    assert _positions(win) == before
    # Floating over the content, inside the window, above the now-playing bar.
    geometry = win.toast.geometry()
    assert central.rect().contains(geometry)
    assert geometry.bottom() < win.now_bar.mapTo(central, QPoint(0, 0)).y()


def test_toasts_stack_close_and_expire(window: MainWindow, qtbot: QtBot) -> None:
    win = window
    for number in range(MAX_TOASTS + 2):
        win.show_message(f"message {number}")
    texts = [t.text() for t in win.toast.toasts]
    assert texts == [f"message {n}" for n in range(2, MAX_TOASTS + 2)]  # the oldest dropped
    assert win.toast.text() == f"message {MAX_TOASTS + 1}"
    first = win.toast.toasts[0]
    qtbot.mouseClick(first.close_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert first not in win.toast.toasts and len(win.toast.toasts) == MAX_TOASTS - 1
    # Each toast closes by itself when its time is up (its timer, not a sleep).
    for toast in list(win.toast.toasts):
        toast.timer.timeout.emit()
    assert win.toast.toasts == [] and win.toast.isHidden()
