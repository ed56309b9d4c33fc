"""The app's way to start a cloud song: resolve a link, then read its first bytes.

The cloud tests and benches use it to check that a link plays (and that a refused one is
not handed out again); the app itself streams the link through libVLC.
"""

from __future__ import annotations

from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.catalog.zego.provider import ZegoProvider
from ktvdesk.models import MediaSource, Song


async def first_bytes(
    provider: XiaoweiProvider | YinsudaProvider | ZegoProvider, song: Song, *, size: int
) -> tuple[MediaSource, bytes]:
    source = await provider.resolve_media(song)
    fetched = await provider.transport.fetch(source.url, first_bytes=size)
    return source, fetched.content
