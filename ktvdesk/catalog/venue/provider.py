"""`VenueProvider`: the venue server's library behind the `CatalogProvider` protocol.

Search, singers and the venue's charts come from the server. Media comes from the
room's own cache when the song was prefetched (the normal case: the room copies its
queue ahead of time), else through links the server signs for this room. With the
server down, songs already copied still play and the rest fail with a clear message.

Every kind plays as it does from the local library: the server sends the `MediaSource`
the local provider would give the player (an UltraStar song's audio, instrumental,
video and `#START`/`#END`; an MP3+G song's audio with its `.cdg` as the picture; a
`.kar` for FluidSynth) and the clip a chorus request plays (the UltraStar medley); the
lyrics part (UltraStar `.txt`, `.kar`, `.ass`, `.lrc`…) goes through the same parser,
so notes reach the scorer as the song's melody.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.http import ApiCall, ProviderTransport
from ktvdesk.catalog.http.paging import offset_of
from ktvdesk.catalog.venue.cache import CachedSong, SongCache
from ktvdesk.catalog.venue.wire import LYRICS_PART, PROVIDER, SOURCE_PARTS, VenueWire
from ktvdesk.errors import KtvError, NetworkError, ProviderError, UserMessage
from ktvdesk.logs import register_secret
from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import (
    ClipSegment,
    MediaSource,
    Page,
    PlaylistInfo,
    Song,
    SongDetail,
    Tag,
    TagGroup,
)

log = logging.getLogger(__name__)

DEFAULT_CACHE_BYTES = 4 * 1024**3
_CHARTS = {"chart:day": ("今日排行 Today", "day"), "chart:week": ("本周排行 This week", "week")}
_OFFLINE = UserMessage(
    "连不上曲库服务器，这首歌还没有缓存到本机。",
    "The venue server is unreachable and this song is not cached here.",
)

_BAD_REPLY = UserMessage("曲库服务器的回复有误。", "The venue server sent a reply this room cannot use.")
_PART_NAME = re.compile(r"[a-z]+(\.[A-Za-z0-9]{1,8})?")  # "main.wav", "video.cdg", "lyrics.txt"


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
        media, where = await self._playable(song)
        source = MediaSource.model_validate(media["source"])
        update: dict[str, Any] = {field: where(part) for part, field in SOURCE_PARTS.items()}
        if not str(update["url"]).startswith("http"):
            update["expires_at"] = None  # the room's own copy
        chorus = media.get("chorus")
        if request is not None and request.clip and chorus:
            update["clip"] = ClipSegment.model_validate(chorus)
        return source.model_copy(update=update)

    async def chorus(self, song: Song) -> ClipSegment | None:
        """The clip a chorus request plays (an UltraStar medley, the chorus the server
        found in the lyrics), or None: the song then plays whole."""
        media, _ = await self._playable(song)
        chorus = media.get("chorus")
        return ClipSegment.model_validate(chorus) if chorus else None

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        _, where = await self._playable(song)
        found = where(LYRICS_PART)
        if found is None:
            return None
        if not found.startswith("http"):
            return await asyncio.to_thread(lambda: parse_lyrics(Path(found).read_bytes()))
        fetched = await self.transport.fetch(found, max_bytes=4 * 1024 * 1024)
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
        for found in media["parts"].values():
            name = str(found["name"])
            if not _PART_NAME.fullmatch(name):  # a file name in our folder, never a path
                raise ProviderError(f"venue media: bad part name {name!r}", user_message=_BAD_REPLY)
            await self._save(str(found["url"]), folder / name)
        return self.cache.finish(song.id, media)

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

    async def _playable(self, song: Song) -> tuple[dict[str, Any], Callable[[str], str | None]]:
        """The song's media reply and where each part is: the room's copy, else a link."""
        cached = self.cache.get(song.id)
        if cached is not None:
            return cached.media, lambda part: _text(cached.path(part))
        media = await self._media(song)
        parts: dict[str, Any] = media["parts"]
        return media, lambda part: str(parts[part]["url"]) if part in parts else None

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


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)
