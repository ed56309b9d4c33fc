"""ZEGO `Channel 0` songs show the configured owner logo: desktop list, kiosk list, stage banner.

Pixel checks on offscreen renders: the configured logo is a solid colour no theme uses, so
its pixels in the badge area prove that the venue's logo (not the placeholder) is drawn,
and only next to the songs that need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QTableView, QWidget
from pytestqt.qtbot import QtBot

from ktvdesk.catalog.zego.badge import PLACEHOLDER
from ktvdesk.models import Song
from ktvdesk.ui import owner_badge
from ktvdesk.ui.kiosk.pages import SongList
from ktvdesk.ui.song_list import SongTableModel

LOGO_RGB = (255, 0, 255)  # magenta: in no theme, so every such pixel is the logo's

OWNED = Song(provider="zego", id="1", title="Owned", singers=("A",), copyright_channel=0)
OTHER = Song(provider="zego", id="2", title="Other", singers=("B",), copyright_channel=3)


@pytest.fixture
def logo(tmp_path: Path) -> Iterator[Path]:
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor(*LOGO_RGB))
    path = tmp_path / "owner-logo.png"
    assert image.save(str(path))
    owner_badge.configure_owner_badge(path)
    yield path
    owner_badge.configure_owner_badge(None)


def logo_pixels(widget: QWidget, area: QRect | None = None) -> int:
    image = widget.grab(area or widget.rect()).toImage()
    logo = QColor(*LOGO_RGB).rgb()
    found = 0
    for y in range(image.height()):
        for x in range(image.width()):
            found += image.pixel(x, y) == logo
    return found


def test_the_placeholder_only_when_no_logo_is_configured(tmp_path: Path) -> None:
    owner_badge.configure_owner_badge(None)
    assert owner_badge.badge_path() == PLACEHOLDER
    owner_badge.configure_owner_badge(tmp_path / "missing.png")
    assert owner_badge.badge_path() == PLACEHOLDER
    owner_badge.configure_owner_badge(None)


def test_desktop_list_draws_the_configured_logo_in_the_badge_column(qtbot: QtBot, logo: Path) -> None:
    model = SongTableModel()
    model.reset([OWNED, OTHER])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 300)
    view.setColumnWidth(4, 220)
    view.setIconSize(view.iconSize().expandedTo(view.iconSize().__class__(24, 24)))
    view.show()
    owned_area = view.visualRect(model.index(0, 4)).translated(view.viewport().pos())
    other_area = view.visualRect(model.index(1, 4)).translated(view.viewport().pos())
    assert logo_pixels(view, owned_area) > 50
    assert logo_pixels(view, other_area) == 0
    assert logo_pixels(view) == logo_pixels(view, owned_area)  # nowhere else


def test_kiosk_list_rows_show_the_logo_next_to_channel_0_songs(qtbot: QtBot, logo: Path) -> None:
    songs = SongList(lambda song, first: None)
    qtbot.addWidget(songs)
    songs.resize(900, 600)
    songs.set_songs([OWNED, OTHER])
    songs.show()
    badges = songs.findChildren(QLabel, owner_badge.OBJECT_NAME)
    assert len(badges) == 1
    (badge,) = badges
    assert logo_pixels(badge) > 40 * 40  # the 56 px badge is the logo, scaled
    rows = [w for w in songs.findChildren(QWidget, "kioskSongRow")]
    assert [row.findChild(QLabel, owner_badge.OBJECT_NAME) is not None for row in rows] == [True, False]


def test_stage_banner_text_leads_with_the_logo(qtbot: QtBot, logo: Path) -> None:
    text = owner_badge.with_badge(OWNED, "Next song: Owned <b>— A")
    assert logo.as_uri() in text and "&lt;b&gt;" in text  # titles cannot inject markup
    assert owner_badge.with_badge(OTHER, "Next song: Other") == "Next song: Other"
    banner = QLabel(text)
    qtbot.addWidget(banner)
    banner.setTextFormat(Qt.TextFormat.RichText)
    banner.resize(600, 60)
    banner.show()
    assert logo_pixels(banner) >= owner_badge.BANNER_BADGE_PX * owner_badge.BANNER_BADGE_PX * 0.9
