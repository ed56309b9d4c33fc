"""ZEGO settings: the `[zego]` config section plus the ServerSecret (keystore only)."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ConfigDict, Field, SecretStr

from ktvdesk.catalog.provider_settings import load_provider_settings
from ktvdesk.config import ZegoConfig
from ktvdesk.errors import UserMessage
from ktvdesk.logs import register_secret

_MISSING = UserMessage(
    "未配置 ZEGO 在线KTV：需要 AppId、ServerSecret 和 UserId。",
    "ZEGO online KTV is not configured: AppId, ServerSecret and UserId are needed.",
)


class ZegoSettings(ZegoConfig):
    """The `[zego]` section plus the ServerSecret, with what a call cannot do without."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    app_id: int = Field(gt=0)  # type: ignore[assignment]  # required here, optional in the config file
    server_secret: SecretStr
    user_id: str = Field(min_length=1)

    @property
    def resource_base(self) -> str:
        if not self.resource_endpoint:
            return ""
        scheme, _, rest = self.resource_endpoint.partition("://")
        host, slash, path = rest.partition("/")
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        return f"{scheme}://{host}" + (f"/{parent}" if slash and parent else "")


def load_zego_settings(
    env: Mapping[str, str] | None = None,
    *,
    section: ZegoConfig | None = None,
    endpoint: str | None = None,
    use_keyring: bool = True,
    **overrides: object,
) -> ZegoSettings:
    settings = load_provider_settings(
        ZegoSettings,
        "zego",
        secrets={"server_secret": "zego.server_secret"},
        missing=_MISSING,
        env=env,
        section=section,
        endpoint=endpoint,
        use_keyring=use_keyring,
        overrides=overrides,
    )
    register_secret(settings.server_secret.get_secret_value())
    return settings
