"""What some catalogs can do beyond `CatalogProvider`, as protocols instead of `getattr` probes.

`SingerDirectory`: singers A–Z with their song counts, and one singer's songs (the
歌手点歌 wall). The local library has its own index of singers; a cloud catalog has no
"list every singer" call in any of the three APIs, so `singer_directory()` hands out a
`ChartSingers` for it: the singers of the catalog's own charts and playlists, with their
songs found by search. Either way the view asks the protocol, never how a catalog
spells a singer's tag id (the local `singer:NAME` scheme stays inside the local
provider).

The other protocols are what only some cloud catalogs offer, each found with `isinstance`
so that a catalog without it keeps working unchanged:

- `TagFilters`: a tag's songs narrowed by rights and materials (Yinsuda
  `DescribeKTVMusicsByTag` `RightFilters` Play/Sing, `MaterialFilters` Lyrics/Midi).
- `SingerSearch`: a singer's songs found by the singer's name (Xiaowei `search_singer`).
- `PlaylistSearch`: playlists and albums found by name, and an album's songs (Xiaowei).
- `PlaylistTags`: the playlist categories and the playlists under one (Xiaowei `tag_list`).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ktvdesk.catalog.base import CatalogProvider, SearchFilters
    from ktvdesk.models import Page, PlaylistInfo, Song, TagGroup

# How much of a cloud catalog's charts is read to find its singers (a wall, not an index).
CHART_PLAYLISTS = 6
CHART_SONGS = 50


@runtime_checkable
class SingerDirectory(Protocol):
    async def singers(
        self, initial: str | None = None, *, offset: int = 0, limit: int = 100
    ) -> list[tuple[str, int]]:
        """Singers (of one initial A–Z or `#`, or all) with their song counts, A–Z."""
        ...

    async def songs_of_singer(self, name: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        """One singer's songs, most sung first where the catalog knows."""
        ...


@runtime_checkable
class TagFilters(Protocol):
    async def filtered_songs_by_tag(
        self, tag_id: str, filters: SearchFilters, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]:
        """The tag's songs that pass `filters` (the service filters, so paging stays right)."""
        ...


@runtime_checkable
class SingerSearch(Protocol):
    async def search_singers(self, query: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        """The songs of the singers whose name matches `query`."""
        ...


@runtime_checkable
class PlaylistSearch(Protocol):
    async def search_playlists(
        self, query: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[PlaylistInfo]: ...

    async def search_albums(
        self, query: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[PlaylistInfo]: ...

    async def album_songs(
        self, album_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]: ...


@runtime_checkable
class PlaylistTags(Protocol):
    async def playlist_tags(self) -> list[TagGroup]: ...

    async def tag_playlists(
        self, tag_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[PlaylistInfo]: ...


def singer_initial(name: str) -> str:
    """A–Z by the pinyin of a Chinese name (or the first Latin letter), `#` otherwise."""
    from ktvdesk.catalog.local.pinyin_keys import pinyin_keys
    from ktvdesk.catalog.local.textfold import compact, fold

    readings = pinyin_keys(fold(name))
    key = (readings.full[0] if readings.full else "") or compact(name) or name
    initial = key[:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


class ChartSingers:
    """`SingerDirectory` for a catalog without a singer list: the singers of its charts."""

    def __init__(self, provider: CatalogProvider) -> None:
        self.provider = provider
        self._counts: Counter[str] | None = None
        self._lock = asyncio.Lock()

    async def singers(
        self, initial: str | None = None, *, offset: int = 0, limit: int = 100
    ) -> list[tuple[str, int]]:
        counts = await self._chart_counts()
        wanted = initial.upper() if initial else None
        named = sorted(
            (name for name in counts if wanted is None or singer_initial(name) == wanted),
            key=lambda name: (singer_initial(name), name),
        )
        return [(name, counts[name]) for name in named[offset : offset + limit]]

    async def songs_of_singer(self, name: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        from ktvdesk.models import Page

        page = await self.provider.search(name, cursor=cursor, limit=limit)
        sung = tuple(song for song in page.items if name in song.singers)
        return Page(items=sung, cursor=page.cursor)

    async def _chart_counts(self) -> Counter[str]:
        async with self._lock:  # one read of the charts, however many letters are tapped
            if self._counts is None:
                counts: Counter[str] = Counter()
                seen: set[str] = set()
                charts = await self.provider.playlists(limit=CHART_PLAYLISTS)
                for chart in charts.items:
                    songs = await self.provider.playlist_songs(chart.id, limit=CHART_SONGS)
                    for song in songs.items:
                        if song.key not in seen:
                            seen.add(song.key)
                            counts.update(singer for singer in song.singers if singer)
                self._counts = counts
            return self._counts


def singer_directory(provider: CatalogProvider | None) -> SingerDirectory | None:
    """The catalog itself when it lists singers, else its charts' singers."""
    if provider is None:
        return None
    if isinstance(provider, SingerDirectory):
        return provider
    return ChartSingers(provider)


__all__ = [
    "ChartSingers",
    "PlaylistSearch",
    "PlaylistTags",
    "SingerDirectory",
    "SingerSearch",
    "TagFilters",
    "singer_directory",
    "singer_initial",
]
