"""Suite-wide guards: no test touches the user's real config, data, logs or keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.require_vlc import pytest_runtest_makereport  # noqa: F401  (the hook)


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
