"""The badge shown next to `Channel == 0` songs: the configured logo, else our placeholder.

The real logo must come from the copyright owner (ZEGO distributes it to licensees); the
placeholder shipped in `resources/icons/` is a neutral drawing of our own.
"""

from __future__ import annotations

from pathlib import Path

from ktvdesk import paths

PLACEHOLDER = paths.resources_dir() / "icons" / "copyright-owner-badge.svg"


def owner_badge_path(configured: Path | None) -> Path:
    if configured is not None and configured.is_file():
        return configured
    return PLACEHOLDER
