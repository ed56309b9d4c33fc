"""Stored songs: one row per song any list refers to, and the unavailable flag.

Every list (favorites, history, playlists, queue) refers to a `songs` row, so a song's
metadata and its availability live in one place: a song marked unavailable shows so in
every list, and is never dropped from any of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from ktvdesk.errors import DamagedMediaError, KtvError, NotFoundError, PlaybackError, RightsError, UserMessage
from ktvdesk.models import Song
from ktvdesk.storage.connection import Database


class Unavailable(StrEnum):
    """Why a stored song cannot be played now."""

    FILE_MISSING = "file_missing"  # a local file was moved or deleted
    NOT_FOUND = "not_found"  # the provider no longer has it
    NO_RIGHTS = "no_rights"  # the provider may not play it here (any more)
    NOT_LOCAL = "not_local"  # an M3U8 entry that is not a local file
    UNREADABLE = "unreadable"  # the stored metadata no longer parses (written by another version)
    DAMAGED = "damaged"  # the file is there but cannot be played (damaged, not media)
    OTHER = "other"


UNAVAILABLE_MESSAGES: dict[Unavailable, UserMessage] = {
    Unavailable.FILE_MISSING: UserMessage("文件已被移动或删除", "The file was moved or deleted"),
    Unavailable.NOT_FOUND: UserMessage("曲库中已没有这首歌", "The catalog no longer has this song"),
    Unavailable.NO_RIGHTS: UserMessage("暂无版权，无法播放", "Not licensed for playback here"),
    Unavailable.NOT_LOCAL: UserMessage("不是本地文件", "Not a local file"),
    Unavailable.UNREADABLE: UserMessage("歌曲信息无法读取", "The song information cannot be read"),
    Unavailable.DAMAGED: UserMessage(
        "文件已损坏或不是音视频文件", "The file is damaged or not an audio/video file"
    ),
    Unavailable.OTHER: UserMessage("暂时无法播放", "Cannot be played at the moment"),
}


def reason_for(error: BaseException) -> Unavailable | None:
    """Whether a failure to resolve or play a song says the song itself is gone.

    Transient or environmental failures (network, rate limit, expired URL, missing
    credentials) return None: flagging songs for those would mark the whole library.
    """
    if isinstance(error, KtvError) and error.retryable:
        return None
    if isinstance(error, RightsError):
        return Unavailable.NO_RIGHTS
    if isinstance(error, NotFoundError):
        return Unavailable.NOT_FOUND
    if isinstance(error, FileNotFoundError):
        return Unavailable.FILE_MISSING
    if isinstance(error, DamagedMediaError):
        return Unavailable.DAMAGED
    if isinstance(error, PlaybackError):
        return Unavailable.OTHER
    return None


SongRef = Song | str  # a Song, or its key "provider:id"

SINGER_SEPARATOR = " / "
_PARSE_CACHE_SIZE = 4096

# Columns every list query selects first, in this order, to build a SongEntry.
# The JSON comes as a BLOB: UTF-8 bytes are what the parser wants, and a list of 1,000 rows
# skips 1,000 decodes to str for the rows nobody draws.
SONG_COLUMNS = "CAST(s.json AS BLOB), s.unavailable_reason, s.unavailable_detail, s.provider, s.song_id, s.title, s.singers"
SONG_COLUMN_COUNT = 7
_JSON, _REASON, _DETAIL, _PROVIDER, _SONG_ID, _TITLE, _SINGERS = range(SONG_COLUMN_COUNT)


class SongEntry:
    """A song as a list shows it: the metadata plus whether it can be played.

    Entries read from the database keep their row and parse the stored JSON on first use
    of `song` or `unavailable`, not when the list loads: a view of 1,000 favorites pays
    only for the rows it draws. `key`, `title` and `singers_text` come from columns.
    """

    __slots__ = ("_cache", "_row", "_song", "_unavailable", "_unavailable_detail")

    def __init__(
        self, song: Song, unavailable: Unavailable | None = None, unavailable_detail: str | None = None
    ) -> None:
        self._song: Song | None = song
        self._row: tuple[Any, ...] | None = None
        self._cache: dict[bytes, Song] | None = None
        self._unavailable = unavailable
        self._unavailable_detail = unavailable_detail

    @classmethod
    def _from_row(cls, row: tuple[Any, ...], cache: dict[bytes, Song]) -> SongEntry:
        # The hot path of every list query: no copies, no conversions, no parsing.
        entry = cls.__new__(cls)
        entry._row = row
        entry._cache = cache
        entry._song = cache.get(row[_JSON])
        reason = row[_REASON]
        entry._unavailable = None if reason is None else _reason(reason)
        entry._unavailable_detail = row[_DETAIL]
        return entry

    @property
    def song(self) -> Song:
        return self._song if self._song is not None else self._parse()

    @property
    def unavailable(self) -> Unavailable | None:
        if self._song is None:
            self._parse()
        return self._unavailable

    @property
    def unavailable_detail(self) -> str | None:
        if self._song is None:
            self._parse()
        return self._unavailable_detail

    @property
    def key(self) -> str:
        row = self._row
        return f"{row[_PROVIDER]}:{row[_SONG_ID]}" if row is not None else self.song.key

    @property
    def title(self) -> str:
        return str(self._row[_TITLE]) if self._row is not None else self.song.title

    @property
    def singers_text(self) -> str:
        return str(self._row[_SINGERS]) if self._row is not None else self.song.singers_text

    @property
    def available(self) -> bool:
        return self.unavailable is None

    def reason_text(self, lang: str) -> str | None:
        reason = self.unavailable
        return None if reason is None else UNAVAILABLE_MESSAGES[reason].text(lang)

    def listed_reason_text(self, lang: str) -> str | None:
        """`reason_text` from the stored flag, without parsing the song (a long list's
        rows); the song's own JSON turning out unreadable shows once it is parsed."""
        reason = self._unavailable
        return None if reason is None else UNAVAILABLE_MESSAGES[reason].text(lang)

    def _parse(self) -> Song:
        row, cache = self._row, self._cache
        assert row is not None and cache is not None  # entries built from a Song have one
        try:
            song = Song.model_validate_json(row[_JSON])
        except ValidationError as exc:
            # Never drop a song because its JSON went stale: show what the columns know.
            song = Song(
                provider=str(row[_PROVIDER]),
                id=str(row[_SONG_ID]),
                title=str(row[_TITLE]),
                singers=tuple(s for s in str(row[_SINGERS]).split(SINGER_SEPARATOR) if s),
            )
            self._unavailable = Unavailable.UNREADABLE
            self._unavailable_detail = f"{exc.error_count()} validation errors"
        else:
            if len(cache) >= _PARSE_CACHE_SIZE:
                cache.clear()
            cache[row[_JSON]] = song
        self._song = song
        return song

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SongEntry):
            return NotImplemented
        return (self.song, self.unavailable, self.unavailable_detail) == (
            other.song,
            other.unavailable,
            other.unavailable_detail,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside; compare, don't hash

    def __repr__(self) -> str:
        return f"SongEntry({self.key!r}, {self.title!r}, unavailable={self.unavailable!r})"


def key_of(ref: SongRef) -> str:
    return ref if isinstance(ref, str) else ref.key


SongRow = tuple[str, str, str, str, str, str]
"""A song ready to store: key, provider, id, title, singers text and its JSON (`song_row`)."""


def song_row(song: Song) -> SongRow:
    return (song.key, song.provider, song.id, song.title, song.singers_text, song.model_dump_json())


class SongStore:
    """Song rows shared by the lists. `upsert`/`id_of` run inside a caller's transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # Views re-read the same songs over and over; validating their JSON is the dominant
        # cost of showing a list, and Song is frozen, so parsed songs are shared.
        self._parsed: dict[bytes, Song] = {}

    # -- building blocks for the other stores ------------------------------------------------

    def upsert(self, conn: sqlite3.Connection, song: Song, *, overwrite: bool = True) -> int:
        """The row id of `song`, inserting it; `overwrite` refreshes stored metadata."""
        return self.upsert_many(conn, (song,), overwrite=overwrite)[0]

    def upsert_many(
        self, conn: sqlite3.Connection, songs: Iterable[Song], *, overwrite: bool = True
    ) -> list[int]:
        """Row ids of `songs`, in order. One read finds the stored ones, and only new songs
        (and, with `overwrite`, changed metadata) are written: the queue mirror saves the
        whole queue on every change, and 300 songs at two statements each held the GIL
        long enough to be seen in the lyric view's frames."""
        return self.upsert_rows(conn, [song_row(song) for song in songs], overwrite=overwrite)

    def upsert_rows(
        self, conn: sqlite3.Connection, rows: Sequence[SongRow], *, overwrite: bool = True
    ) -> list[int]:
        """`upsert_many` of songs already made into rows (an import's child process made
        them: nothing is validated or dumped here)."""
        stored = _stored_rows(conn, {row[0] for row in rows})
        ids: list[int] = []
        for row in rows:
            key, text = row[0], row[5]
            found = stored.get(key)
            if found is None:
                found = stored[key] = (self._insert(conn, row), text)
            elif overwrite and found[1] != text:
                conn.execute(
                    "UPDATE songs SET title = ?, singers = ?, json = ?, updated_at_ms = ? WHERE id = ?",
                    (row[3], row[4], text, self._db.clock_ms(), found[0]),
                )
                found = stored[key] = (found[0], text)
            ids.append(found[0])
        return ids

    def _insert(self, conn: sqlite3.Connection, row: SongRow) -> int:
        cursor = conn.execute(
            """INSERT INTO songs (key, provider, song_id, title, singers, json, updated_at_ms)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (*row, self._db.clock_ms()),
        )
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)

    @staticmethod
    def stored_keys(conn: sqlite3.Connection, keys: Iterable[str]) -> set[str]:
        """Which of `keys` are stored (a read per 500 keys, not one per key)."""
        return set(_stored_rows(conn, set(keys)))

    @staticmethod
    def id_of(conn: sqlite3.Connection, ref: SongRef) -> int | None:
        row = conn.execute("SELECT id FROM songs WHERE key = ?", (key_of(ref),)).fetchone()
        return None if row is None else int(row[0])

    def entry(self, row: tuple[Any, ...]) -> SongEntry:
        """A SongEntry from a row starting with SONG_COLUMNS (parsed lazily)."""
        return SongEntry._from_row(row, self._parsed)

    # -- public operations -------------------------------------------------------------------

    def get(self, ref: SongRef) -> SongEntry | None:
        with self._db.reading() as conn:
            row = conn.execute(
                f"SELECT {SONG_COLUMNS} FROM songs s WHERE s.key = ?", (key_of(ref),)
            ).fetchone()
        return None if row is None else self.entry(row)

    def mark_unavailable(self, ref: SongRef, reason: Unavailable, detail: str | None = None) -> bool:
        """Flag a stored song as unplayable (it stays in every list). False if not stored."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                """UPDATE songs SET unavailable_reason = ?, unavailable_detail = ?, unavailable_at_ms = ?
                   WHERE key = ?""",
                (Unavailable(reason).value, detail, self._db.clock_ms(), key_of(ref)),
            )
        return cursor.rowcount > 0

    def mark_unresolvable(self, ref: SongRef, error: BaseException) -> Unavailable | None:
        """Flag the song if `error` says it is gone (see `reason_for`); returns the reason."""
        reason = reason_for(error)
        if reason is not None and self.mark_unavailable(ref, reason, str(error)[:500] or None):
            return reason
        return None

    def mark_available(self, ref: SongRef) -> bool:
        """Clear the flag (the song resolved again). False if not stored or not flagged."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                """UPDATE songs SET unavailable_reason = NULL, unavailable_detail = NULL,
                   unavailable_at_ms = NULL WHERE key = ? AND unavailable_reason IS NOT NULL""",
                (key_of(ref),),
            )
        return cursor.rowcount > 0

    def unavailable(self) -> list[SongEntry]:
        with self._db.reading() as conn:
            rows = conn.execute(
                f"""SELECT {SONG_COLUMNS} FROM songs s WHERE s.unavailable_reason IS NOT NULL
                    ORDER BY s.unavailable_at_ms DESC, s.id DESC"""
            ).fetchall()
        return [self.entry(row) for row in rows]

    def prune(self) -> int:
        """Delete songs no list refers to any more; returns how many."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                """DELETE FROM songs WHERE
                     NOT EXISTS (SELECT 1 FROM favorites WHERE song = songs.id)
                     AND NOT EXISTS (SELECT 1 FROM history WHERE song = songs.id)
                     AND NOT EXISTS (SELECT 1 FROM playlist_items WHERE song = songs.id)
                     AND NOT EXISTS (SELECT 1 FROM queue_items WHERE song = songs.id)
                     AND NOT EXISTS (SELECT 1 FROM song_stats WHERE song = songs.id)"""
            )
        return cursor.rowcount

    def count(self) -> int:
        with self._db.reading() as conn:
            return int(conn.execute("SELECT count(*) FROM songs").fetchone()[0])


_KEYS_PER_READ = 500  # well under SQLite's bound-parameter limit


def _stored_rows(conn: sqlite3.Connection, keys: set[str]) -> dict[str, tuple[int, str | None]]:
    """`key → (id, json)` of the stored songs among `keys`."""
    found: dict[str, tuple[int, str | None]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), _KEYS_PER_READ):
        chunk = ordered[start : start + _KEYS_PER_READ]
        marks = ",".join("?" * len(chunk))
        for key, row_id, text in conn.execute(
            f"SELECT key, id, json FROM songs WHERE key IN ({marks})", chunk
        ):
            found[key] = (int(row_id), text)
    return found


def _reason(value: object) -> Unavailable | None:
    if value is None:
        return None
    try:
        return Unavailable(str(value))
    except ValueError:  # a reason added by a newer ktvdesk
        return Unavailable.OTHER
