"""The About dialog (issue 12) is reachable from the main window: F1 and the Settings page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ktvdesk import __version__
from ktvdesk.services import AppServices
from ktvdesk.ui.about import AboutDialog
from ktvdesk.ui.main_window import MainWindow


def _open_dialog(window: MainWindow) -> AboutDialog | None:
    dialog = window.findChild(AboutDialog, "aboutDialog")
    return dialog if dialog is not None and dialog.isVisible() else None


def test_f1_opens_about_with_the_version(qtbot: QtBot, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert _open_dialog(window) is None
    shortcut = window.shortcuts["F1"]
    assert shortcut.key() == QKeySequence(Qt.Key.Key_F1)
    # As the other window tests do: a synthetic F1 to the (never active) offscreen window
    # does not reach the shortcut map, so the bound shortcut is triggered directly.
    shortcut.activated.emit()
    dialog = _open_dialog(window)
    assert dialog is not None
    title = dialog.findChild(QLabel, "aboutTitle")
    assert title is not None and f"ktvdesk {__version__}" in title.text()
    playback = dialog.findChild(QLabel, "aboutPlayback")
    assert playback is not None and "libVLC 3.0" in playback.text()


def test_settings_page_button_opens_about_once(qtbot: QtBot, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(window.pages.indexOf(window.settings_page))
    assert window.settings_page.about_button.isVisible()
    window.settings_page.about_button.click()
    first = _open_dialog(window)
    assert first is not None
    first.close()
    window.settings_page.about_button.click()
    assert _open_dialog(window) is first  # raised again, not stacked
    assert len(window.findChildren(AboutDialog)) == 1
