"""Domain models shared by every provider, the engine, storage and the UI.

Pydantic at the boundaries (providers map API payloads into these, storage and the CLI
serialise them). Times are integer milliseconds; wall-clock expiries are aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rights(_Model):
    """What the licence allows: 可播 (play the recording) and 可唱 (sing over it)."""

    can_play: bool = True
    can_sing: bool = True


class Song(_Model):
    provider: str
    id: str
    title: str
    singers: tuple[str, ...] = ()
    album: str | None = None
    covers: dict[str, str] = Field(default_factory=dict)  # size label ("small", "medium", "large") → URL
    duration_ms: int | None = None
    rights: Rights = Rights()
    has_lyrics: bool = False
    has_pitch: bool = False
    # False when the catalog's listing does not say whether lyrics exist (Xiaowei lists never
    # do): `has_lyrics` False then means "not known", not "none".
    lyrics_known: bool = True
    recommended: bool = False
    copyright_channel: int | None = None  # ZEGO: 0 means the owner's logo must be shown
    path: str | None = None  # local library only: the media file

    @property
    def key(self) -> str:
        """Identity across providers: the same id may exist in two catalogs."""
        return f"{self.provider}:{self.id}"

    @property
    def singers_text(self) -> str:
        return " / ".join(self.singers)

    @property
    def needs_owner_badge(self) -> bool:
        return self.copyright_channel == 0


class ClipSegment(_Model):
    begin_ms: int
    end_ms: int

    @field_validator("end_ms")
    @classmethod
    def _ordered(cls, end_ms: int, info: ValidationInfo) -> int:
        begin = info.data.get("begin_ms", 0)
        if end_ms <= begin:
            raise ValueError("clip end must be after its begin")
        return end_ms

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.begin_ms


class SongDetail(_Model):
    song: Song
    lyrics_url: str | None = None
    pitch_url: str | None = None
    chorus_clips: tuple[ClipSegment, ...] = ()
    prelude_ms: int | None = None
    genres: tuple[str, ...] = ()
    language: str | None = None
    bpm: int | None = None
    play_token: str | None = None
    play_token_expires_at: datetime | None = None


class Tag(_Model):
    id: str
    name: str


class TagGroup(_Model):
    id: str
    name: str
    tags: tuple[Tag, ...] = ()


class PlaylistInfo(_Model):
    id: str
    title: str
    cover_url: str | None = None
    song_count: int | None = None
    description: str | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of results. `cursor` is opaque: pass it back to get the next page."""

    model_config = ConfigDict(frozen=True)

    items: tuple[T, ...] = ()
    cursor: str | None = None
    total: int | None = None

    @property
    def has_more(self) -> bool:
        return self.cursor is not None


class PlayMode(StrEnum):
    """How the queue moves on; named after the Yinsuda robot's play modes."""

    ORDER = "Order"  # play through once
    REPEAT_PLAYLIST = "RepeatPlaylist"  # a finished entry goes back to the end
    REPEAT_SINGLE = "RepeatSingle"  # the current entry again until skipped
    SHUFFLE = "Shuffle"  # a random upcoming entry each time


class VocalLayout(StrEnum):
    """How the original vocal and the accompaniment are laid out in the media."""

    MIXED = "mixed"  # one mix: accompaniment only through vocal reduction
    TWO_TRACKS = "two_tracks"  # two audio tracks: one original, one accompaniment
    LEFT_RIGHT = "left_right"  # stereo where one channel carries the vocal mix (VOB/MPG KTV)
    SEPARATE_FILE = "separate_file"  # the accompaniment is another file/URL
    ACCOMPANIMENT_ONLY = "accompaniment_only"  # cloud clips that have no vocal at all


class Channel(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class MediaSource(_Model):
    url: str  # file path, file:// or http(s) URL
    expires_at: datetime | None = None
    container: str | None = None  # "mkv", "m4a", "mp3"…
    layout: VocalLayout = VocalLayout.MIXED
    original_track: int = 0  # index among audio tracks, for TWO_TRACKS
    accompaniment_track: int = 1
    vocal_channel: Channel = Channel.LEFT  # for LEFT_RIGHT: the channel holding the original
    accompaniment_url: str | None = None  # for SEPARATE_FILE
    clip: ClipSegment | None = None
    prelude_ms: int = 0
    duration_ms: int | None = None
    replaygain_db: float | None = None
    user_agent: str | None = None
    # A file holding only part of a song (a Yinsuda accompaniment segment): the song time
    # at the file's 0 ms. Positions stay file times; the lyrics come already shifted.
    song_offset_ms: int = 0
    # Further parts of the song the cloud named (Yinsuda OtherSegments, for 抢唱), song times.
    other_segments: tuple[ClipSegment, ...] = ()
    # A picture stream played over the audio (`url`): the CD+G graphics of an MP3+G song or
    # an UltraStar song's video. The graphics of CD+G are its lyrics (issue 18).
    video_url: str | None = None
    # UltraStar #VIDEOGAP: the video runs this far ahead of the audio (negative: it starts
    # that long after the song; the rule is in playback/video_gap.py).
    video_gap_ms: int = 0

    @property
    def is_network(self) -> bool:
        return self.url.startswith(("http://", "https://"))

    def expired(self, now: datetime | None = None, margin_ms: int = 0) -> bool:
        if self.expires_at is None:
            return False
        current = now or datetime.now(UTC)
        return (self.expires_at - current).total_seconds() * 1000 <= margin_ms
