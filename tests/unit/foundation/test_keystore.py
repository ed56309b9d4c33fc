from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from keyring.backends.null import Keyring as NullKeyring

from ktvdesk import keystore
from ktvdesk.logs import redact


def test_environment_variable_is_used_and_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KTVDESK_ZEGO_SERVER_SECRET", "zego-secret-0123456789")
    assert keystore.get_secret("zego.server_secret") == "zego-secret-0123456789"
    assert "zego-secret-0123456789" not in redact("signing with zego-secret-0123456789")


def test_missing_secret_is_none_with_null_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTVDESK_YINSUDA_SECRET_KEY", raising=False)
    assert keystore.get_secret("yinsuda.secret_key") is None


@pytest.mark.parametrize("backend", [NullKeyring, FailKeyring])
def test_set_secret_without_keyring_says_which_variable_to_use(backend: type[KeyringBackend]) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend())
    try:
        with pytest.raises(keystore.KeyringUnavailableError, match="KTVDESK_YINSUDA_SECRET_ID"):
            keystore.set_secret("yinsuda.secret_id", "AKIDvalue")
    finally:
        keyring.set_keyring(previous)


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def test_keyring_round_trip_and_env_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        monkeypatch.delenv("KTVDESK_YINSUDA_SECRET_ID", raising=False)
        keystore.set_secret("yinsuda.secret_id", "AKIDstored")
        assert keystore.get_secret("yinsuda.secret_id") == "AKIDstored"
        monkeypatch.setenv("KTVDESK_YINSUDA_SECRET_ID", "AKIDfromenv")
        assert keystore.get_secret("yinsuda.secret_id") == "AKIDfromenv"
    finally:
        keyring.set_keyring(previous)


def test_unknown_secret_name_is_refused() -> None:
    with pytest.raises(KeyError):
        keystore.set_secret("nonsense", "x")
