"""Favorites: songs from any provider the user starred, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from ktvdesk.models import Song
from ktvdesk.storage.connection import Database
from ktvdesk.storage.songs import SONG_COLUMN_COUNT, SONG_COLUMNS, SongEntry, SongRef, SongStore


@dataclass(frozen=True, slots=True)
class FavoriteEntry:
    entry: SongEntry
    added_at_ms: int

    @property
    def song(self) -> Song:
        return self.entry.song


class Favorites:
    def __init__(self, db: Database, songs: SongStore) -> None:
        self._db = db
        self._songs = songs

    def add(self, song: Song) -> bool:
        """Star a song; True if it was not a favorite yet. Re-adding refreshes its metadata
        but keeps its place in the list."""
        with self._db.transaction() as conn:
            song_id = self._songs.upsert(conn, song)
            cursor = conn.execute(
                "INSERT INTO favorites (song, added_at_ms) VALUES (?, ?) ON CONFLICT (song) DO NOTHING",
                (song_id, self._db.clock_ms()),
            )
        return cursor.rowcount > 0

    def remove(self, ref: SongRef) -> bool:
        with self._db.transaction() as conn:
            song_id = self._songs.id_of(conn, ref)
            if song_id is None:
                return False
            cursor = conn.execute("DELETE FROM favorites WHERE song = ?", (song_id,))
        return cursor.rowcount > 0

    def contains(self, ref: SongRef) -> bool:
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT 1 FROM favorites f JOIN songs s ON s.id = f.song WHERE s.key = ?",
                (ref if isinstance(ref, str) else ref.key,),
            ).fetchone()
        return row is not None

    def keys(self) -> set[str]:
        """Keys of every favorite: lets a search result list show its stars with one query."""
        with self._db.reading() as conn:
            rows = conn.execute("SELECT s.key FROM favorites f JOIN songs s ON s.id = f.song").fetchall()
        return {str(row[0]) for row in rows}

    def entries(self, *, limit: int | None = None, offset: int = 0) -> list[FavoriteEntry]:
        """The Favorites view: newest first."""
        with self._db.reading() as conn:
            rows = conn.execute(
                f"""SELECT {SONG_COLUMNS}, f.added_at_ms FROM favorites f
                    JOIN songs s ON s.id = f.song
                    ORDER BY f.added_at_ms DESC, f.rowid DESC LIMIT ? OFFSET ?""",
                (-1 if limit is None else limit, offset),
            ).fetchall()
        return [FavoriteEntry(self._songs.entry(row), int(row[SONG_COLUMN_COUNT])) for row in rows]

    def count(self) -> int:
        with self._db.reading() as conn:
            return int(conn.execute("SELECT count(*) FROM favorites").fetchone()[0])
