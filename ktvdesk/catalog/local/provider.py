"""`LocalLibraryProvider`: the `CatalogProvider` over the SQLite library index.

Every call runs in a worker thread (`asyncio.to_thread`). A search at 100,000 songs takes
a few milliseconds, but a scan takes seconds and even a short query blocks whatever else
the GUI's event loop should be doing (the lyric view repaints every frame), so nothing
touches SQLite or the disk on the loop thread. The index keeps one connection per worker
thread and WAL lets a scan write while searches read. A cancelled search (a newer
keystroke) simply lets its worker finish a query that costs milliseconds.

Tag ids are `facet:value`: `initial:Z` (singers A–Z), `singer:周杰伦`, `genre:民歌`,
`language:国语`, `title_len:3` (字数点歌) and `folder:/path`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.cursor import offset_of
from ktvdesk.catalog.local.chorus import find_chorus
from ktvdesk.catalog.local.index import LibraryIndex, ScanReport
from ktvdesk.errors import KtvError, NotFoundError, UserMessage
from ktvdesk.lyrics import Lyrics
from ktvdesk.models import (
    Channel,
    ClipSegment,
    MediaSource,
    Page,
    PlaylistInfo,
    Song,
    SongDetail,
    Tag,
    TagGroup,
)
from ktvdesk.paths import cache_dir

log = logging.getLogger(__name__)

PROVIDER_NAME = "local"
DEMO_ROOT = "demo"  # the bundled demo library, wherever the app is installed
_FACET_GROUPS = (
    ("genre", "曲风"),
    ("language", "语种"),
    ("title_len", "字数"),
    ("folder", "文件夹"),
)
_SONG_GONE = UserMessage("这首歌的文件已不在曲库中。", "The file of this song is no longer in the library.")


def _page(items: list[Song], offset: int, limit: int) -> Page[Song]:
    # One extra row was asked for: it tells whether a next page exists without a COUNT.
    more = len(items) > limit
    return Page[Song](items=tuple(items[:limit]), cursor=str(offset + limit) if more else None)


class LocalLibraryProvider:
    name = PROVIDER_NAME

    def __init__(
        self,
        index: LibraryIndex | str | Path,
        *,
        roots: Iterable[str | Path] = (),
        split_folders: Mapping[Path, Channel] | None = None,
    ) -> None:
        self._owns_index = not isinstance(index, LibraryIndex)
        self.index = index if isinstance(index, LibraryIndex) else LibraryIndex(index)
        self.roots = [Path(root) for root in roots]
        self.split_folders = dict(split_folders or {})

    async def scan(self, roots: Iterable[str | Path] | None = None) -> ScanReport:
        """Rescan the configured folders (or `roots`); unchanged files cost one stat each."""
        targets = [Path(root) for root in roots] if roots is not None else self.roots
        return await asyncio.to_thread(self.index.scan, targets, split_folders=self.split_folders)

    async def prune(self, roots: Iterable[str | Path], *, demo: Path | None = None) -> int:
        """Start-up housekeeping: the demo library follows the app to where it lives now,
        and songs under no configured folder leave the index. Returns how many left."""
        return await asyncio.to_thread(self._prune, list(roots), demo)

    async def prune_and_scan(
        self, roots: Iterable[str | Path], *, demo: Path | None = None
    ) -> tuple[int, ScanReport | None]:
        """`prune`, then `scan` of `roots` (None without any), in one worker call: the app's
        start-up has a single await to lose if it is shut down meanwhile."""
        targets = [Path(root) for root in roots]

        def work() -> tuple[int, ScanReport | None]:
            pruned = self._prune(targets, demo)
            report = self.index.scan(targets, split_folders=self.split_folders) if targets else None
            return pruned, report

        return await asyncio.to_thread(work)

    def _prune(self, roots: list[Path] | list[str | Path], demo: Path | None) -> int:
        if demo is not None:
            self.index.follow_moved_root(DEMO_ROOT, demo)
        return self.index.prune_outside(roots)

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        filters = filters or SearchFilters()
        if filters.with_pitch:
            return Page[Song]()  # local files carry no pitch data
        offset = offset_of(cursor)
        items = await asyncio.to_thread(
            self.index.search, query, limit + 1, offset, with_lyrics=filters.with_lyrics
        )
        return _page(items, offset, limit)

    async def charts(self, *, limit: int = 20) -> list[Song]:
        """The most played songs of the library; not part of the protocol."""
        return await asyncio.to_thread(self.index.charts, limit)

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]:
        return await asyncio.to_thread(self.index.suggest, prefix, limit)

    async def singers(
        self, initial: str | None = None, *, offset: int = 0, limit: int = 100
    ) -> list[tuple[str, int]]:
        """Singers A–Z with their song counts (the 歌手点歌 page): `SingerDirectory`."""
        return await asyncio.to_thread(self.index.singers, initial, offset=offset, limit=limit)

    async def songs_of_singer(self, name: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        """`SingerDirectory`: the singer's songs (the `singer:` tag scheme stays in here)."""
        return await self.songs_by_tag(f"singer:{name}", cursor=cursor, limit=limit)

    async def tags(self) -> list[TagGroup]:
        return await asyncio.to_thread(self._tags)

    def _tags(self) -> list[TagGroup]:
        groups = [
            TagGroup(
                id="initial",
                name="歌手",
                tags=tuple(
                    Tag(id=f"initial:{letter}", name=letter) for letter, _ in self.index.singer_initials()
                ),
            )
        ]
        for facet, name in _FACET_GROUPS:
            values = self.index.facet_counts(facet)
            if facet == "title_len":
                values.sort(key=lambda item: int(item[0]))
            tags = tuple(Tag(id=f"{facet}:{value}", name=self._tag_name(facet, value)) for value, _ in values)
            groups.append(TagGroup(id=facet, name=name, tags=tags))
        return groups

    @staticmethod
    def _tag_name(facet: str, value: str) -> str:
        if facet == "title_len":
            return f"{value}字"
        if facet == "folder":
            return Path(value).name or value
        return value

    async def songs_by_tag(self, tag_id: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        facet, _, value = tag_id.partition(":")
        offset = offset_of(cursor)
        if facet == "singer":
            items = await asyncio.to_thread(self.index.songs_of_singer, value, offset=offset, limit=limit + 1)
        elif facet == "initial":
            items = await asyncio.to_thread(
                self.index.songs_of_initial, value, offset=offset, limit=limit + 1
            )
        elif facet in ("genre", "language", "title_len", "folder"):
            items = await asyncio.to_thread(
                self.index.songs_by_facet, facet, value, offset=offset, limit=limit + 1
            )
        else:
            raise NotFoundError(
                f"unknown local tag {tag_id!r}",
                user_message=UserMessage("没有这个分类。", "This category does not exist."),
            )
        return _page(items, offset, limit)

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]:
        return Page[PlaylistInfo]()  # the user's own playlists live in storage, not in the index

    async def playlist_songs(
        self, playlist_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]:
        raise NotFoundError(
            f"the local library has no playlist {playlist_id!r}",
            user_message=UserMessage("没有这个歌单。", "This playlist does not exist."),
        )

    async def details(self, song_ids: list[str]) -> list[SongDetail]:
        return await asyncio.to_thread(self._details, song_ids)

    def _details(self, song_ids: list[str]) -> list[SongDetail]:
        details = []
        for song in self.index.songs(song_ids):
            genre, language = self.index.song_facets(song.id)
            media = self.index.media_row(song.id)
            lyrics_url = media.lyrics_path if media else None
            chorus = self._chorus(song)
            details.append(
                SongDetail(
                    song=song,
                    genres=(genre,) if genre else (),
                    language=language,
                    lyrics_url=lyrics_url,
                    chorus_clips=(chorus,) if chorus is not None else (),
                )
            )
        return details

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        """The file; with a clip request, its chorus found in the lyrics (`chorus.py`).
        A song without one comes whole (`clip` None): the caller says so."""
        want_clip = request is not None and request.clip
        return await asyncio.to_thread(self._resolve, song, want_clip)

    async def chorus(self, song: Song) -> ClipSegment | None:
        """The chorus clip of a local song, or None when its lyrics show no chorus."""
        return await asyncio.to_thread(self._chorus, song)

    def _chorus(self, song: Song) -> ClipSegment | None:
        try:
            lyrics = self._lyrics(song)
        except KtvError as exc:  # damaged lyrics: no chorus to find in them
            log.info("no chorus for %s: %s", song.key, exc.detail)
            return None
        found = find_chorus(lyrics, duration_ms=song.duration_ms)
        return found.clip if found is not None else None

    def _resolve(self, song: Song, want_clip: bool = False) -> MediaSource:
        # Karaoke formats' readers load with the first song played, not with the library.
        from ktvdesk.catalog.local.karaoke_media import KARAOKE_KINDS, file_source

        row = self.index.media_row(song.id) if song.provider == PROVIDER_NAME else None
        if row is None or not Path(row.path).is_file():
            raise NotFoundError(f"local song {song.key} has no file (any more)", user_message=_SONG_GONE)
        # UltraStar, MP3+G and MIDI (issue 18) clip themselves; other files play their chorus.
        chorus = self._chorus(song) if want_clip and row.kind not in KARAOKE_KINDS else None
        return file_source(row, want_clip=want_clip, cache=cache_dir(), chorus=chorus)

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        """The sidecar parsed by the lyrics engine; None without one. A damaged sidecar
        raises `LyricsError` (with its user message): the song still plays without lyrics."""
        return await asyncio.to_thread(self._lyrics, song)

    def _lyrics(self, song: Song) -> Lyrics | None:
        row = self.index.media_row(song.id) if song.provider == PROVIDER_NAME else None
        if row is None or row.lyrics_path is None:
            return None
        try:
            data = Path(row.lyrics_path).read_bytes()
        except OSError as exc:
            log.warning("lyrics of %s unreadable: %s", song.key, exc)
            return None
        from ktvdesk.lyrics import parse_lyrics  # the parsers load with the first lyrics

        return parse_lyrics(data)

    async def aclose(self) -> None:
        if self._owns_index:
            self.index.close()
