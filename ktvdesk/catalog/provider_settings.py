"""One way for every cloud provider to get its settings: config section + keystore secrets.

Non-secret values come from the app configuration (`config.toml` and `KTVDESK_<PROVIDER>_*`
through `ktvdesk.config`), secrets only from `ktvdesk.keystore` (environment or keyring).
Each provider's settings model subclasses its config section and adds the secrets and the
fields it cannot work without, so names, defaults and validation live in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ktvdesk.config import load_settings
from ktvdesk.errors import ConfigError, UserMessage
from ktvdesk.keystore import get_secret

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


def load_provider_settings(
    model: type[M],
    name: str,
    *,
    secrets: Mapping[str, str],
    missing: UserMessage,
    env: Mapping[str, str] | None = None,
    section: BaseModel | None = None,
    endpoint: str | None = None,
    use_keyring: bool = True,
    overrides: Mapping[str, object] | None = None,
) -> M:
    """Build `model` for provider `name` (its config section is `Settings.<name>`).

    `secrets` maps model fields to keystore names. `section` skips reading the config
    (the app passes the one it loaded); `endpoint` (`--endpoint`) and `overrides` win.
    """
    if section is None:
        loaded = load_settings(environ=env)
        ours = [p for p in loaded.problems if name in p.lower()]
        if ours:  # a half-read section would fail later with a vaguer message
            raise ConfigError("; ".join(ours), user_message=missing)
        section = getattr(loaded.settings, name)
    assert section is not None
    values: dict[str, object] = section.model_dump(exclude_none=True)
    for field, secret_name in secrets.items():
        secret = get_secret(secret_name, environ=env, use_keyring=use_keyring)
        if secret:
            values[field] = secret
    if endpoint:
        values["endpoint"] = endpoint
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        fields = ", ".join(str(err["loc"][0]) for err in exc.errors() if err["loc"])
        raise ConfigError(f"{name} settings invalid or missing: {fields}", user_message=missing) from None
