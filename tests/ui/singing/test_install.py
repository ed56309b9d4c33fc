"""`install_singing` on the real main window: lanes attached, the 评分 switch wired."""

from __future__ import annotations

from typing import Any

from ktvdesk.services import AppServices
from ktvdesk.session import KaraokeSession
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.singing_ui import install_singing


def test_install_wires_the_main_window(qtbot: Any, services: AppServices) -> None:
    services.session = KaraokeSession({}, None)
    window = MainWindow(services)
    qtbot.addWidget(window)
    screens = install_singing(window)
    assert screens is not None
    assert screens.switch is window.now_bar.score_box
    assert screens.lanes[0].parent() is window.lyric_view
    state = screens.controller.state
    # Whatever this machine has: a usable switch, or a greyed one that says why.
    assert window.now_bar.score_box.isEnabled() == state.available
    if not state.available:
        assert state.reason and state.reason in window.now_bar.score_box.toolTip()
    screens.controller.close()


def test_no_session_no_scoring(qtbot: Any, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert install_singing(window) is None
    assert not window.now_bar.score_box.isEnabled()
