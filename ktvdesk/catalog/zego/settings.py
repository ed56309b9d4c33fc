"""ZEGO settings: the `[zego]` config section plus the ServerSecret (keystore only)."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ConfigDict, Field, SecretStr

from ktvdesk.catalog.provider_settings import load_provider_settings
from ktvdesk.config import ZegoConfig
from ktvdesk.errors import ConfigError, UserMessage
from ktvdesk.logs import register_secret

_MISSING = UserMessage(
    "未配置 ZEGO 在线KTV：需要 AppId、ServerSecret 和 UserId。",
    "ZEGO online KTV is not configured: AppId, ServerSecret and UserId are needed.",
)

_BAD_VENDOR = UserMessage(
    "ZEGO 的 vendor_id（版权方）只能是 0 或 1：其他版权方不支持版权查询接口，请联系 ZEGO 商务确认。",
    "ZEGO vendor_id (the copyright owner) must be 0 or 1: the copyright API supports no other. "
    "Ask ZEGO which one your contract uses.",
)
SUPPORTED_VENDORS = (0, 1)  # QuerySongsCopyright: "仅当 VendorId 为 0（默认）或 1 时"


def check_vendor_id(vendor_id: int) -> None:
    """Refuse at configuration time what every copyright call would be refused for."""
    if vendor_id not in SUPPORTED_VENDORS:
        raise ConfigError(
            f"zego vendor_id {vendor_id} is not 0 or 1", user_message=_BAD_VENDOR, code="vendor_id"
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
    check_vendor_id(settings.vendor_id)
    return settings
