from __future__ import annotations

import base64

import pytest

from ktvdesk.kiosk import pin as pin_mod
from ktvdesk.kiosk.pin import (
    PinFormatError,
    hash_pin,
    is_pin_hash,
    load_pin_hash,
    needs_rehash,
    verify_pin,
)


def test_hash_carries_scheme_params_salt_and_verifies() -> None:
    stored = hash_pin("4321")
    scheme, n, r, p, salt, digest = stored.split(":")
    assert len(base64.b64decode(salt)) == pin_mod.SALT_BYTES
    assert len(base64.b64decode(digest)) == pin_mod.HASH_BYTES
    assert (scheme, int(n), int(r), int(p)) == (
        "scrypt",
        pin_mod.SCRYPT_N,
        pin_mod.SCRYPT_R,
        pin_mod.SCRYPT_P,
    )
    assert "4321" not in stored
    assert "$" not in stored  # safe to paste into shell / systemd environment files
    assert verify_pin("4321", stored)
    assert not verify_pin("4322", stored)
    assert not verify_pin("43210", stored)


def test_same_pin_gets_a_fresh_salt_each_time() -> None:
    first, second = hash_pin("0000"), hash_pin("0000")
    assert first != second
    assert verify_pin("0000", first) and verify_pin("0000", second)


def test_given_salt_is_deterministic() -> None:
    assert hash_pin("123456", salt=b"s" * 16) == hash_pin("123456", salt=b"s" * 16)


@pytest.mark.parametrize("bad", ["", "123", "abcd", "12 34", "1234567890123", "１２３４", "12a4"])
def test_pin_format_refused(bad: str) -> None:
    with pytest.raises(PinFormatError) as info:
        hash_pin(bad)
    assert "4–12" in info.value.message("en") and info.value.message("zh")


def test_malformed_pin_against_good_hash_is_just_wrong() -> None:
    assert not verify_pin("abc", hash_pin("1234"))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain-text-pin",
        "pbkdf2:1:1:1:AAAA:BBBB",
        "scrypt:1000:8:1:c2FsdHNhbHQ=:ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # n not a power of two
        "scrypt:16384:8:1:!!!:ZGlnZXN0ZGlnZXN0ZGlnZXN0",
        "scrypt:16384:8:1:c2FsdA==:ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # salt too short
    ],
)
def test_unreadable_stored_hash_raises_clear_error(stored: str) -> None:
    assert not is_pin_hash(stored)
    with pytest.raises(PinFormatError) as info:
        verify_pin("1234", stored)
    assert "set-pin" in info.value.message("en")


def test_older_parameters_need_rehash() -> None:
    weak = hash_pin("1234").split(":")
    weak[1] = "1024"
    assert needs_rehash(":".join(weak))
    assert not needs_rehash(hash_pin("1234"))


def test_load_from_environment_wins() -> None:
    stored = hash_pin("2468")
    assert load_pin_hash(environ={"KTVDESK_KIOSK_PIN_HASH": stored + "\n"}, use_keyring=False) == stored
    assert load_pin_hash(environ={}, use_keyring=False) is None
