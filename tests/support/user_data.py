"""A real user database behind its writer thread, for tests of code that reads and writes
the user's data off the GUI thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ktvdesk.storage import UserDatabase
from ktvdesk.storage.service import UserDataService


@pytest.fixture
async def user_data(tmp_path: Path) -> AsyncIterator[UserDataService]:
    service = UserDataService(UserDatabase(tmp_path / "user.sqlite3"))
    try:
        yield service
    finally:
        await service.aclose()
