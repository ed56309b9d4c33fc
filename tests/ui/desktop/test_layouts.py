"""Item 8 of issue 16: at 1024×600, 1280×800 and 1920×1080, in English and Chinese, no
visible text of any page is clipped, outside the window or overlapping another; the
song tables keep room for the title in the narrow Categories and Singers panes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ktvdesk.ui.i18n import install_translator
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.theme import apply_theme
from tests.ui.conftest import make_services, run, settle, until
from tests.ui.layout_check import layout_problems

SIZES = ((1024, 600), (1280, 800), (1920, 1080))
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def loop_errors(qloop: asyncio.AbstractEventLoop) -> list[str]:
    """What the test's loop reports to its exception handler (a lost task step is one)."""
    errors: list[str] = []
    qloop.set_exception_handler(
        lambda _loop, context: errors.append(str(context.get("exception") or context["message"]))
    )
    return errors


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[QApplication]:
    apply_theme(qapp, "dark")
    yield qapp
    qapp.setStyleSheet("")
    install_translator(qapp, "en")


def test_the_check_sees_clipped_and_overlapping_text(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(300, 100)
    clipped = QLabel("a label far too long for its forty pixels", window)
    clipped.setGeometry(0, 0, 40, 20)
    button = QPushButton("Original vocal", window)
    button.setGeometry(0, 10, 30, 30)  # clipped and over the label
    off = QLabel("off the edge", window)
    off.setGeometry(280, 50, 120, 20)
    window.show()
    problems = "\n".join(layout_problems(window))
    assert "far too long" in problems and "is clipped" in problems
    assert "overlaps" in problems and "outside the window" in problems
    fine = QWidget()
    qtbot.addWidget(fine)
    row = QHBoxLayout(fine)
    row.addWidget(QLabel("Nothing playing"))
    row.addWidget(QPushButton("Play"))
    fine.show()
    assert layout_problems(fine) == []


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_no_clipped_or_overlapping_text(
    *,
    language: str,
    styled: QApplication,
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    loop_errors: list[str],
) -> None:
    install_translator(styled, language)
    services = make_services(tmp_path, monkeypatch, qloop, lang=language)
    run(qloop, services.start())
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    found: list[str] = []

    async def tour() -> None:
        session = services.session
        assert session is not None and services.library is not None
        song = (await services.library.search("送别")).items[0]
        session.enqueue(song)  # a title and "Pause" in the bar
        await until(lambda: session.is_playing, win.bridge.stateChanged)
        for width, height in SIZES:
            win.resize(width, height)
            for row in range(win.nav.count()):
                win.nav.setCurrentRow(row)
                await settle()
                found.extend(f"{width}x{height} page {row}: {p}" for p in layout_problems(win))
                if row == 2:  # Singers: the songs table keeps its Title column readable
                    table = win.singers_page.songs.table
                    assert table.columnWidth(1) >= 100, (width, table.columnWidth(1))
            if os.environ.get("KTVDESK_SCREENSHOTS"):
                SHOTS.mkdir(parents=True, exist_ok=True)
                win.nav.setCurrentRow(0)
                await settle()
                win.grab().save(str(SHOTS / f"main-{language}-{width}x{height}.png"))
        session.stop()

    run(qloop, tour(), then_close=services)
    assert found == []
    # Every load a page started ran (none lost its step): nothing is left to be collected
    # unawaited, and the shutdown found no task that would not stop.
    assert loop_errors == []
    assert len(services.tasks) == 0
