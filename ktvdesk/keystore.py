"""Secrets (cloud keys, the kiosk admin PIN hash): the OS keyring, or the environment
(the process's own, then `kiosk.env` in the config directory).

An environment variable wins over the keyring so a kiosk can be provisioned without a
desktop session (no keyring daemon) and a developer can override a stored key for one
run. Every value read is registered with the log redactor before it is returned.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from ktvdesk import APP_NAME
from ktvdesk.env_file import FILE_NAME, read_env_file
from ktvdesk.logs import register_secret

log = logging.getLogger(__name__)

# One place for the names: keyring entry → environment variable.
SECRETS: dict[str, str] = {
    "yinsuda.secret_id": "KTVDESK_YINSUDA_SECRET_ID",
    "yinsuda.secret_key": "KTVDESK_YINSUDA_SECRET_KEY",
    "yinsuda.token": "KTVDESK_YINSUDA_TOKEN",  # temporary credentials (STS): sent as X-TC-Token
    "zego.server_secret": "KTVDESK_ZEGO_SERVER_SECRET",
    "xiaowei.app_key": "KTVDESK_XIAOWEI_APP_KEY",
    "kiosk.pin_hash": "KTVDESK_KIOSK_PIN_HASH",
    "venue.room_key": "KTVDESK_VENUE_ROOM_KEY",  # a venue room terminal's own key
}


def get_secret(
    name: str, *, environ: Mapping[str, str] | None = None, use_keyring: bool = True
) -> str | None:
    return find_secret(name, environ=environ, use_keyring=use_keyring)[0]


def find_secret(
    name: str, *, environ: Mapping[str, str] | None = None, use_keyring: bool = True
) -> tuple[str | None, str]:
    """The value and where it came from: "environment", "kiosk.env", "keyring" or "none".

    `kiosk.env` (see `ktvdesk.env_file`) extends the process's own environment only: a
    caller passing `environ` asked for exactly that mapping.
    """
    variable = SECRETS[name]
    value, source = (os.environ if environ is None else environ).get(variable), "environment"
    if not value and environ is None:
        value, source = read_env_file().get(variable), FILE_NAME
    if not value and use_keyring:
        value, source = _keyring_get(name), "keyring"
    register_secret(value)
    return (value, source) if value else (None, "none")


def set_secret(name: str, value: str) -> None:
    """Store in the keyring; raises `KeyringUnavailable` where there is none (then use the env var)."""
    if name not in SECRETS:
        raise KeyError(name)
    import keyring
    import keyring.errors

    register_secret(value)
    try:
        keyring.set_password(APP_NAME, name, value)
        stored = keyring.get_password(APP_NAME, name)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailableError(f"no usable keyring: set {SECRETS[name]} instead ({exc})") from exc
    if stored != value:  # some backends (null, read-only) accept writes and drop them
        raise KeyringUnavailableError(f"the keyring did not keep the value: set {SECRETS[name]} instead")


class KeyringUnavailableError(RuntimeError):
    pass


def _keyring_get(name: str) -> str | None:
    try:
        import keyring
        import keyring.errors

        return keyring.get_password(APP_NAME, name)
    except Exception as exc:  # any backend failure means "not stored here"
        log.debug("keyring lookup of %s failed: %s", name, type(exc).__name__)
        return None
