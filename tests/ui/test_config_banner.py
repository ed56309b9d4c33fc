"""Issue 16 item 6 in the window: a config file with one wrong key keeps its valid keys,
the banner names exactly the key that fell back, and the user can close the banner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ktvdesk.config import load_settings
from ktvdesk.services import AppServices, VlcStatus
from ktvdesk.ui.main_window import MainWindow


def test_the_banner_says_which_key_fell_back_and_can_be_closed(qtbot: QtBot, tmp_path: Path) -> None:
    music = tmp_path / "music"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[library]\nfolders = ["{music}"]\n[playback]\nvolume = "loud"\n', encoding="utf-8")
    loaded = load_settings(cfg, environ={})
    assert loaded.settings.library.folders == [music]  # the valid key survived
    services = AppServices(
        settings=loaded.settings,
        language="en",
        vlc=VlcStatus(True, "ok"),
        config_problems=list(loaded.problems),
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    banner = window.banner
    assert banner.isVisible()
    text = banner.text()
    assert "playback.volume" in text and "using the default (80) for playback.volume only" in text
    assert "library" not in text
    with qtbot.waitSignal(banner.closed, timeout=2000):
        qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
