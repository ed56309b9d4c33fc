"""Tencent Cloud 音速达 (Yinsuda) KTV catalog, API version 2022-05-27.

Exports are lazy so the emulator can import the pure signing module (`tc3`) without
pulling in httpx and the provider.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
    from ktvdesk.catalog.yinsuda.settings import YinsudaSettings, load_yinsuda_settings

__all__ = ["YinsudaProvider", "YinsudaSettings", "load_yinsuda_settings"]


def __getattr__(name: str) -> Any:
    if name == "YinsudaProvider":
        from ktvdesk.catalog.yinsuda.provider import YinsudaProvider

        return YinsudaProvider
    if name in ("YinsudaSettings", "load_yinsuda_settings"):
        from ktvdesk.catalog.yinsuda import settings

        return getattr(settings, name)
    raise AttributeError(name)
