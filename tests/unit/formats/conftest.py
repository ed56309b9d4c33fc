"""Fixtures for the karaoke-format tests (issue 18). Every fixture text made in these
tests is written for them (no copyrighted lyrics); corpus helpers live in `wild.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.unit.formats.wild import load_expected, wild_root


@pytest.fixture(scope="session")
def wild() -> Path:
    return wild_root()


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return load_expected()
