"""`YinsudaProvider`: the Tencent Cloud 音速达 catalog behind `CatalogProvider`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.http import Clock, ProviderTransport, RateLimits, RetryPolicy
from ktvdesk.catalog.http.cache import ExpiringCache
from ktvdesk.catalog.http.paging import batched, offset_of
from ktvdesk.catalog.partial_file import lyrics_for_segment
from ktvdesk.catalog.yinsuda import mapping
from ktvdesk.catalog.yinsuda import payloads as p
from ktvdesk.catalog.yinsuda.api import YinsudaApi
from ktvdesk.catalog.yinsuda.settings import YinsudaSettings
from ktvdesk.catalog.yinsuda.tc3 import Credentials
from ktvdesk.catalog.yinsuda.wire import DEFAULT_RATE_LIMIT_PER_S, RATE_LIMITS_PER_S, YinsudaWire
from ktvdesk.errors import KtvError, MediaExpiredError, NotFoundError, ProviderError, RightsError, UserMessage
from ktvdesk.logs import redact
from ktvdesk.models import ClipSegment, MediaSource, Page, PlaylistInfo, Song, SongDetail, TagGroup

if TYPE_CHECKING:
    from ktvdesk.lyrics import Lyrics

log = logging.getLogger(__name__)

MAX_LIMIT = 50  # Limit ≤ 50 on every paged Action
DETAILS_BATCH = 20
DETAILS_KEPT = 512  # details of the songs browsed lately (lyrics links, PlayTokens)
SEGMENTS_KEPT = 512
PITCH_KEPT = 64
PLAYLIST_TYPES = ["OfficialRec", "Customize"]
MEMBERSHIP_TTL = timedelta(minutes=10)  # a recharge shows within ten minutes
MEMBERSHIP_RETRY = timedelta(minutes=1)

_NO_LINK = UserMessage("这首歌暂无可用的播放链接。", "There is no playable link for this song.")


def _limit(limit: int) -> int:
    return max(1, min(MAX_LIMIT, limit))


@dataclass(frozen=True, slots=True)
class SegmentTimes:
    """Where a song's accompaniment segment file sits in the song (for its lyrics)."""

    segment: ClipSegment | None
    others: tuple[ClipSegment, ...] = ()


class YinsudaProvider:
    name = "yinsuda"

    def __init__(
        self,
        settings: YinsudaSettings,
        *,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.settings = settings
        credentials = Credentials(
            settings.secret_id.get_secret_value(), settings.secret_key.get_secret_value()
        )
        token = settings.token.get_secret_value() if settings.token is not None else None
        wire = YinsudaWire(credentials, settings.endpoint, settings.language, token)
        limits = RateLimits(RATE_LIMITS_PER_S, default_per_s=DEFAULT_RATE_LIMIT_PER_S, clock=clock)
        self.transport = ProviderTransport(
            wire, limits=limits, retry=retry, clock=clock, timeout_s=settings.timeout_s, client=client
        )
        self.api = YinsudaApi(self.transport, settings.app_name, settings.user_id)
        # Links are not cached here: FreshMedia's scheduler holds the one copy of each.
        self._details: ExpiringCache[str, SongDetail] = ExpiringCache(DETAILS_KEPT, clock=clock)
        self._segments: ExpiringCache[str, SegmentTimes] = ExpiringCache(SEGMENTS_KEPT, clock=clock)
        self.pitch: ExpiringCache[str, bytes] = ExpiringCache(PITCH_KEPT, clock=clock)  # for scoring
        self._membership: ExpiringCache[str, bool] = ExpiringCache(1, clock=clock, margin_s=0)

    async def aclose(self) -> None:
        await self.transport.aclose()

    # -- browsing ----------------------------------------------------------------------------

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        if not query.strip():
            return Page[Song]()
        reply = await self.api.search_musics(
            p.SearchKTVMusicsRequest(
                KeyWord=query,
                ScrollToken=cursor,
                Limit=_limit(limit),
                RightFilters=mapping.right_filters(filters),
                MaterialFilters=mapping.material_filters(filters),
                PlayScene=self.settings.play_scene,
            )
        )
        return await self._with_materials(mapping.song_page(reply, filters), filters)

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]:
        if not prefix.strip():
            return []
        reply = await self.api.suggestions(p.DescribeKTVSuggestionsRequest(KeyWord=prefix))
        return [s.Suggestion for s in reply.KTVSuggestionInfoSet][:limit]

    async def tags(self) -> list[TagGroup]:
        reply = await self.api.tags(p.DescribeKTVTagsRequest())
        return mapping.tag_groups(reply.TagGroupInfoSet)

    async def songs_by_tag(
        self, tag_id: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        reply = await self.api.musics_by_tag(
            p.DescribeKTVMusicsByTagRequest(
                TagId=tag_id,
                ScrollToken=cursor,
                Limit=_limit(limit),
                RightFilters=mapping.right_filters(filters),
                MaterialFilters=mapping.material_filters(filters),
            )
        )
        return await self._with_materials(mapping.song_page(reply, filters), filters)

    async def filtered_songs_by_tag(
        self, tag_id: str, filters: SearchFilters, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]:
        """`TagFilters`: the service applies RightFilters / MaterialFilters itself."""
        return await self.songs_by_tag(tag_id, cursor=cursor, limit=limit, filters=filters)

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]:
        offset = offset_of(cursor)
        reply = await self.api.playlists(
            # Official recommendations and the playlists the venue made itself (Customize).
            p.DescribeKTVPlaylistsRequest(Types=PLAYLIST_TYPES, Offset=offset, Limit=_limit(limit))
        )
        items = tuple(mapping.playlist(info) for info in reply.PlaylistBaseInfoSet)
        end = offset + len(items)
        more = items and reply.TotalCount is not None and end < reply.TotalCount
        return Page[PlaylistInfo](items=items, cursor=str(end) if more else None, total=reply.TotalCount)

    async def playlist_songs(
        self,
        playlist_id: str,
        *,
        cursor: str | None = None,
        limit: int = 30,
        filters: SearchFilters | None = None,
    ) -> Page[Song]:
        reply = await self.api.playlist_detail(
            p.DescribeKTVPlaylistDetailRequest(
                PlaylistId=playlist_id,
                ScrollToken=cursor,
                Limit=_limit(limit),
                RightFilters=mapping.right_filters(filters),
                MaterialFilters=mapping.material_filters(filters),
                PlayScene=self.settings.play_scene,
            )
        )
        return await self._with_materials(mapping.song_page(reply, filters), filters)

    async def _with_materials(self, page: Page[Song], filters: SearchFilters | None) -> Page[Song]:
        """Mark whether each song has lyrics and a pitch line, from its details.

        A listing's base info does not say (only BatchDescribeKTVMusicDetails' LyricsUrl and
        MidiUrl do), so the page's details are read (batched by 20, and kept: playing one of
        these songs needs them anyway). When they cannot be read the songs stay "not known".
        """
        if not page.items or (filters is not None and filters.with_lyrics and filters.with_pitch):
            return page
        found: dict[str, SongDetail] = {}
        missing: list[str] = []
        for item in page.items:
            cached = self._details.get(item.id)
            if cached is None:
                missing.append(item.id)
            else:
                found[item.id] = cached
        if missing:
            try:
                found.update((d.song.id, d) for d in await self.details(missing))
            except KtvError as exc:
                log.info("yinsuda: lyrics of a listing unknown: %s", redact(exc.detail))
        return mapping.with_materials(page, found)

    # -- details, media, lyrics --------------------------------------------------------------

    async def details(self, song_ids: list[str]) -> list[SongDetail]:
        """Batched by 20; unknown ids are left out (the service lists them separately)."""
        unique = list(dict.fromkeys(song_ids))
        batches = batched(unique, DETAILS_BATCH)
        replies = await asyncio.gather(
            *(
                self.api.music_details(
                    p.BatchDescribeKTVMusicDetailsRequest(
                        MusicIds=batch, PlayScene=self.settings.play_scene, RoomId=self.settings.room_id
                    )
                )
                for batch in batches
            )
        )
        found: dict[str, SongDetail] = {}
        for reply in replies:
            for info in reply.KTVMusicDetailInfoSet:
                item = mapping.detail(info)
                found[item.song.id] = item
        for song_id, item in found.items():
            self._details.put(song_id, item, expires_at=self._local(item.play_token_expires_at))
        return [found[i] for i in unique if i in found]

    def _local(self, server_time: datetime | None) -> datetime | None:
        return None if server_time is None else self.transport.clock.to_local(server_time)

    async def detail(self, song_id: str, *, fresh: bool = False) -> SongDetail:
        """Details while their PlayToken (and signed lyrics links) live; `fresh` asks again."""
        cached = None if fresh else self._details.get(song_id)
        if cached is not None:
            return cached
        found = await self.details([song_id])
        if not found:
            raise NotFoundError(
                f"yinsuda: song {song_id} does not exist",
                user_message=UserMessage("歌曲不存在或已下架。", "The song does not exist any more."),
            )
        return found[0]

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        """The accompaniment segment: a file holding only SegmentBegin–SegmentEnd.

        That is what a Yinsuda song is in ktvdesk (the whole song needs Tencent's native SDK
        and the PlayToken), so a chorus request gets the same file. Asked afresh each time:
        the caller (`FreshMedia`) keeps the link and knows when it needs a new one.
        """
        request = request or MediaRequest()
        settings = self.settings
        if request.vip or await self.is_member():
            vip = await self.api.segment_url_vip(
                p.DescribeKTVMusicAccompanySegmentUrlVipRequest(MusicId=song.id, RoomId=settings.room_id)
            )
            status, url, ext, request_id = vip.Status, vip.Url, vip.ExtName, vip.RequestId
            times = SegmentTimes(mapping.segment_bounds(vip.SegmentBegin, vip.SegmentEnd))
        else:
            seg = await self.api.segment_url(
                p.DescribeKTVMusicAccompanySegmentUrlRequest(
                    MusicId=song.id, PlayScene=settings.play_scene, RoomId=settings.room_id
                )
            )
            status, url, ext, request_id = seg.Status, seg.Url, seg.ExtName, seg.RequestId
            times = SegmentTimes(
                mapping.segment_bounds(seg.SegmentBegin, seg.SegmentEnd),
                mapping.other_segments(seg.OtherSegments),
            )
        error = mapping.status_error(status, song.id, vip=request.vip)
        if error is not None:
            error.request_id = request_id
            log.info("%s (RequestId %s)", error.detail, request_id)
            raise error
        if not url:
            raise RightsError(
                f"yinsuda segment {song.id}: no Url", user_message=_NO_LINK, request_id=request_id
            )
        clock = self.transport.clock
        expires = clock.to_local(
            mapping.cdn_expiry(url, settings.url_ttl_s, settings.cdn_utc_offset_min, clock.now_datetime())
        )
        self._segments.put(song.id, times, expires_at=expires)
        return mapping.segment_source(url, ext, times.segment, times.others, expires)

    async def is_member(self) -> bool:
        """A monthly member (DescribeVipUserInfo) is served the member links (…SegmentUrlVip).

        Asked once per `MEMBERSHIP_TTL`; a failure to ask counts as "not a member", so the
        ordinary link is tried rather than nothing.
        """

        async def load() -> tuple[bool, datetime | None]:
            try:
                vip = await self.api.vip_user_info(p.DescribeVipUserInfoRequest())
            except KtvError as exc:
                log.info("yinsuda membership unknown: %s", redact(exc.detail))
                return False, self._membership.now() + MEMBERSHIP_RETRY
            return bool(vip.IsVip and vip.Status == 1), self._membership.now() + MEMBERSHIP_TTL

        return await self._membership.get_or_load("member", load)

    async def segment_times(self, song: Song) -> SegmentTimes:
        """Where the song's segment file sits in the song (asks for a link when not known)."""

        async def load() -> tuple[SegmentTimes, datetime | None]:
            source = await self.resolve_media(song)
            times = SegmentTimes(
                ClipSegment(begin_ms=source.song_offset_ms, end_ms=source.song_offset_ms + source.duration_ms)
                if source.duration_ms
                else None,
                source.other_segments,
            )
            return times, source.expires_at

        return await self._segments.get_or_load(song.id, load)

    async def _download(self, song_id: str, which: str) -> bytes | None:
        """LyricsUrl / MidiUrl content; a refused signed link gets fresh details once."""
        for fresh in (False, True):
            info = await self.detail(song_id, fresh=fresh)
            url = info.lyrics_url if which == "lyrics" else info.pitch_url
            if not url:
                return None
            try:
                return (await self.transport.fetch(url)).content
            except MediaExpiredError:
                if fresh:
                    raise
        return None

    async def fetch_pitch(self, song: Song) -> bytes | None:
        """The MidiUrl file (song times), kept for scoring."""
        data = self.pitch.get(song.id)
        if data is None:
            data = await self._download(song.id, "pitch")
            if data is not None:
                self.pitch.put(song.id, data)
        return data

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        """The whole song's WebVTT, on the segment file's timeline (shifted by SegmentBegin).

        The pitch file is fetched alongside and kept.
        """
        from ktvdesk.lyrics import parse_lyrics

        lyrics_bytes, pitch, times = await asyncio.gather(
            self._download(song.id, "lyrics"),
            self.fetch_pitch(song),
            self.segment_times(song),
            return_exceptions=True,
        )
        if isinstance(pitch, BaseException):
            if not isinstance(pitch, KtvError):
                raise pitch
            log.info("yinsuda pitch for %s unavailable: %s", song.id, redact(pitch.detail))
        if isinstance(lyrics_bytes, BaseException):
            raise lyrics_bytes
        if isinstance(times, BaseException):
            raise times
        if lyrics_bytes is None:
            return None
        lyrics = parse_lyrics(lyrics_bytes, "auto")
        return lyrics if times.segment is None else lyrics_for_segment(lyrics, times.segment)

    # -- account -----------------------------------------------------------------------------

    async def recharge_live_vip(
        self, vip_days: int, *, room_id: str | None = None, trade_serial_no: str | None = None
    ) -> tuple[str, p.RechargeLiveVipResponse]:
        """Never resent by the transport; a caller retrying by hand must pass the same serial."""
        serial = trade_serial_no or uuid.uuid4().hex
        room = room_id or self.settings.room_id
        if not room:
            raise ProviderError("yinsuda RechargeLiveVip needs a RoomId", user_message=_NO_ROOM)
        reply = await self.api.recharge_live_vip(
            p.RechargeLiveVipRequest(TradeSerialNo=serial, RoomId=room, VipDays=vip_days, PlayScene="Live")
        )
        return serial, reply


_NO_ROOM = UserMessage("请先设置房间号。", "Set the room id first.")
