"""The user's QQ Music favourites (`favorite_list` / `set_favorite`) kept in step with ours.

Two ways: `pull()` brings the cloud's favourites into the local Favorites, drops the ones
the user removed on the phone since the last pull, and sends the ones added here while
offline; `set()` changes one favourite here and in the cloud at once. "Removed on the
phone" needs memory of what the cloud said last time: without it (the first pull) nothing
local is dropped, and the local songs the cloud lacks are sent to it (a union).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from ktvdesk.models import Page, Song

log = logging.getLogger(__name__)

PROVIDER = "xiaowei"
PAGE = 50


class FavoriteStore(Protocol):
    """The local Favorites, read and written off the GUI thread (`storage.service`'s
    `ServiceFavorites`): a pull may add or drop hundreds of songs."""

    async def add(self, song: Song) -> bool: ...

    async def remove(self, key: str) -> bool: ...

    async def keys(self) -> set[str]: ...


class CloudFavorites(Protocol):
    """What the sync needs of `XiaoweiProvider`."""

    async def favorites(self, *, cursor: str | None = None, limit: int = 30) -> Page[Song]: ...

    async def set_favorite(self, song_id: str, favorite: bool = True) -> None: ...


@dataclass(frozen=True, slots=True)
class SyncReport:
    added_here: int = 0
    removed_here: int = 0
    sent: int = 0


class XiaoweiFavoritesSync:
    def __init__(self, cloud: CloudFavorites, store: FavoriteStore) -> None:
        self.cloud = cloud
        self.store = store
        self._last_cloud: set[str] | None = None  # song keys the cloud had at the last pull

    async def pull(self) -> SyncReport:
        cloud_songs = await self._all_cloud_favorites()
        cloud_keys = {song.key for song in cloud_songs}
        local = {key for key in await self.store.keys() if key.startswith(PROVIDER + ":")}
        added = 0
        for song in cloud_songs:
            if song.key not in local:
                added += await self.store.add(song)
        removed = 0
        if self._last_cloud is not None:
            for key in (self._last_cloud & local) - cloud_keys:  # unfavourited on the phone
                removed += await self.store.remove(key)
        to_send = local - cloud_keys - (self._last_cloud or set())
        for key in sorted(to_send):  # favourited here while the cloud did not hear of it
            await self.cloud.set_favorite(key.split(":", 1)[1], True)
        self._last_cloud = cloud_keys | to_send
        report = SyncReport(added_here=added, removed_here=removed, sent=len(to_send))
        log.info("xiaowei favourites synced: %s", report)
        return report

    async def set(self, song: Song, favorite: bool) -> None:
        """One change, both sides: the cloud first, so a refusal leaves ours as it was."""
        if song.provider != PROVIDER:
            raise ValueError(f"not a {PROVIDER} song: {song.key}")
        await self.cloud.set_favorite(song.id, favorite)
        if favorite:
            await self.store.add(song)
        else:
            await self.store.remove(song.key)
        if self._last_cloud is not None:
            (self._last_cloud.add if favorite else self._last_cloud.discard)(song.key)

    async def _all_cloud_favorites(self) -> list[Song]:
        songs: list[Song] = []
        cursor: str | None = None
        while True:
            page = await self.cloud.favorites(cursor=cursor, limit=PAGE)
            songs += page.items
            if page.cursor is None:
                return songs
            cursor = page.cursor
