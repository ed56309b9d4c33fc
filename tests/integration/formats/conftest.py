"""Fixtures for the karaoke-format integration tests: real libVLC, a library of every kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktvdesk.playback.vlc_backend import probe_vlc
from tests.integration.formats.library_tree import Library, make_library
from tests.ui.conftest import qloop  # noqa: F401 - the qasync loop of the full-path Qt test


@pytest.fixture(scope="session", autouse=True)
def libvlc() -> None:
    available, reason = probe_vlc()
    if not available:
        pytest.fail(f"libVLC is required by these tests (make installs it): {reason}")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return make_library(tmp_path)
