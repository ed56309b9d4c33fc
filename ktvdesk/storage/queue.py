"""The persisted play queue: tonight's songs, the current index and the playback position.

Deliberately ignorant of `ktvdesk.playback`: the engine's PlayQueue mirrors itself here by
calling `save(songs, current_index)` after every change, `set_current` when it moves on and
`set_position` now and then while a song plays; at start-up `load()` gives it all back.
With `ktvdesk.playback.queue.PlayQueue` (a current entry plus the upcoming ones) the mirror is
`save([current.item, *queue.items], 0)`, or `save(queue.items, None)` when nothing plays.
Queue edits and the current index are committed durably (survive a power cut); position
ticks are crash-safe but may lose their last seconds to a power cut (see connection.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ktvdesk.models import Song
from ktvdesk.storage.connection import Database
from ktvdesk.storage.messages import BAD_INDEX, storage_error
from ktvdesk.storage.songs import SONG_COLUMNS, SongEntry, SongStore


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    entries: tuple[SongEntry, ...] = ()
    current_index: int | None = None
    position_ms: int = 0
    updated_at_ms: int | None = None

    @property
    def songs(self) -> tuple[Song, ...]:
        return tuple(entry.song for entry in self.entries)

    @property
    def current(self) -> SongEntry | None:
        return None if self.current_index is None else self.entries[self.current_index]

    @property
    def resumable(self) -> bool:
        """Worth a "continue where we left off?" prompt (automatic resume in kiosk mode)."""
        return self.current_index is not None


class QueueStore:
    def __init__(self, db: Database, songs: SongStore) -> None:
        self._db = db
        self._songs = songs

    def load(self) -> QueueSnapshot:
        with self._db.reading() as conn:
            rows = conn.execute(
                f"""SELECT {SONG_COLUMNS} FROM queue_items q JOIN songs s ON s.id = q.song
                    ORDER BY q.position"""
            ).fetchall()
            state = conn.execute(
                "SELECT current_index, position_ms, updated_at_ms FROM queue_state WHERE id = 1"
            ).fetchone()
        entries = tuple(self._songs.entry(row) for row in rows)
        if state is None:
            return QueueSnapshot(entries)
        current = state[0] if state[0] is not None and 0 <= state[0] < len(entries) else None
        return QueueSnapshot(entries, current, int(state[1]) if current is not None else 0, int(state[2]))

    def save(self, songs: Sequence[Song], current_index: int | None, position_ms: int = 0) -> None:
        """Persist the whole queue; items are rewritten only when the song list changed."""
        _check_state(current_index, position_ms, len(songs))
        with self._db.transaction() as conn:
            song_ids = self._songs.upsert_many(conn, songs)  # no-op for unchanged metadata
            stored = [int(row[0]) for row in conn.execute("SELECT song FROM queue_items ORDER BY position")]
            if stored != song_ids:
                conn.execute("DELETE FROM queue_items")
                conn.executemany(
                    "INSERT INTO queue_items (position, song) VALUES (?, ?)", enumerate(song_ids)
                )
            self._write_state(conn, current_index, position_ms)

    def set_current(self, current_index: int | None, position_ms: int = 0) -> None:
        with self._db.transaction() as conn:
            size = int(conn.execute("SELECT count(*) FROM queue_items").fetchone()[0])
            _check_state(current_index, position_ms, size)
            self._write_state(conn, current_index, position_ms)

    def set_position(self, position_ms: int) -> None:
        """Playback progress, called every few seconds: crash-safe, not fsynced (see module doc)."""
        if position_ms < 0:
            raise ValueError("position_ms must be >= 0")
        with self._db.transaction(durable=False) as conn:
            conn.execute(
                "UPDATE queue_state SET position_ms = ?, updated_at_ms = ? WHERE id = 1",
                (position_ms, self._db.clock_ms()),
            )

    def clear(self) -> None:
        self.save((), None)

    def _write_state(self, conn: sqlite3.Connection, current_index: int | None, position_ms: int) -> None:
        conn.execute(
            """INSERT INTO queue_state (id, current_index, position_ms, updated_at_ms) VALUES (1, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET current_index = excluded.current_index,
                   position_ms = excluded.position_ms, updated_at_ms = excluded.updated_at_ms""",
            (current_index, position_ms, self._db.clock_ms()),
        )


def _check_state(current_index: int | None, position_ms: int, size: int) -> None:
    if current_index is not None and not 0 <= current_index < size:
        raise storage_error(f"current index {current_index} outside 0..{size - 1}", BAD_INDEX, "bad_index")
    if position_ms < 0:
        raise ValueError("position_ms must be >= 0")
