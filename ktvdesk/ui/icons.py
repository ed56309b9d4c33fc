"""The app's icons: small SVGs drawn for ktvdesk, shipped in resources/icons."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from ktvdesk import paths


@cache
def icon(name: str) -> QIcon:
    """`resources/icons/<name>.svg` (an empty icon when missing: never a crash)."""
    path = paths.resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
