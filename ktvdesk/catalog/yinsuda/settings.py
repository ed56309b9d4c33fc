"""Yinsuda settings: the `[yinsuda]` config section plus the SecretId/SecretKey."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ConfigDict, Field, SecretStr

from ktvdesk.catalog.provider_settings import load_provider_settings
from ktvdesk.config import YinsudaConfig
from ktvdesk.errors import UserMessage
from ktvdesk.logs import register_secret

_MISSING = UserMessage(
    "未配置音速达云曲库账号（SecretId、SecretKey、AppName、UserId）。",
    "The Yinsuda cloud catalog is not configured (SecretId, SecretKey, AppName, UserId).",
)


class YinsudaSettings(YinsudaConfig):
    """The `[yinsuda]` section plus the two secrets, with what a call cannot do without."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    secret_id: SecretStr
    secret_key: SecretStr
    # Temporary credentials (STS) come with a token, sent as `X-TC-Token` on every call.
    token: SecretStr | None = None
    app_name: str = Field(min_length=1)
    user_id: str = Field(min_length=1)


def load_yinsuda_settings(
    env: Mapping[str, str] | None = None,
    *,
    section: YinsudaConfig | None = None,
    endpoint: str | None = None,
    use_keyring: bool = True,
    **overrides: object,
) -> YinsudaSettings:
    settings = load_provider_settings(
        YinsudaSettings,
        "yinsuda",
        secrets={
            "secret_id": "yinsuda.secret_id",
            "secret_key": "yinsuda.secret_key",
            "token": "yinsuda.token",
        },
        missing=_MISSING,
        env=env,
        section=section,
        endpoint=endpoint,
        use_keyring=use_keyring,
        overrides=overrides,
    )
    register_secret(settings.secret_key.get_secret_value())
    if settings.token is not None:
        register_secret(settings.token.get_secret_value())
    return settings
