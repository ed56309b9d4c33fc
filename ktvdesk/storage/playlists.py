"""My playlists: named, ordered song lists (a song may appear more than once).

Items carry a dense position 0..n-1; every edit keeps it dense inside one transaction, so
the index the view shows is the index the store takes.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ktvdesk.models import Song
from ktvdesk.storage.connection import Database
from ktvdesk.storage.messages import BAD_INDEX, BAD_NAME, PLAYLIST_NOT_FOUND, storage_error
from ktvdesk.storage.songs import SONG_COLUMNS, SongEntry, SongRow, SongStore, song_row

MAX_NAME_CHARS = 200
ROWS_PER_SLICE = 500  # an import stores this many songs, then lets the GUI thread have the GIL
_COPY_SUFFIX = re.compile(r" \(\d+\)$")


@dataclass(frozen=True, slots=True)
class PlaylistSummary:
    id: int
    name: str
    song_count: int
    created_at_ms: int
    updated_at_ms: int


@dataclass(frozen=True, slots=True)
class Playlist:
    summary: PlaylistSummary
    entries: tuple[SongEntry, ...]

    @property
    def name(self) -> str:
        return self.summary.name

    @property
    def songs(self) -> tuple[Song, ...]:
        return tuple(entry.song for entry in self.entries)


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME_CHARS:
        raise storage_error(f"bad playlist name {name!r}", BAD_NAME, "bad_name")
    return cleaned


_SUMMARY = """SELECT p.id, p.name,
                     (SELECT count(*) FROM playlist_items i WHERE i.playlist = p.id),
                     p.created_at_ms, p.updated_at_ms
              FROM playlists p"""


def _summary(row: tuple[object, ...]) -> PlaylistSummary:
    return PlaylistSummary(
        int(str(row[0])), str(row[1]), int(str(row[2])), int(str(row[3])), int(str(row[4]))
    )


class Playlists:
    def __init__(self, db: Database, songs: SongStore) -> None:
        self._db = db
        self._songs = songs

    # -- the list of playlists -----------------------------------------------------------------

    def create(self, name: str, songs: Sequence[Song] = (), *, refresh_metadata: bool = True) -> int:
        """A new playlist; `refresh_metadata=False` keeps what is stored about known songs
        (an imported file may carry older metadata than this database)."""
        return self.create_from_rows(
            name, [song_row(song) for song in songs], refresh_metadata=refresh_metadata
        )

    def create_from_rows(self, name: str, rows: Sequence[SongRow], *, refresh_metadata: bool = True) -> int:
        """`create` of songs already made into rows (an import's child process made them).

        Stored a slice at a time, with a pause of zero between slices: the GUI thread,
        waiting for the GIL, gets it there instead of after the whole list."""
        name = clean_name(name)
        now_ms = self._db.clock_ms()
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO playlists (name, created_at_ms, updated_at_ms) VALUES (?, ?, ?)",
                (name, now_ms, now_ms),
            )
            playlist_id = int(cursor.lastrowid or 0)
            for start in range(0, len(rows), ROWS_PER_SLICE):
                if start:
                    time.sleep(0)  # releases the GIL
                ids = self._songs.upsert_rows(
                    conn, rows[start : start + ROWS_PER_SLICE], overwrite=refresh_metadata
                )
                self._insert(conn, playlist_id, start, ids)
        return playlist_id

    def free_name(self, name: str) -> str:
        """`name`, or "name (2)", "name (3)"… when a playlist is already called that."""
        wanted = clean_name(name)
        with self._db.reading() as conn:
            taken = {str(row[0]).casefold() for row in conn.execute("SELECT name FROM playlists")}
        candidate, number = wanted, 2
        while candidate.casefold() in taken:
            suffix = f" ({number})"
            candidate = wanted[: MAX_NAME_CHARS - len(suffix)] + suffix
            number += 1
        return candidate

    def summaries(self) -> list[PlaylistSummary]:
        """The Playlists view, oldest first (the order the user built them in)."""
        with self._db.reading() as conn:
            rows = conn.execute(f"{_SUMMARY} ORDER BY p.created_at_ms, p.id").fetchall()
        return [_summary(row) for row in rows]

    def get(self, playlist_id: int) -> PlaylistSummary:
        with self._db.reading() as conn:
            return self._summary_of(conn, playlist_id)

    def rename(self, playlist_id: int, name: str) -> None:
        name = clean_name(name)
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE playlists SET name = ?, updated_at_ms = ? WHERE id = ?",
                (name, self._db.clock_ms(), playlist_id),
            )
            if cursor.rowcount == 0:
                raise _not_found(playlist_id)

    def delete(self, playlist_id: int) -> None:
        with self._db.transaction() as conn:
            # Items go with it (ON DELETE CASCADE); the songs stay for the other lists.
            if conn.execute("DELETE FROM playlists WHERE id = ?", (playlist_id,)).rowcount == 0:
                raise _not_found(playlist_id)

    def duplicate(self, playlist_id: int, name: str | None = None) -> int:
        """A copy with the same songs; default name "<name> (2)", "(3)"… whichever is free."""
        with self._db.transaction() as conn:
            source = self._summary_of(conn, playlist_id)
            new_name = clean_name(name) if name is not None else self._free_copy_name(conn, source.name)
            now_ms = self._db.clock_ms()
            cursor = conn.execute(
                "INSERT INTO playlists (name, created_at_ms, updated_at_ms) VALUES (?, ?, ?)",
                (new_name, now_ms, now_ms),
            )
            copy_id = int(cursor.lastrowid or 0)
            conn.execute(
                """INSERT INTO playlist_items (playlist, position, song)
                   SELECT ?, position, song FROM playlist_items WHERE playlist = ? ORDER BY position""",
                (copy_id, playlist_id),
            )
        return copy_id

    # -- songs in one playlist -----------------------------------------------------------------

    def entries(self, playlist_id: int) -> list[SongEntry]:
        with self._db.reading() as conn:
            self._require(conn, playlist_id)
            rows = conn.execute(
                f"""SELECT {SONG_COLUMNS} FROM playlist_items i JOIN songs s ON s.id = i.song
                    WHERE i.playlist = ? ORDER BY i.position""",
                (playlist_id,),
            ).fetchall()
        return [self._songs.entry(row) for row in rows]

    def load(self, playlist_id: int) -> Playlist:
        with self._db.reading():  # one snapshot for the summary and the entries
            return Playlist(self.get(playlist_id), tuple(self.entries(playlist_id)))

    def add(self, playlist_id: int, songs: Song | Sequence[Song], *, index: int | None = None) -> None:
        """Insert songs at `index` (default: append)."""
        batch = [songs] if isinstance(songs, Song) else list(songs)
        with self._db.transaction() as conn:
            size = self._size(conn, playlist_id)
            at = size if index is None else _check_index(index, size + 1)
            conn.execute(
                "UPDATE playlist_items SET position = position + ? WHERE playlist = ? AND position >= ?",
                (len(batch), playlist_id, at),
            )
            self._insert(conn, playlist_id, at, self._songs.upsert_many(conn, batch))
            self._touch(conn, playlist_id)

    def remove(self, playlist_id: int, index: int) -> None:
        with self._db.transaction() as conn:
            _check_index(index, self._size(conn, playlist_id))
            conn.execute(
                "DELETE FROM playlist_items WHERE playlist = ? AND position = ?", (playlist_id, index)
            )
            conn.execute(
                "UPDATE playlist_items SET position = position - 1 WHERE playlist = ? AND position > ?",
                (playlist_id, index),
            )
            self._touch(conn, playlist_id)

    def move(self, playlist_id: int, from_index: int, to_index: int) -> None:
        """Move one song so it ends up at `to_index`."""
        with self._db.transaction() as conn:
            size = self._size(conn, playlist_id)
            _check_index(from_index, size)
            _check_index(to_index, size)
            if from_index == to_index:
                return
            item = conn.execute(
                "SELECT id FROM playlist_items WHERE playlist = ? AND position = ?", (playlist_id, from_index)
            ).fetchone()[0]
            if from_index < to_index:
                shift, low, high = -1, from_index + 1, to_index
            else:
                shift, low, high = 1, to_index, from_index - 1
            conn.execute(
                """UPDATE playlist_items SET position = position + ?
                   WHERE playlist = ? AND position BETWEEN ? AND ?""",
                (shift, playlist_id, low, high),
            )
            conn.execute("UPDATE playlist_items SET position = ? WHERE id = ?", (to_index, item))
            self._touch(conn, playlist_id)

    def reorder(self, playlist_id: int, order: Sequence[int]) -> None:
        """Apply a permutation: `order[k]` is the current index of the song that goes to k."""
        with self._db.transaction() as conn:
            size = self._size(conn, playlist_id)
            if sorted(order) != list(range(size)):
                raise storage_error(f"not a permutation of 0..{size - 1}: {order!r}", BAD_INDEX, "bad_index")
            ids = [
                int(row[0])
                for row in conn.execute(
                    "SELECT id FROM playlist_items WHERE playlist = ? ORDER BY position", (playlist_id,)
                )
            ]
            conn.executemany(
                "UPDATE playlist_items SET position = ? WHERE id = ?",
                [(new, ids[old]) for new, old in enumerate(order)],
            )
            self._touch(conn, playlist_id)

    def clear(self, playlist_id: int) -> None:
        with self._db.transaction() as conn:
            self._require(conn, playlist_id)
            conn.execute("DELETE FROM playlist_items WHERE playlist = ?", (playlist_id,))
            self._touch(conn, playlist_id)

    # -- helpers ------------------------------------------------------------------------------------

    @staticmethod
    def _insert(conn: sqlite3.Connection, playlist_id: int, at: int, song_ids: Sequence[int]) -> None:
        conn.executemany(
            "INSERT INTO playlist_items (playlist, position, song) VALUES (?, ?, ?)",
            [(playlist_id, at + offset, song_id) for offset, song_id in enumerate(song_ids)],
        )

    def _touch(self, conn: sqlite3.Connection, playlist_id: int) -> None:
        conn.execute(
            "UPDATE playlists SET updated_at_ms = ? WHERE id = ?", (self._db.clock_ms(), playlist_id)
        )

    def _size(self, conn: sqlite3.Connection, playlist_id: int) -> int:
        self._require(conn, playlist_id)
        row = conn.execute(
            "SELECT count(*) FROM playlist_items WHERE playlist = ?", (playlist_id,)
        ).fetchone()
        return int(row[0])

    @staticmethod
    def _require(conn: sqlite3.Connection, playlist_id: int) -> None:
        if conn.execute("SELECT 1 FROM playlists WHERE id = ?", (playlist_id,)).fetchone() is None:
            raise _not_found(playlist_id)

    @staticmethod
    def _summary_of(conn: sqlite3.Connection, playlist_id: int) -> PlaylistSummary:
        row = conn.execute(f"{_SUMMARY} WHERE p.id = ?", (playlist_id,)).fetchone()
        if row is None:
            raise _not_found(playlist_id)
        return _summary(row)

    @staticmethod
    def _free_copy_name(conn: sqlite3.Connection, name: str) -> str:
        taken = {str(row[0]) for row in conn.execute("SELECT name FROM playlists")}
        name = _COPY_SUFFIX.sub("", name)  # copying "Party (2)" gives "Party (3)", not "Party (2) (2)"
        number = 2
        while True:
            suffix = f" ({number})"
            candidate = name[: MAX_NAME_CHARS - len(suffix)] + suffix
            if candidate not in taken:
                return candidate
            number += 1


def _check_index(index: int, size: int) -> int:
    if not 0 <= index < size:
        raise storage_error(f"index {index} outside 0..{size - 1}", BAD_INDEX, "bad_index")
    return index


def _not_found(playlist_id: int) -> Exception:
    return storage_error(f"no playlist {playlist_id}", PLAYLIST_NOT_FOUND, "playlist_not_found")
