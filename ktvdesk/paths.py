"""Where things live: platform dirs for user files, the package's bundled resources."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ktvdesk import APP_NAME


def _override(env: str) -> Path | None:
    value = os.environ.get(env)
    return Path(value) if value else None


def config_dir() -> Path:
    return _override("KTVDESK_CONFIG_DIR") or Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return _override("KTVDESK_DATA_DIR") or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Files the app can make again (MP3+G pairs unpacked from their zips)."""
    return _override("KTVDESK_CACHE_DIR") or Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return _override("KTVDESK_LOG_DIR") or Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def resources_dir() -> Path:
    """Bundled resources: inside the installed package, or the source tree's `resources/`.

    Wheels ship them as `ktvdesk/resources` (see pyproject); a source checkout keeps them
    at the top level, where the README and the demo generator expect them.
    """
    packaged = Path(__file__).resolve().parent / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def demo_library_dir() -> Path:
    return resources_dir() / "demo"
