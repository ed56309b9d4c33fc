"""The look: a QSS theme from resources/themes, with a CJK-capable font first in line."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ktvdesk import paths

log = logging.getLogger(__name__)

# Noto/Source Han first: they cover CJK and Latin with one design.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
)


def ui_font_family() -> str | None:
    available = set(QFontDatabase.families())
    return next((family for family in CJK_FAMILIES if family in available), None)


def apply_theme(app: QApplication, theme: str, *, style_sheet: bool = True) -> None:
    """The font, and the style sheet unless `style_sheet` is False: widgets built under an
    application style sheet are polished again at every reparenting (several times slower to
    build), so the app builds its window first and then calls `apply_style_sheet`."""
    family = ui_font_family()
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
        app.setFont(font)
    if style_sheet:
        apply_style_sheet(app, theme)


def apply_style_sheet(app: QApplication, theme: str) -> None:
    qss = paths.resources_dir() / "themes" / f"{theme}.qss"
    try:
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    except OSError as exc:
        log.warning("theme %s not loaded: %s", qss, exc)
