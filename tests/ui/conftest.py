from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ktvdesk.config import Settings
from ktvdesk.services import AppServices, VlcStatus


def gui_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KTVDESK_CONFIG_DIR=str(tmp_path / "config"),
        KTVDESK_DATA_DIR=str(tmp_path / "data"),
        KTVDESK_LOG_DIR=str(tmp_path / "log"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    env.update(extra)
    return env


def start_gui(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ktvdesk", *args],
        env=gui_env(tmp_path, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def services() -> Iterator[AppServices]:
    yield AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "libVLC 3.0"))
