"""The start window (issue 15): shown first, from Qt alone, and replaced by the main window
once that one's first frame is painted, in the same place. Real Qt (offscreen), the real
main window, and the app as a user starts it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect
from pytestqt.qtbot import QtBot

from ktvdesk.services import AppServices
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.start_window import hand_over, show_start_window
from tests.ui.conftest import gui_env, start_gui


class _Closes(QObject):
    """Records, when the watched window closes, whether `other` was on screen then."""

    def __init__(self, other: MainWindow) -> None:
        super().__init__()
        self.other = other
        self.other_visible: list[bool] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.other_visible.append(self.other.isVisible())
        return False


def test_the_main_window_takes_the_start_windows_place(qtbot: QtBot, services: AppServices) -> None:
    start = show_start_window()
    assert start.isVisible() and start.message.text()
    start.setGeometry(QRect(90, 70, 1000, 700))  # the user moved and resized it meanwhile
    window = MainWindow(services)
    qtbot.addWidget(window)
    closes = _Closes(window)
    start.installEventFilter(closes)

    hand_over(start, window)
    window.show()
    assert start.isVisible()  # until the main window's first frame is painted
    with qtbot.waitSignal(start.destroyed, timeout=10_000):
        pass

    assert closes.other_visible == [True]  # never a moment without a window
    assert window.isVisible()
    assert window.geometry() == QRect(90, 70, 1000, 700)


def test_the_desktop_app_shows_the_start_window_first(tmp_path: Path) -> None:
    shot = tmp_path / "main.png"
    proc = start_gui(tmp_path, "--screenshot", str(shot), "--lang", "en", "--debug")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    lines = err.splitlines()

    def first(text: str) -> int:
        return next(i for i, line in enumerate(lines) if text in line)

    assert first("start window shown after") < first("settings loaded") < first("main window shown")
    assert shot.is_file()


def test_the_kiosk_shows_no_start_window(tmp_path: Path) -> None:
    shot = tmp_path / "kiosk.png"
    proc = start_gui(tmp_path, "--kiosk", "--debug", "--screenshot", str(shot))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "screenshot " in err and "kiosk" in err
    assert "start window shown" not in err


# Stops the app the moment the start window is shown and lists what was imported by then.
EARLY_PATH = """
import logging, os, sys

class AtStartWindow(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("start window shown"):
            heavy = ("pydantic", "asyncio", "qasync", "ktvdesk.config", "ktvdesk.services")
            print("imported:", ",".join(name for name in heavy if name in sys.modules), flush=True)
            os._exit(0)

logging.getLogger("ktvdesk.ui.app").addHandler(AtStartWindow())
from ktvdesk.cli import main
main(["--lang", "zh_CN"])
"""


def test_the_start_window_shows_before_the_stack_is_imported(tmp_path: Path) -> None:
    """A structural guard of its speed: whatever the early path imports is paid before
    anything shows."""
    out = subprocess.run(
        [sys.executable, "-c", EARLY_PATH],
        env=gui_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["imported: "], out.stdout + out.stderr
