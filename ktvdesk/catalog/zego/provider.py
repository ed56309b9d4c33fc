"""`ZegoProvider`: ZEGO online KTV behind `CatalogProvider`.

What the seeds give: the signed server API's `QuerySongsCopyright`, and the JSON a
venue backend obtains for a song's resources. There is no search, tag or playlist API in
them, so browsing runs on the venue's song list (`catalog_file`) plus song ids typed in,
with rights and the owner-badge channel always taken from `QuerySongsCopyright`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.http import ApiCall, Clock, ProviderTransport, RateLimits, RetryPolicy
from ktvdesk.catalog.http.cache import ExpiringCache
from ktvdesk.catalog.http.paging import batched, next_offset, offset_of
from ktvdesk.catalog.zego.badge import owner_badge_path
from ktvdesk.catalog.zego.copyright import Copyright, parse_copyrights
from ktvdesk.catalog.zego.resource import SongResource, fill, media_source, parse_resource
from ktvdesk.catalog.zego.settings import ZegoSettings, check_vendor_id
from ktvdesk.catalog.zego.venue_catalog import VenueCatalog
from ktvdesk.catalog.zego.wire import (
    COPYRIGHT_BATCH,
    QUERY_SONGS_COPYRIGHT,
    RATE_LIMITS_PER_S,
    ResourceWire,
    ZegoWire,
)
from ktvdesk.errors import (
    ConfigError,
    KtvError,
    MediaExpiredError,
    NotFoundError,
    ProviderError,
    RightsError,
    UserMessage,
)
from ktvdesk.models import (
    MediaSource,
    Page,
    PlaylistInfo,
    Rights,
    Song,
    SongDetail,
    Tag,
    TagGroup,
    VocalLayout,
)

if TYPE_CHECKING:
    from ktvdesk.lyrics import Lyrics

log = logging.getLogger(__name__)

PROVIDER = "zego"
RESOURCE_ACTION = "RequestResource"  # rate-limit / stats key of the resource endpoint
COPYRIGHTS_KEPT = 2048  # dozens of screens of rights: search and lists ask a page at a time
COPYRIGHT_TTL = timedelta(hours=1)
RESOURCES_KEPT = 256

_NO_BACKEND = UserMessage(
    "未配置 ZEGO 资源服务地址，无法播放。", "No ZEGO resource endpoint is configured, so songs cannot play."
)
_NO_RIGHTS = UserMessage("暂无这首歌的播放版权。", "We have no rights to play this song here.")
_NO_PLAYLISTS = UserMessage("ZEGO 曲库没有歌单功能。", "The ZEGO catalog has no playlists.")


class ZegoProvider:
    name = PROVIDER

    def __init__(
        self,
        settings: ZegoSettings,
        *,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        client: httpx.AsyncClient | None = None,
        catalog: VenueCatalog | None = None,
    ) -> None:
        check_vendor_id(settings.vendor_id)
        self.settings = settings
        wire = ZegoWire(
            settings.app_id,
            settings.server_secret.get_secret_value(),
            user_id=settings.user_id,
            room_id=settings.room_id,
            vendor_id=settings.vendor_id,
            endpoint=settings.endpoint,
        )
        limits = RateLimits(RATE_LIMITS_PER_S, clock=clock)
        self.transport = ProviderTransport(
            wire, limits=limits, retry=retry, clock=clock, timeout_s=settings.timeout_s, client=client
        )
        # One HTTP client for both: the resource endpoint is another protocol, same machinery.
        self.resources: ProviderTransport | None = None
        if settings.resource_endpoint:
            self.resources = ProviderTransport(
                ResourceWire(settings.resource_endpoint, user_id=settings.user_id, room_id=settings.room_id),
                retry=retry,
                clock=clock,
                timeout_s=settings.timeout_s,
                client=self.transport.client,
            )
        self.catalog = catalog if catalog is not None else VenueCatalog.load(settings.catalog_file)
        # Rights change rarely but do change: kept an hour. Resources carry the krc_token the
        # lyrics need; the media links built from them are FreshMedia's to keep.
        self._copyright: ExpiringCache[str, Copyright] = ExpiringCache(COPYRIGHTS_KEPT, clock=clock)
        self._resources: ExpiringCache[tuple[str, bool, bool], SongResource] = ExpiringCache(
            RESOURCES_KEPT, clock=clock
        )

    async def aclose(self) -> None:
        await self.transport.aclose()

    @property
    def owner_badge(self) -> Path:
        return owner_badge_path(self.settings.owner_logo)

    # -- copyright -------------------------------------------------------------------------------

    async def copyrights(self, song_ids: list[str]) -> list[Copyright]:
        """`QuerySongsCopyright` in batches of ≤ 20 ids, in the order asked."""
        unique = list(dict.fromkeys(song_ids))
        replies = await asyncio.gather(
            *(
                self.transport.call(ApiCall(QUERY_SONGS_COPYRIGHT, {"SongsId[]": batch}))
                for batch in batched(unique, COPYRIGHT_BATCH)
            )
        )
        found: dict[str, Copyright] = {}
        for reply in replies:
            try:
                rows = parse_copyrights(reply.data.get("Data"))
            except ValueError as exc:
                raise ProviderError(f"zego {QUERY_SONGS_COPYRIGHT}: bad reply: {exc}") from None
            found.update({c.song_id: c for c in rows})
        until = self._copyright.now() + COPYRIGHT_TTL
        for song_id, right in found.items():
            self._copyright.put(song_id, right, expires_at=until)
        return [found[i] for i in unique if i in found]

    def _song(self, song_id: str, right: Copyright | None) -> Song:
        venue = self.catalog.by_id.get(song_id)
        return Song(
            provider=PROVIDER,
            id=song_id,
            title=venue.title if venue else song_id,
            singers=venue.singers if venue else (),
            album=venue.album if venue else None,
            duration_ms=venue.duration_ms if venue else None,
            rights=right.rights if right else Rights(),
            has_lyrics=True,  # every ZEGO resource carries a krc_token
            copyright_channel=right.channel if right else None,
        )

    async def _songs(self, ids: list[str], filters: SearchFilters | None = None) -> list[Song]:
        rights = {c.song_id: c for c in await self.copyrights(ids)} if ids else {}
        songs = [self._song(i, rights[i]) for i in ids if i in rights]
        if filters is not None:
            if filters.playable_only:
                songs = [s for s in songs if s.rights.can_play]
            if filters.singable_only:
                songs = [s for s in songs if s.rights.can_sing]
        return songs

    # -- browsing ------------------------------------------------------------------------------

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        """The venue list by title/singer, plus any song ids in the query (typed or scanned)."""
        offset = offset_of(cursor)
        typed = [t for t in query.replace(",", " ").split() if t.isdigit()]
        matches = [s.song_id for s in self.catalog.search(query)]
        ids = list(dict.fromkeys(typed + matches))
        window = ids[offset : offset + max(1, limit)]
        songs = await self._songs(window, filters)
        return Page[Song](
            items=tuple(songs), cursor=next_offset(offset, len(window), len(ids)), total=len(ids)
        )

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]:
        return list(dict.fromkeys(s.title for s in self.catalog.search(prefix)))[:limit]

    async def tags(self) -> list[TagGroup]:
        names = self.catalog.tags()
        if not names:
            return []
        return [TagGroup(id="venue", name="曲库分类", tags=tuple(Tag(id=n, name=n) for n in names))]

    async def songs_by_tag(self, tag_id: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        ids = [s.song_id for s in self.catalog.by_tag(tag_id)]
        offset = offset_of(cursor)
        window = ids[offset : offset + max(1, limit)]
        songs = await self._songs(window)
        return Page[Song](
            items=tuple(songs), cursor=next_offset(offset, len(window), len(ids)), total=len(ids)
        )

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]:
        return Page[PlaylistInfo](items=())

    async def playlist_songs(
        self, playlist_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]:
        raise NotFoundError(
            f"zego: no playlist {playlist_id!r} (no playlist API)", user_message=_NO_PLAYLISTS
        )

    async def details(self, song_ids: list[str]) -> list[SongDetail]:
        return [SongDetail(song=s) for s in await self._songs(list(dict.fromkeys(song_ids)))]

    # -- resources, media, lyrics ----------------------------------------------------------------

    async def resource(
        self, song_id: str, *, clip: bool = False, accompany: bool = False, fresh: bool = False
    ) -> SongResource:
        """The venue backend's resource JSON for a song, parsed, kept while its tokens live."""
        key = (song_id, clip, accompany)
        cached = None if fresh else self._resources.get(key)
        if cached is not None and cached.resources:
            return cached
        if self.resources is None:
            raise ConfigError("zego: resource_endpoint is not configured", user_message=_NO_BACKEND)
        params = {"song_id": song_id, "is_clip": int(clip), "is_accompany": int(accompany)}
        reply = await self.resources.call(ApiCall(RESOURCE_ACTION, params))
        # TTLs count from now; anchor them on the (injected) clock that will check them.
        parsed = parse_resource(reply.data, self._resources.now())
        expiries = [r.expires_at for r in parsed.resources]
        if parsed.krc_token is not None:
            expiries.append(parsed.krc_token.expires_at)
        self._resources.put(key, parsed, expires_at=min(expiries) if expiries else None)
        return parsed

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        """The song and its accompaniment as two files, so the singer can switch 原唱/伴唱.

        Either alone still plays: only the song → MIXED, only the accompaniment →
        ACCOMPANIMENT_ONLY. The source expires with the first of the two resources.
        """
        request = request or MediaRequest()
        known = await self.copyright(song.id)
        if known is not None and not known.recording and not known.song_lyric:
            raise RightsError(f"zego song {song.id}: no rights", user_message=_NO_RIGHTS)
        # Fresh resources each time: the caller (FreshMedia) keeps the link and knows when it
        # needs a new one.
        accompaniment_call = self.resource(song.id, clip=request.clip, accompany=True, fresh=True)
        if known is not None and not known.recording:
            # No recording right (Recording = 0): the original vocal may not be played, so it
            # is not even asked for; the accompaniment alone (原唱 is greyed with the reason).
            return self._with_duration(media_source(await accompaniment_call, *self._templates()), song)
        original, accompaniment = await asyncio.gather(
            self.resource(song.id, clip=request.clip, accompany=False, fresh=True),
            accompaniment_call,
            return_exceptions=True,
        )
        template, base = self._templates()
        if isinstance(accompaniment, BaseException):
            if isinstance(original, BaseException):
                raise original
            _log_missing(song.id, "accompaniment", accompaniment)
            source = media_source(original, template, base)
        elif isinstance(original, BaseException):
            _log_missing(song.id, "original", original)
            source = media_source(accompaniment, template, base)
        else:
            vocal = media_source(original, template, base)
            backing = media_source(accompaniment, template, base)
            expiries = [e for e in (vocal.expires_at, backing.expires_at) if e is not None]
            source = vocal.model_copy(
                update={
                    "layout": VocalLayout.SEPARATE_FILE,
                    "accompaniment_url": backing.url,
                    "expires_at": min(expiries) if expiries else None,
                }
            )
        return self._with_duration(source, song)

    def _templates(self) -> tuple[str, str]:
        return self.settings.media_url_template, self.settings.resource_base

    @staticmethod
    def _with_duration(source: MediaSource, song: Song) -> MediaSource:
        if source.duration_ms is None and song.duration_ms is not None:
            return source.model_copy(update={"duration_ms": song.duration_ms})
        return source

    async def copyright(self, song_id: str) -> Copyright | None:
        """The song's rights, from the lists it was shown in, else asked for."""
        known = self._copyright.get(song_id)
        if known is None:
            found = await self.copyrights([song_id])
            known = found[0] if found else None
        return known

    async def fetch_krc(self, song: Song) -> bytes | None:
        for attempt in range(2):
            # The cache hands out only resources with more than the refresh margin left.
            resource = await self.resource(song.id, accompany=True, fresh=attempt > 0)
            if resource.krc_token is None:
                return None
            url = fill(
                self.settings.krc_url_template,
                self.settings.resource_base,
                song_id=song.id,
                krc_token=resource.krc_token.value,
            )
            try:
                return (await self.transport.fetch(url)).content
            except MediaExpiredError:
                if attempt:
                    raise
        return None

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        """The KRC lyrics; none for a song without the lyrics right (SongLyric = 0)."""
        from ktvdesk.lyrics import parse_lyrics

        known = await self.copyright(song.id)
        if known is not None and not known.song_lyric:
            log.info("zego song %s: no SongLyric right, lyrics not shown", song.id)
            return None
        data = await self.fetch_krc(song)
        if not data:
            return None
        return parse_lyrics(data, "krc")


def _log_missing(song_id: str, which: str, error: BaseException) -> None:
    if not isinstance(error, KtvError):
        raise error
    log.info("zego song %s: no %s resource: %s", song_id, which, error.detail)
