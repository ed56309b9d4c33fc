"""Song table details that need no playback: badges, the ZEGO owner badge, lyric
calibration remembered per device."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ktvdesk.config import Settings
from ktvdesk.models import Rights, Song
from ktvdesk.services import AppServices, VlcStatus
from ktvdesk.session import KaraokeSession
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.song_list import SongTableModel


def test_badges_and_copyright_owner_badge(qtbot: QtBot) -> None:
    model = SongTableModel()
    plain = Song(
        provider="zego", id="1", title="A", rights=Rights(can_play=True, can_sing=False), has_lyrics=True
    )
    owned = Song(provider="zego", id="2", title="B", copyright_channel=0, has_pitch=True)
    model.reset([plain, owned])
    assert model.index(0, 4).data() == "可播 · Lyrics"
    assert model.index(0, 4).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(1, 4).data() == "可播 · 可唱 · Pitch"
    assert not model.index(1, 4).data(Qt.ItemDataRole.DecorationRole).isNull()
    assert "copyright owner" in model.index(1, 4).data(Qt.ItemDataRole.ToolTipRole)


def test_lyric_calibration_is_remembered_on_this_device(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "ok"))
    services.session = KaraokeSession({}, None)  # calibration needs no player
    services.device_path = tmp_path / "device.json"
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.now_bar.offset_up.click()
    window.now_bar.offset_up.click()
    window.now_bar.offset_down.click()
    assert services.session.lyric_offset_ms == 100
    assert window.now_bar.offset_label.text() == "Lyrics +100 ms"
    assert json.loads(services.device_path.read_text())["lyric_offset_ms"] == 100
