"""Yinsuda payloads → `ktvdesk.models`, and the quirks that need interpreting on the way."""

from __future__ import annotations

from datetime import datetime, timedelta

from ktvdesk import expiry
from ktvdesk.catalog.base import SearchFilters
from ktvdesk.catalog.http.units import seconds_or_ms
from ktvdesk.catalog.yinsuda import payloads as p
from ktvdesk.errors import ProviderError, RightsError, UserMessage
from ktvdesk.models import (
    ClipSegment,
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

PROVIDER = "yinsuda"

# Dimension → our size labels (Mini 150², Small 240², Medium 480²).
COVER_SIZES = {"Mini": "small", "Small": "medium", "Medium": "large"}


def duration_ms(value: int | None) -> int | None:
    """`Duration` is documented in seconds, the examples send milliseconds (216000)."""
    return seconds_or_ms(value)


def prelude_ms(value: int | None) -> int | None:
    # Documented only as "前奏间隔" with examples 12 and 100: below 600 it can only be seconds.
    return seconds_or_ms(value, 600)


def right_filters(filters: SearchFilters | None) -> list[str] | None:
    if filters is None:
        return None
    wanted = [name for name, on in (("Play", filters.playable_only), ("Sing", filters.singable_only)) if on]
    return wanted or None


def material_filters(filters: SearchFilters | None) -> list[str] | None:
    if filters is None:
        return None
    wanted = [name for name, on in (("Lyrics", filters.with_lyrics), ("Midi", filters.with_pitch)) if on]
    return wanted or None


def song(
    info: p.KTVMusicBaseInfo, *, has_lyrics: bool = False, has_pitch: bool = False, known: bool = False
) -> Song:
    """`has_*` come from the caller: base info does not say; the details' LyricsUrl / MidiUrl
    do (`known`), and a MaterialFilter guarantees them."""
    covers: dict[str, str] = {}
    album = info.AlbumInfo
    if album is not None:
        for cover in album.CoverInfoSet:
            label = COVER_SIZES.get(cover.Dimension)
            if label and cover.Url:
                covers[label] = cover.Url
    return Song(
        provider=PROVIDER,
        id=info.MusicId,
        title=info.Name,
        singers=tuple(info.SingerSet),
        album=album.Name if album is not None and album.Name else None,
        covers=covers,
        duration_ms=duration_ms(info.Duration),
        rights=Rights(can_play="Play" in info.RightSet, can_sing="Sing" in info.RightSet),
        has_lyrics=has_lyrics,
        has_pitch=has_pitch,
        lyrics_known=known or has_lyrics,
        recommended=info.RecommendType == "Featured",
    )


def songs(infos: list[p.KTVMusicBaseInfo], filters: SearchFilters | None) -> tuple[Song, ...]:
    lyrics = bool(filters and filters.with_lyrics)
    pitch = bool(filters and filters.with_pitch)
    return tuple(song(info, has_lyrics=lyrics, has_pitch=pitch) for info in infos)


def cursor(scroll_token: str | None) -> str | None:
    """The ScrollToken is already opaque; an empty one means the last page."""
    return scroll_token or None


def song_page(reply: p.SearchKTVMusicsResponse, filters: SearchFilters | None) -> Page[Song]:
    """Search, tag and playlist pages share one shape: songs plus a ScrollToken."""
    return Page[Song](items=songs(reply.KTVMusicInfoSet, filters), cursor=cursor(reply.ScrollToken))


def with_materials(page: Page[Song], details: dict[str, SongDetail]) -> Page[Song]:
    """The page's songs marked from their details (LyricsUrl, MidiUrl): the Available column."""

    def marked(item: Song) -> Song:
        found = details.get(item.id)
        if found is None:
            return item
        return item.model_copy(
            update={
                "has_lyrics": found.song.has_lyrics,
                "has_pitch": found.song.has_pitch,
                "lyrics_known": True,
            }
        )

    return page.model_copy(update={"items": tuple(marked(item) for item in page.items)})


def tag_groups(groups: list[p.KTVTagGroupInfo]) -> list[TagGroup]:
    return [
        TagGroup(id=g.GroupId, name=g.Name, tags=tuple(Tag(id=t.TagId, name=t.Name) for t in g.TagInfoSet))
        for g in groups
    ]


def playlist(info: p.KTVPlaylistBaseInfo) -> PlaylistInfo:
    count = info.MusicNum
    return PlaylistInfo(
        id=info.PlaylistId,
        title=info.Title,
        song_count=int(count)
        if isinstance(count, int) or (isinstance(count, str) and count.isdigit())
        else None,
        description=info.Remark or None,
    )


def jwt_expiry(token: str | None) -> datetime | None:
    """`ExpireTime` (or the standard `exp`) of an unverified JWT; None if it is not one."""
    if not token:
        return None
    try:
        return expiry.jwt_validity(token).expires_at
    except ProviderError:  # the document's samples include non-JWT tokens
        return None


def detail(info: p.KTVMusicDetailInfo) -> SongDetail:
    clips = tuple(
        ClipSegment(begin_ms=c.StartTime, end_ms=c.EndTime)
        for c in info.ChorusClipSet
        if 0 <= c.StartTime < c.EndTime
    )
    return SongDetail(
        song=song(
            info.KTVMusicBaseInfo, has_lyrics=bool(info.LyricsUrl), has_pitch=bool(info.MidiUrl), known=True
        ),
        lyrics_url=info.LyricsUrl or None,
        pitch_url=info.MidiUrl or None,
        chorus_clips=clips,
        prelude_ms=prelude_ms(info.PreludeInterval),
        genres=tuple(info.GenreSet),
        bpm=info.BPMInfo.Value if info.BPMInfo is not None and info.BPMInfo.Value else None,
        play_token=info.PlayToken or None,
        play_token_expires_at=jwt_expiry(info.PlayToken),
    )


def cdn_issued_at(url: str, utc_offset_min: int) -> datetime | None:
    """The issue minute of a CDN timestamp-auth link `http://host/YYYYMMDDHHMM/<md5>/…`."""
    try:
        return expiry.cdn_path_issued_at(url, utc_offset_min=utc_offset_min)
    except ProviderError:  # an impossible date: treat as unstamped
        return None


def cdn_expiry(url: str, ttl_s: int, utc_offset_min: int, server_now: datetime) -> datetime:
    """When the server will refuse the link (server time); links without a stamp get `ttl_s`."""
    issued = cdn_issued_at(url, utc_offset_min)
    return (issued or server_now) + timedelta(seconds=ttl_s)


_STATUS = {
    1: ("offline", UserMessage("这首歌已下架，暂时无法播放。", "This song has been taken offline.")),
    2: ("no-rights", UserMessage("暂无这首歌的播放版权。", "We have no rights to play this song here.")),
    3: ("no-accompaniment", UserMessage("这首歌暂无伴奏。", "This song has no accompaniment yet.")),
}
_VIP_STATUS = {
    1: _STATUS[1],
    2: _STATUS[2],
    3: ("not-vip", UserMessage("需要开通包月会员才能播放。", "A monthly membership is needed to play this.")),
    4: ("no-link", UserMessage("这首歌暂无可用的播放链接。", "There is no playable link for this song.")),
}


def status_error(status: int, music_id: str, *, vip: bool = False) -> RightsError | None:
    """Segment `Status` → None when playable, else an error carrying the user message."""
    if status == 0:
        return None
    known = (_VIP_STATUS if vip else _STATUS).get(status)
    code, message = known or (
        "unknown",
        UserMessage("这首歌暂时无法播放。", "This song cannot be played right now."),
    )
    return RightsError(
        f"yinsuda segment {music_id}: Status {status} ({code})",
        user_message=message,
        code=f"Status{status}",
    )


def segment_bounds(begin: int | None, end: int | None) -> ClipSegment | None:
    """`SegmentBegin`/`SegmentEnd` (song times, ms) as a segment; None when not a valid pair."""
    if begin is None or end is None or not 0 <= begin < end:
        return None
    return ClipSegment(begin_ms=begin, end_ms=end)


def other_segments(others: list[p.KTVOtherSegments] | None) -> tuple[ClipSegment, ...]:
    return tuple(
        found
        for found in (segment_bounds(o.SegmentBegin, o.SegmentEnd) for o in others or ())
        if found is not None
    )


def segment_source(
    url: str,
    ext: str | None,
    segment: ClipSegment | None,
    others: tuple[ClipSegment, ...],
    expires_at: datetime,
) -> MediaSource:
    """The accompaniment segment file: its own timeline starts at `SegmentBegin`.

    The file holds only the segment, so it plays from its 0 ms to its end, which is the
    song's normal end (no clip window inside it); its length is `SegmentEnd − SegmentBegin`
    (the player takes the file's own length when that is longer).
    """
    return MediaSource(
        url=url,
        expires_at=expires_at,
        container=ext or None,
        layout=VocalLayout.ACCOMPANIMENT_ONLY,
        duration_ms=segment.duration_ms if segment is not None else None,
        song_offset_ms=segment.begin_ms if segment is not None else 0,
        other_segments=others,
    )
