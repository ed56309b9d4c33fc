"""What each cloud catalog still needs before it can be enabled, all of it at once.

The start-up check stops at the first missing setting (and does not import a provider
whose identity is missing); the catalog switcher's tooltip lists everything, so a user
fixes the configuration in one go. Secrets are looked up where the app reads them
(environment, kiosk.env, keyring), never printed.
"""

from __future__ import annotations

import os

from ktvdesk.config import Settings
from ktvdesk.keystore import SECRETS, find_secret

# cloud → ((config key, what it is), …) and its secrets
_REQUIRED: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "yinsuda": (
        (("app_name", "app name"), ("user_id", "user id")),
        ("yinsuda.secret_id", "yinsuda.secret_key"),
    ),
    "xiaowei": (
        (("endpoint", "endpoint"), ("device_id", "device id"), ("client_ip", "client IP")),
        (),
    ),
    "zego": (
        (("app_id", "app id"), ("resource_endpoint", "resource endpoint")),
        ("zego.server_secret",),
    ),
}


def missing_settings(name: str, settings: Settings, *, use_keyring: bool = True) -> list[str]:
    """Human-readable items ("[zego] app_id (app id)", "secret KTVDESK_ZEGO_SERVER_SECRET")."""
    keys, secrets = _REQUIRED.get(name, ((), ()))
    section = getattr(settings, name, None)
    missing = []
    for key, label in keys:
        env = f"KTVDESK_{name.upper()}_{key.upper()}"
        if getattr(section, key, None) in (None, "") and not os.environ.get(env):
            missing.append(f"[{name}] {key} ({label})")
    for secret in secrets:
        if find_secret(secret, use_keyring=use_keyring)[0] is None:
            missing.append(f"{secret.split('.', 1)[1]} (keyring or {SECRETS[secret]})")
    return missing
