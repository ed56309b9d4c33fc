"""Singing scores: every scored song, and the best per song and per singer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ktvdesk.models import Song
from ktvdesk.storage.connection import Database
from ktvdesk.storage.songs import SongRef, SongStore, key_of

ANONYMOUS = ""  # a song scored with no singer named
SOLO = 0  # `part` of a song sung alone; a duet's rows carry the melody's player (1, 2)


@dataclass(frozen=True, slots=True)
class ScoreEntry:
    song_key: str
    title: str
    singer: str
    score: float
    grade: str
    difficulty: str
    reference: str
    sung_at_ms: int
    part: int = SOLO


_COLUMNS = (
    "s.key, s.title, sc.singer, sc.score, sc.grade, sc.difficulty, sc.reference, sc.sung_at_ms, sc.part"
)


def _entry(row: tuple[Any, ...]) -> ScoreEntry:
    key, title, singer, score, grade, difficulty, reference, at, part = row
    return ScoreEntry(
        str(key),
        str(title),
        str(singer),
        float(score),
        str(grade),
        str(difficulty),
        str(reference),
        int(at),
        int(part),
    )


class Scores:
    def __init__(self, db: Database, songs: SongStore) -> None:
        self._db = db
        self._songs = songs

    def record(
        self,
        song: Song,
        *,
        score: float,
        grade: str,
        difficulty: str,
        reference: str,
        singer: str = ANONYMOUS,
        sung_at_ms: int | None = None,
        part: int = SOLO,
    ) -> int:
        if not 0 <= score <= 100:
            raise ValueError("score must be within 0..100")
        if part < 0:
            raise ValueError("part must be 0 (solo) or a player number")
        when_ms = self._db.clock_ms() if sung_at_ms is None else sung_at_ms
        with self._db.transaction() as conn:
            song_id = self._songs.upsert(conn, song)
            cursor = conn.execute(
                """INSERT INTO scores (song, singer, score, grade, difficulty, reference, sung_at_ms, part)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (song_id, singer, score, grade, difficulty, reference, when_ms, part),
            )
        return int(cursor.lastrowid or 0)

    def best_for_song(self, ref: SongRef, *, part: int | None = None) -> ScoreEntry | None:
        """The best score for the song; with `part`, the best for that part (a duet's
        player 1 or 2, or `SOLO`)."""
        with self._db.reading() as conn:
            row = conn.execute(
                f"""SELECT {_COLUMNS} FROM scores sc JOIN songs s ON s.id = sc.song
                    WHERE s.key = ? AND (? IS NULL OR sc.part = ?)
                    ORDER BY sc.score DESC, sc.sung_at_ms LIMIT 1""",
                (key_of(ref), part, part),
            ).fetchone()
        return None if row is None else _entry(row)
