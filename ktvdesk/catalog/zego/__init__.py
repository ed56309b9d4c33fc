"""ZEGO online KTV: seeds `zego-ktv-query-songs-copyright.md`, `zego-ktv-request-resource-result.md`.

Exports are lazy so the emulator can import the signature module without the provider.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ktvdesk.catalog.zego.provider import ZegoProvider
    from ktvdesk.catalog.zego.settings import ZegoSettings, load_zego_settings

__all__ = ["ZegoProvider", "ZegoSettings", "load_zego_settings"]


def __getattr__(name: str) -> Any:
    if name == "ZegoProvider":
        from ktvdesk.catalog.zego.provider import ZegoProvider

        return ZegoProvider
    if name in ("ZegoSettings", "load_zego_settings"):
        from ktvdesk.catalog.zego import settings

        return getattr(settings, name)
    raise AttributeError(name)
