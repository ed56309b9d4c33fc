"""Fixtures for the karaoke-format integration tests: real libVLC, a library of every kind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ktvdesk.catalog.local.provider import LocalLibraryProvider
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


@pytest.fixture
async def scanned(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[LocalLibraryProvider]:
    monkeypatch.setenv("KTVDESK_CACHE_DIR", str(tmp_path / "cache"))
    provider = LocalLibraryProvider(tmp_path / "lib.db", roots=[library.root])
    await provider.scan()
    yield provider
    await provider.aclose()
