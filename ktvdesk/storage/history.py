"""Play history: every play with when, how long, how it ended and the vocal mode; plus the
most-sung and recently-sung lists, read from the `song_stats` summary a trigger keeps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ktvdesk.models import Song
from ktvdesk.storage.connection import Database
from ktvdesk.storage.songs import SONG_COLUMN_COUNT, SONG_COLUMNS, SongEntry, SongRef, SongStore, key_of

# A play counts as sung when it completed or lasted this long (KTV singers cut the outro).
# Frozen into schema migration 3's trigger; a test checks they agree.
SUNG_MIN_LISTENED_MS = 60_000
DEFAULT_PAGE_SIZE = 50


class PlayOutcome(StrEnum):
    COMPLETED = "completed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    entry: SongEntry
    played_at_ms: int  # wall clock, Unix epoch ms, when the play started
    listened_ms: int
    outcome: PlayOutcome
    vocal_mode: str

    @property
    def song(self) -> Song:
        return self.entry.song


@dataclass(frozen=True, slots=True)
class HistoryPage:
    items: tuple[HistoryEntry, ...]
    cursor: str | None  # opaque; pass back to `History.page` for the next (older) page

    @property
    def has_more(self) -> bool:
        return self.cursor is not None


@dataclass(frozen=True, slots=True)
class SungSong:
    entry: SongEntry
    sung_count: int
    last_sung_ms: int

    @property
    def song(self) -> Song:
        return self.entry.song


@dataclass(frozen=True, slots=True)
class SongStats:
    play_count: int
    sung_count: int
    last_played_ms: int
    last_sung_ms: int | None


def counts_as_sung(outcome: PlayOutcome, listened_ms: int) -> bool:
    return outcome is PlayOutcome.COMPLETED or listened_ms >= SUNG_MIN_LISTENED_MS


class History:
    def __init__(self, db: Database, songs: SongStore) -> None:
        self._db = db
        self._songs = songs

    def record(
        self,
        song: Song,
        *,
        listened_ms: int,
        outcome: PlayOutcome,
        vocal_mode: str,
        played_at_ms: int | None = None,
    ) -> int:
        """Append one play; returns its id."""
        if listened_ms < 0:
            raise ValueError("listened_ms must be >= 0")
        if not vocal_mode:
            raise ValueError("vocal_mode must not be empty")
        when_ms = self._db.clock_ms() if played_at_ms is None else played_at_ms
        with self._db.transaction() as conn:
            song_id = self._songs.upsert(conn, song)
            cursor = conn.execute(
                """INSERT INTO history (song, played_at_ms, listened_ms, outcome, vocal_mode)
                   VALUES (?, ?, ?, ?, ?)""",
                (song_id, when_ms, listened_ms, PlayOutcome(outcome).value, str(vocal_mode)),
            )
        return int(cursor.lastrowid or 0)

    def page(self, *, limit: int = DEFAULT_PAGE_SIZE, cursor: str | None = None) -> HistoryPage:
        """The History view: newest plays first, `limit` at a time (keyset pagination, so a
        page costs the same at the end of 100,000 rows as at the start)."""
        if limit <= 0:
            raise ValueError("limit must be positive")
        params: tuple[int, ...]
        if cursor is None:
            where, params = "", ()
        else:
            before_ms, before_id = _parse_cursor(cursor)
            where, params = "WHERE (h.played_at_ms, h.id) < (?, ?)", (before_ms, before_id)
        with self._db.reading() as conn:
            rows = conn.execute(
                f"""SELECT {SONG_COLUMNS}, h.id, h.played_at_ms, h.listened_ms, h.outcome, h.vocal_mode
                    FROM history h JOIN songs s ON s.id = h.song {where}
                    ORDER BY h.played_at_ms DESC, h.id DESC LIMIT ?""",
                (*params, limit + 1),
            ).fetchall()
        n = SONG_COLUMN_COUNT
        items = tuple(
            HistoryEntry(
                id=int(row[n]),
                entry=self._songs.entry(row),
                played_at_ms=int(row[n + 1]),
                listened_ms=int(row[n + 2]),
                outcome=PlayOutcome(row[n + 3]),
                vocal_mode=str(row[n + 4]),
            )
            for row in rows[:limit]
        )
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = f"{last.played_at_ms}:{last.id}"
        return HistoryPage(items, next_cursor)

    def most_sung(self, *, limit: int = 20) -> list[SungSong]:
        return self._sung("WHERE st.sung_count > 0 ORDER BY st.sung_count DESC, st.last_sung_ms DESC", limit)

    def recently_sung(self, *, limit: int = 20) -> list[SungSong]:
        """Distinct songs, most recently sung first."""
        return self._sung("WHERE st.last_sung_ms IS NOT NULL ORDER BY st.last_sung_ms DESC", limit)

    def _sung(self, where_order: str, limit: int) -> list[SungSong]:
        with self._db.reading() as conn:
            rows = conn.execute(
                f"""SELECT {SONG_COLUMNS}, st.sung_count, st.last_sung_ms
                    FROM song_stats st JOIN songs s ON s.id = st.song {where_order} LIMIT ?""",
                (limit,),
            ).fetchall()
        n = SONG_COLUMN_COUNT
        return [SungSong(self._songs.entry(row), int(row[n]), int(row[n + 1])) for row in rows]

    def stats(self, ref: SongRef) -> SongStats | None:
        with self._db.reading() as conn:
            row = conn.execute(
                """SELECT st.play_count, st.sung_count, st.last_played_ms, st.last_sung_ms
                   FROM song_stats st JOIN songs s ON s.id = st.song WHERE s.key = ?""",
                (key_of(ref),),
            ).fetchone()
        if row is None:
            return None
        return SongStats(int(row[0]), int(row[1]), int(row[2]), None if row[3] is None else int(row[3]))

    def count(self) -> int:
        with self._db.reading() as conn:
            return int(conn.execute("SELECT count(*) FROM history").fetchone()[0])

    def clear(self) -> int:
        """Forget every play (and with them the most-sung/recently-sung lists)."""
        with self._db.transaction() as conn:
            cursor = conn.execute("DELETE FROM history")
            conn.execute("DELETE FROM song_stats")
        return cursor.rowcount


def _parse_cursor(cursor: str) -> tuple[int, int]:
    try:
        played, _, ident = cursor.partition(":")
        return int(played), int(ident)
    except ValueError:
        raise ValueError(f"not a history cursor: {cursor!r}") from None
