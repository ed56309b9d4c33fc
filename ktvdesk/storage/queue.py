"""The persisted play queue: tonight's songs, the current index and the playback position.

Deliberately ignorant of `ktvdesk.playback`: the engine's PlayQueue mirrors itself here by
calling `save(songs, current_index)` after every change and `set_position` now and then
while a song plays; at start-up `load()` gives it all back.
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
from ktvdesk.storage.queue_rows import plan_rows
from ktvdesk.storage.songs import SONG_COLUMN_COUNT, SONG_COLUMNS, SongEntry, SongStore


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    entries: tuple[SongEntry, ...] = ()
    current_index: int | None = None
    position_ms: int = 0
    updated_at_ms: int | None = None
    singers: tuple[str | None, ...] = ()  # who sings each entry (None: nobody named)

    @property
    def songs(self) -> tuple[Song, ...]:
        return tuple(entry.song for entry in self.entries)

    def singer_at(self, index: int) -> str | None:
        return self.singers[index] if index < len(self.singers) else None

    @property
    def current(self) -> SongEntry | None:
        return None if self.current_index is None else self.entries[self.current_index]


class QueueStore:
    def __init__(self, db: Database, songs: SongStore) -> None:
        self._db = db
        self._songs = songs
        # Song key → the Song object whose metadata the last committed save left stored.
        self._checked: dict[str, Song] = {}

    def load(self) -> QueueSnapshot:
        with self._db.reading() as conn:
            rows = conn.execute(
                f"""SELECT {SONG_COLUMNS}, q.singer FROM queue_items q JOIN songs s ON s.id = q.song
                    ORDER BY q.position"""
            ).fetchall()
            state = conn.execute(
                "SELECT current_index, position_ms, updated_at_ms FROM queue_state WHERE id = 1"
            ).fetchone()
        entries = tuple(self._songs.entry(row) for row in rows)
        singers = tuple(row[SONG_COLUMN_COUNT] for row in rows)
        if state is None:
            return QueueSnapshot(entries, singers=singers)
        current = state[0] if state[0] is not None and 0 <= state[0] < len(entries) else None
        position_ms = int(state[1]) if current is not None else 0
        return QueueSnapshot(entries, current, position_ms, int(state[2]), singers)

    def save(
        self,
        songs: Sequence[Song],
        current_index: int | None,
        position_ms: int = 0,
        singers: Sequence[str | None] = (),
    ) -> None:
        """Persist the whole queue (`singers[i]` sings `songs[i]`; missing: nobody named).

        One transaction that writes only the difference from what is stored (`queue_rows`):
        the rows added, removed and moved, and the state row. The difference is taken from
        the database itself, inside the transaction, so what is stored after the commit is
        exactly `songs`, whatever came before. Song metadata is upserted for the rows
        added and for songs this store has not yet seen stored as they are (the session
        hands in the same frozen Song objects save after save: no JSON dumps for them; a
        newer copy of one stored meanwhile by another list, e.g. a favourite, stays)."""
        _check_state(current_index, position_ms, len(songs))
        named = [singers[i] if i < len(singers) else None for i in range(len(songs))]
        keys = [song.key for song in songs]
        checked = self._checked
        with self._db.transaction() as conn:
            stored = conn.execute(
                """SELECT q.position, s.key, q.singer FROM queue_items q
                   LEFT JOIN songs s ON s.id = q.song ORDER BY q.position"""
            ).fetchall()
            plan = plan_rows(
                [(position, (key, singer)) for position, key, singer in stored],
                list(zip(keys, named, strict=True)),
            )
            written = sorted(
                {index for _, index in plan.insert}.union(
                    index for _, index in plan.kept if checked.get(keys[index]) is not songs[index]
                )
            )
            song_ids = self._songs.upsert_many(conn, [songs[i] for i in written])
            row_of = dict(zip(written, song_ids, strict=True))
            conn.executemany("DELETE FROM queue_items WHERE position = ?", [(p,) for p in plan.delete])
            conn.executemany(
                "INSERT INTO queue_items (position, song, singer) VALUES (?, ?, ?)",
                [(position, row_of[i], named[i]) for position, i in plan.insert],
            )
            self._write_state(conn, current_index, position_ms)
        # Committed (not a savepoint inside someone's transaction, which may still roll back):
        # every song of the queue is now stored as it is.
        self._checked = {} if conn.in_transaction else dict(zip(keys, songs, strict=True))

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
