"""Tencent Xiaowei music resources (QQ Music catalog), seed `tencent-xiaowei-music-resources.md`.

Exports are lazy so the emulator can import payload helpers without the provider.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
    from ktvdesk.catalog.xiaowei.settings import XiaoweiSettings, load_xiaowei_settings

__all__ = ["XiaoweiProvider", "XiaoweiSettings", "load_xiaowei_settings"]


def __getattr__(name: str) -> Any:
    if name == "XiaoweiProvider":
        from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider

        return XiaoweiProvider
    if name in ("XiaoweiSettings", "load_xiaowei_settings"):
        from ktvdesk.catalog.xiaowei import settings

        return getattr(settings, name)
    raise AttributeError(name)
