"""Where the bundled demo library lives, so a fresh install has songs to sing offline."""

from __future__ import annotations

import os
from pathlib import Path

from ktvdesk import paths

DEMO_DIR_ENV = "KTVDESK_DEMO_DIR"


def bundled_demo_dir() -> Path | None:
    """`$KTVDESK_DEMO_DIR`, else the bundled `resources/demo`; None when absent."""
    configured = os.environ.get(DEMO_DIR_ENV)
    candidates = [Path(configured)] if configured else []
    candidates.append(paths.demo_library_dir())
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None
