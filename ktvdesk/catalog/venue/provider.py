"""`VenueProvider`: the venue server's library behind the `CatalogProvider` protocol.

Search, singers and the venue's charts come from the server. Media comes from the
room's own cache when the song was prefetched (the normal case: the room copies its
queue ahead of time), else through links the server signs for this room. With the
server down, songs already copied still play and the rest fail with a clear message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.http import ApiCall, ProviderTransport
from ktvdesk.catalog.http.paging import offset_of
from ktvdesk.catalog.venue.cache import PARTS, CachedSong, SongCache
from ktvdesk.catalog.venue.wire import PROVIDER, VenueWire
from ktvdesk.errors import KtvError, NetworkError, UserMessage
from ktvdesk.logs import register_secret
from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import (
    Channel,
    MediaSource,
    Page,
    PlaylistInfo,
    Song,
    SongDetail,
    Tag,
    TagGroup,
    VocalLayout,
)

log = logging.getLogger(__name__)

DEFAULT_CACHE_BYTES = 4 * 1024**3
_CHARTS = {"chart:day": ("今日排行 Today", "day"), "chart:week": ("本周排行 This week", "week")}
_OFFLINE = UserMessage(
    "连不上曲库服务器，这首歌还没有缓存到本机。",
    "The venue server is unreachable and this song is not cached here.",
)


@dataclass(frozen=True, slots=True)
class VenueRoom:
    url: str  # the venue server, e.g. http://10.0.0.2:8650
    room: str
    key: str


class VenueProvider:
    name = PROVIDER

    def __init__(
        self,
        room: VenueRoom,
        cache_dir: Path,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        transport: ProviderTransport | None = None,
    ) -> None:
        register_secret(room.key)
        self.room = room
        self.cache = SongCache(cache_dir, cache_bytes)
        self.transport = transport or ProviderTransport(VenueWire(room.url.rstrip("/"), room.room, room.key))
        self._downloads: dict[str, asyncio.Task[CachedSong]] = {}

    async def _get(self, path: str, **params: Any) -> dict[str, Any]:
        return (await self.transport.call(ApiCall(f"GET {path}", params))).data

    async def _post(self, path: str, body: dict[str, Any], *, idempotent: bool = True) -> dict[str, Any]:
        return (await self.transport.call(ApiCall(f"POST {path}", body, idempotent=idempotent))).data

    # -- CatalogProvider ----------------------------------------------------------------

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        data = await self._get("/api/room/search", q=query, cursor=str(offset_of(cursor)))
        return self._page(data)

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]:
        if not prefix.strip():
            return []
        page = await self.search(prefix)
        return list(dict.fromkeys(song.title for song in page.items))[:limit]

    async def tags(self) -> list[TagGroup]:
        data = await self._get("/api/room/singers")
        singers = tuple(Tag(id=f"singer:{item['name']}", name=item["name"]) for item in data["items"])
        return [TagGroup(id="singers", name="歌手 Singers", tags=singers)]

    async def songs_by_tag(self, tag_id: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        kind, _, value = tag_id.partition(":")
        if kind != "singer" or not value:
            return Page()
        return self._page(await self._get("/api/room/songs", singer=value, cursor=str(offset_of(cursor))))

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]:
        return Page(items=tuple(PlaylistInfo(id=key, title=title) for key, (title, _) in _CHARTS.items()))

    async def playlist_songs(
        self, playlist_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]:
        chart = _CHARTS.get(playlist_id)
        if chart is None or cursor:
            return Page()
        return self._page(await self._get("/api/room/charts", period=chart[1]))

    async def details(self, song_ids: list[str]) -> list[SongDetail]:
        ids = ",".join(i for i in song_ids if i.isdigit())
        data = await self._get("/api/room/songs", ids=ids)
        return [SongDetail(song=self._song(item)) for item in data["items"]]

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        cached = self.cache.get(song.id)
        if cached is not None:
            return _source(cached.media, lambda part: str(cached.path(part)) if cached.path(part) else None)
        media = await self._media(song)
        return _source(media, media.get)

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        cached = self.cache.get(song.id)
        if cached is not None:
            path = cached.path("lyrics")
            return None if path is None else parse_lyrics(path.read_bytes())
        media = await self._media(song)
        if not media.get("lyrics"):
            return None
        fetched = await self.transport.fetch(str(media["lyrics"]), max_bytes=4 * 1024 * 1024)
        return parse_lyrics(fetched.content)

    async def aclose(self) -> None:
        for task in self._downloads.values():
            task.cancel()
        await self.transport.aclose()

    # -- the room's side ----------------------------------------------------------------

    async def status(self) -> dict[str, Any]:
        return await self._get("/api/room/status")

    async def record_request(
        self, request_id: str, song_id: str, *, singer: str | None, requested_at: datetime
    ) -> bool:
        body = {
            "request_id": request_id,
            "song_id": int(song_id),
            "singer": singer,
            "requested_at": requested_at.isoformat(),
        }
        # Idempotent on the server by request id: a retry can never count a song twice.
        return bool((await self._post("/api/room/requests", body))["recorded"])

    async def prefetch(self, songs: Sequence[Song]) -> list[str]:
        """Copy these songs into the cache (in order, one at a time: the first one is the
        next to sing) and let the others go; returns the ids now cached."""
        wanted = [song for song in songs if song.provider == self.name]
        # Never evict what a download still running is writing (an earlier queue state).
        self.cache.evict({song.id for song in wanted} | set(self._downloads))
        ready: list[str] = []
        for song in wanted:
            try:
                await self._cached(song)
            except KtvError as exc:
                log.info("venue prefetch of %s stopped: %s", song.id, exc.detail)
                break  # the server is away: try again on the next queue change or reconnect
            ready.append(song.id)
        return ready

    async def _cached(self, song: Song) -> CachedSong:
        found = self.cache.get(song.id)
        if found is not None:
            return found
        task = self._downloads.get(song.id)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._download(song))
            self._downloads[song.id] = task
            task.add_done_callback(lambda _: self._downloads.pop(song.id, None))
        return await asyncio.shield(task)

    async def _download(self, song: Song) -> CachedSong:
        media = await self._media(song)
        folder = self.cache.partial(song.id)
        local = dict(media)
        for part in PARTS:
            url = media.get(part)
            if not url:
                continue
            name = f"{part}{_suffix(part, media)}"
            await self._save(str(url), folder / name)
            local[part] = name
        return self.cache.finish(song.id, local)

    async def _save(self, url: str, target: Path) -> None:
        try:
            async with self.transport.client.stream(
                "GET", url, timeout=httpx.Timeout(30, connect=5)
            ) as response:
                if response.status_code != 200:
                    raise NetworkError(f"venue download: HTTP {response.status_code}", user_message=_OFFLINE)
                with target.open("wb") as handle:
                    async for chunk in response.aiter_bytes(1 << 16):
                        handle.write(chunk)
        except httpx.HTTPError as exc:
            raise NetworkError(f"venue download: {type(exc).__name__}", user_message=_OFFLINE) from exc

    async def _media(self, song: Song) -> dict[str, Any]:
        try:
            return await self._get(f"/api/room/media/{int(song.id)}")
        except NetworkError as exc:
            raise NetworkError(exc.detail, user_message=_OFFLINE, retryable=True) from exc

    # -- mapping ------------------------------------------------------------------------

    def _song(self, item: dict[str, Any]) -> Song:
        return Song(
            provider=self.name,
            id=str(item["id"]),
            title=str(item["title"]),
            singers=tuple(item.get("singers") or ()),
            album=item.get("album"),
            duration_ms=item.get("duration_ms"),
            has_lyrics=bool(item.get("has_lyrics")),
        )

    def _page(self, data: dict[str, Any]) -> Page[Song]:
        return Page(items=tuple(self._song(item) for item in data["items"]), cursor=data.get("next"))


def _suffix(part: str, media: dict[str, Any]) -> str:
    if part == "lyrics":
        return Path(str(media.get("lyrics_name") or "lyrics.lrc")).suffix or ".lrc"
    container = str(media.get("container") or "")
    return f".{container}" if container.isalnum() else ""


def _source(media: dict[str, Any], where: Any) -> MediaSource:
    expires = media.get("expires_at")
    local = not str(where("main") or "").startswith("http")
    return MediaSource(
        url=str(where("main")),
        expires_at=None if local or not expires else datetime.fromisoformat(str(expires)),
        container=media.get("container") or None,
        layout=VocalLayout(media.get("layout", VocalLayout.MIXED.value)),
        original_track=int(media.get("original_track", 0)),
        accompaniment_track=int(media.get("accompaniment_track", 1)),
        vocal_channel=Channel(media.get("vocal_channel", Channel.LEFT.value)),
        accompaniment_url=where("accompaniment"),
        duration_ms=media.get("duration_ms"),
        replaygain_db=media.get("replaygain_db"),
    )
