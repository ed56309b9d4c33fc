"""Xiaowei configuration: the app config's `[xiaowei]` section, `KTVDESK_XIAOWEI_*`, keyring.

The seed refers to a "base request params" section it does not contain. What we send
under `base_info` is therefore configuration: `sn` (device id), `product_id`, `user_id`,
`app_key` (secret, keyring or `KTVDESK_XIAOWEI_APP_KEY`) plus any `base_params` the
venue's contract names. Identifying values are registered with the log redactor.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from pydantic import ConfigDict, Field, SecretStr

from ktvdesk.catalog.provider_settings import load_provider_settings
from ktvdesk.catalog.xiaowei.client_ip import route_source_ip
from ktvdesk.config import LinkQuality, XiaoweiConfig
from ktvdesk.errors import UserMessage
from ktvdesk.logs import register_secret

__all__ = ["LinkQuality", "XiaoweiSettings", "load_xiaowei_settings"]


_MISSING = UserMessage(
    "未配置QQ音乐（小微）曲库：需要服务地址和设备号（没有网络路由时还需要客户端IP）。",
    "The QQ Music (Xiaowei) catalog is not configured: endpoint and device id are needed "
    "(and the client IP when this machine has no network route).",
)


class XiaoweiSettings(XiaoweiConfig):
    """The `[xiaowei]` section plus the app key, with what a call cannot do without."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    endpoint: str  # type: ignore[assignment]  # required here, optional in the config file
    device_id: str = Field(min_length=1)
    client_ip: str = Field(min_length=1)
    app_key: SecretStr | None = None

    def base_info(self) -> dict[str, str]:
        info = {"sn": self.device_id}
        if self.product_id:
            info["product_id"] = self.product_id
        if self.user_id:
            info["user_id"] = self.user_id
        if self.app_key is not None:
            info["app_key"] = self.app_key.get_secret_value()
        info.update(self.base_params)
        return info


def _is_public(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return True  # not an address we understand: treat it as identifying


def _configured_client_ip(env: Mapping[str, str] | None, section: XiaoweiConfig | None) -> bool:
    if section is not None:
        return bool(section.client_ip)
    from ktvdesk.config import load_settings

    return bool(load_settings(environ=env).settings.xiaowei.client_ip)


def load_xiaowei_settings(
    env: Mapping[str, str] | None = None,
    *,
    section: XiaoweiConfig | None = None,
    endpoint: str | None = None,
    use_keyring: bool = True,
    **overrides: object,
) -> XiaoweiSettings:
    wanted = dict(overrides)
    if not wanted.get("client_ip") and not _configured_client_ip(env, section):
        # Not configured: the address this machine's route to the internet would use.
        wanted["client_ip"] = route_source_ip()
    settings = load_provider_settings(
        XiaoweiSettings,
        "xiaowei",
        secrets={"app_key": "xiaowei.app_key"},
        missing=_MISSING,
        env=env,
        section=section,
        endpoint=endpoint,
        use_keyring=use_keyring,
        overrides=wanted,
    )
    for value in (settings.device_id, settings.user_id, *settings.base_params.values()):
        register_secret(value)
    if _is_public(settings.client_ip):  # a LAN or loopback address identifies nobody
        register_secret(settings.client_ip)
    return settings
