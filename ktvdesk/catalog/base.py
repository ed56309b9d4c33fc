"""What every song source offers: the local library and the three cloud catalogs.

The UI and the engine only ever talk to this protocol. Paging uses opaque cursors so that
each provider can keep its own scheme (Yinsuda ScrollToken, Xiaowei page numbers, SQLite
offsets) without the callers knowing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ktvdesk.lyrics import Lyrics
    from ktvdesk.models import MediaSource, Page, PlaylistInfo, PlayMode, Song, SongDetail, TagGroup


@dataclass(frozen=True, slots=True)
class SearchFilters:
    playable_only: bool = False  # 可播
    singable_only: bool = False  # 可唱
    with_lyrics: bool = False
    with_pitch: bool = False


@dataclass(frozen=True, slots=True)
class MediaRequest:
    """What the engine wants to play: the whole song, or only the chorus clip."""

    clip: bool = False
    vip: bool = False


@runtime_checkable
class CatalogProvider(Protocol):
    name: str  # "local", "yinsuda", "xiaowei", "zego"

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]: ...

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]: ...

    async def tags(self) -> list[TagGroup]: ...

    async def songs_by_tag(
        self, tag_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]: ...

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]: ...

    async def playlist_songs(
        self, playlist_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]: ...

    async def details(self, song_ids: list[str]) -> list[SongDetail]: ...

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource: ...

    async def fetch_lyrics(self, song: Song) -> Lyrics | None: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class PlaybackReporter(Protocol):
    """Optional: a catalog whose rights holder wants to hear about every play.

    The session calls it once per queued song, in the background: a report never delays
    the next song. `completed` is True when the song ended by itself (sung to its end, or
    playback gave up on it) and False only when the user skipped it: a failure is never
    reported as a skip. `listened_ms` is how far the song got (from the clip start in clip
    mode).
    """

    async def report_played(
        self, song: Song, *, url: str, listened_ms: int, completed: bool, play_mode: PlayMode
    ) -> None: ...
