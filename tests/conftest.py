"""Suite-wide guards: no test touches the user's real config, data, logs or keyring; and the
one PostgreSQL the venue tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.require_vlc import pytest_runtest_makereport  # noqa: F401  (the hook)
from tests.support.user_data import user_data  # noqa: F401  (a fixture for every test)
from tests.venue_servers import Postgres, postgres


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    for name in ("CONFIG", "DATA", "LOG"):
        target = home / name.lower()
        monkeypatch.setenv(f"KTVDESK_{name}_DIR", str(target))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    yield


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pg() -> Iterator[Postgres]:
    """One real PostgreSQL for every venue test (the integration tests and the room
    terminals'): initdb and a start cost 1.5 s each time. Each test gets a fresh schema
    (`db`, tests/integration/venue/conftest.py); a test that restarts it leaves it up."""
    with postgres() as server:
        yield server
