"""`kiosk.env` in the config dir: the keyring of a terminal without one (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktvdesk.env_file import env_file_path, read_env_file, set_env_value
from ktvdesk.keystore import find_secret, get_secret


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KTVDESK_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv("KTVDESK_ZEGO_SERVER_SECRET", raising=False)
    return tmp_path / "cfg"


def test_the_file_lives_in_the_configured_dir_and_keeps_other_lines(config_dir: Path) -> None:
    path = env_file_path()
    assert path == config_dir / "kiosk.env"
    path.parent.mkdir()
    path.write_text("# venue 3\nA=1\nB=\"two words\"\n\nC='3'\n", encoding="utf-8")
    set_env_value("B", "2")
    set_env_value("A", None)
    assert path.read_text(encoding="utf-8").splitlines() == ["# venue 3", "", "C='3'", "B=2"]
    assert read_env_file() == {"C": "3", "B": "2"}
    assert path.stat().st_mode & 0o777 == 0o600


def test_environment_then_kiosk_env_then_keyring(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_secret("zego.server_secret") == (None, "none")
    set_env_value("KTVDESK_ZEGO_SERVER_SECRET", "from-file-secret")
    assert find_secret("zego.server_secret") == ("from-file-secret", "kiosk.env")
    monkeypatch.setenv("KTVDESK_ZEGO_SERVER_SECRET", "from-env-secret")
    assert find_secret("zego.server_secret") == ("from-env-secret", "environment")
    # An explicit mapping is exactly what the caller wants read: no file.
    assert get_secret("zego.server_secret", environ={}) is None


def test_a_missing_or_unreadable_file_is_empty(config_dir: Path) -> None:
    assert read_env_file() == {}
    config_dir.mkdir()
    (config_dir / "kiosk.env").write_bytes(b"\xff\xfe bad")
    assert read_env_file() == {}
