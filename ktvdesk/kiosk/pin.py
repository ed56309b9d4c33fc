"""The admin PIN, stored only as a salted scrypt hash with its parameters in one string:

    scrypt:16384:8:1:<salt, base64>:<hash, base64>

scrypt (memory-hard) because a 4–8 digit PIN has a tiny key space: the hash has to make
each guess expensive for whoever copies the keyring entry or the environment file.
Colons, not `$`, separate the fields: the string is pasted into shell and systemd
environment files, where `$1…` would be expanded. Parameters travel with the hash so they can be raised later without locking anyone out
(`needs_rehash` says when a stored hash is older than the current parameters).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from ktvdesk.errors import ConfigError, UserMessage
from ktvdesk.keystore import get_secret, set_secret

SECRET_NAME = "kiosk.pin_hash"
SCHEME = "scrypt"
# ~16 MiB and ~50 ms per check here: fine for a PIN pad, slow for a brute-force run.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
_MAXMEM = 64 * 1024 * 1024

_BAD_PIN = UserMessage(
    f"管理密码须为 {PIN_MIN_DIGITS}–{PIN_MAX_DIGITS} 位数字。",
    f"The admin PIN must be {PIN_MIN_DIGITS}–{PIN_MAX_DIGITS} digits.",
)
_BAD_HASH = UserMessage(
    "保存的管理密码无法识别，请重新设置（ktvdesk kiosk set-pin）。",
    "The stored admin PIN is not readable; set it again (ktvdesk kiosk set-pin).",
)


class PinFormatError(ConfigError):
    """A PIN that is not 4–12 digits, or a stored hash that is not ours."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def check_pin_format(pin: str) -> str:
    """Digits only, because the kiosk's PIN pad has digits only."""
    if not (pin.isascii() and pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS):
        raise PinFormatError("PIN is not 4-12 ASCII digits", user_message=_BAD_PIN, code="bad_pin")
    return pin


def _derive(pin: str, salt: bytes, params: tuple[int, int, int], length: int) -> bytes:
    n, r, p = params
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=length)


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    check_pin_format(pin)
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    digest = _derive(pin, salt, (SCRYPT_N, SCRYPT_R, SCRYPT_P), HASH_BYTES)
    return ":".join((SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)))


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time comparison; a malformed PIN is simply wrong, a malformed hash raises."""
    parsed = _parse(stored)
    try:
        check_pin_format(pin)
    except PinFormatError:
        return False
    candidate = _derive(pin, parsed.salt, (parsed.n, parsed.r, parsed.p), len(parsed.digest))
    return hmac.compare_digest(candidate, parsed.digest)


def needs_rehash(stored: str) -> bool:
    parsed = _parse(stored)
    return (parsed.n, parsed.r, parsed.p) < (SCRYPT_N, SCRYPT_R, SCRYPT_P)


def is_pin_hash(value: str) -> bool:
    try:
        _parse(value)
    except PinFormatError:
        return False
    return True


def _parse(stored: str) -> _Parsed:
    parts = stored.strip().split(":")
    try:
        if len(parts) != 6 or parts[0] != SCHEME:
            raise ValueError("not an scrypt PIN hash")
        n, r, p = (int(part) for part in parts[1:4])
        if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or n * r * 128 > _MAXMEM // 2:
            raise ValueError("scrypt parameters out of range")
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
        if len(salt) < 8 or len(digest) < 16:
            raise ValueError("salt or hash too short")
    except ValueError as exc:
        raise PinFormatError(
            f"stored PIN hash unusable: {exc}", user_message=_BAD_HASH, code="bad_hash"
        ) from None
    return _Parsed(n, r, p, salt, digest)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def load_pin_hash(*, environ: Mapping[str, str] | None = None, use_keyring: bool = True) -> str | None:
    """The stored hash (environment first, then the keyring), or None when no PIN is set."""
    value = get_secret(SECRET_NAME, environ=environ, use_keyring=use_keyring)
    return value.strip() if value else None


def store_pin_hash(stored: str) -> None:
    """Into the keyring; raises `KeyringUnavailableError` where there is none."""
    _parse(stored)
    set_secret(SECRET_NAME, stored)
