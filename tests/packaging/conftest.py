"""Shared pieces of the packaging tests: where things are, and a clean child environment."""

from __future__ import annotations

import os
import struct
from pathlib import Path

# `.venv/bin/pytest tests/packaging` without `make test`: Qt must still render offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "io.github.ktvdesk"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user starting an installed ktvdesk: nothing points at the
    source tree, Qt renders offscreen, and the app's folders are private to the test."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KTVDESK_CONFIG_DIR=str(home / "config"),
        KTVDESK_DATA_DIR=str(home / "data"),
        KTVDESK_LOG_DIR=str(home / "log"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    env.update(extra)
    return env


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
