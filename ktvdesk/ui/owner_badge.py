"""The copyright owner's badge next to every ZEGO `Channel 0` song, wherever a song shows.

ZEGO's copyright answer says: a song whose `Channel` is 0 must show the copyright owner's
logo in the UI. The logo is the image the venue configured (`[zego] owner_logo`); only
without one is our neutral placeholder drawn. Desktop lists, kiosk lists and the stage's
next-song banner all ask here, so the three cannot disagree.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from ktvdesk.catalog.zego.badge import owner_badge_path
from ktvdesk.models import Song
from ktvdesk.ui.i18n import tr

OBJECT_NAME = "ownerBadge"

_configured: Path | None = None
_pixmaps: dict[tuple[str, int], QPixmap] = {}


def configure_owner_badge(logo: Path | None) -> None:
    """The venue's logo file (`[zego] owner_logo`); None or a missing file: the placeholder."""
    global _configured
    _configured = logo
    _pixmaps.clear()


def badge_path() -> Path:
    return owner_badge_path(_configured)


def badge_pixmap(size_px: int) -> QPixmap:
    """The badge scaled to fit `size_px` square, kept for the next row that needs it."""
    path = badge_path()
    key = (str(path), size_px)
    cached = _pixmaps.get(key)
    if cached is None:
        source = QPixmap(str(path))
        cached = (
            source.scaled(
                size_px,
                size_px,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            if not source.isNull()
            else QPixmap()
        )
        _pixmaps[key] = cached
    return cached


def badge_icon() -> QIcon:
    return QIcon(str(badge_path()))


def badge_tooltip() -> str:
    return tr("Licensed by the copyright owner (ZEGO channel 0)")


def badge_label(song: Song, size_px: int, parent: QWidget | None = None) -> QLabel | None:
    """A label showing the badge for a song that needs it; None for every other song."""
    if not song.needs_owner_badge:
        return None
    label = QLabel(parent)
    label.setObjectName(OBJECT_NAME)
    label.setPixmap(badge_pixmap(size_px))
    label.setFixedSize(size_px, size_px)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setToolTip(badge_tooltip())
    return label


BANNER_BADGE_PX = 40


def with_badge(song: Song, text: str) -> str:
    """`text` for a rich-text label, led by the badge when the song needs it (banners).

    The banner's text is rich text then: `text` is escaped so a title cannot inject markup.
    """
    if not song.needs_owner_badge or not text:
        return text
    from html import escape

    source = badge_path().as_uri()
    return (
        f'<img src="{source}" width="{BANNER_BADGE_PX}" height="{BANNER_BADGE_PX}" '
        f'style="vertical-align: middle"> {escape(text)}'
    )
