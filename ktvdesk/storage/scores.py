"""Singing scores: every scored song, and the best per song and per singer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ktvdesk.models import Song
from ktvdesk.storage.connection import Database
from ktvdesk.storage.songs import SongRef, SongStore, key_of

ANONYMOUS = ""  # a song scored with no singer named


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


_COLUMNS = "s.key, s.title, sc.singer, sc.score, sc.grade, sc.difficulty, sc.reference, sc.sung_at_ms"


def _entry(row: tuple[Any, ...]) -> ScoreEntry:
    key, title, singer, score, grade, difficulty, reference, at = row
    return ScoreEntry(
        str(key),
        str(title),
        str(singer),
        float(score),
        str(grade),
        str(difficulty),
        str(reference),
        int(at),
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
    ) -> int:
        if not 0 <= score <= 100:
            raise ValueError("score must be within 0..100")
        when_ms = self._db.clock_ms() if sung_at_ms is None else sung_at_ms
        with self._db.transaction() as conn:
            song_id = self._songs.upsert(conn, song)
            cursor = conn.execute(
                """INSERT INTO scores (song, singer, score, grade, difficulty, reference, sung_at_ms)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (song_id, singer, score, grade, difficulty, reference, when_ms),
            )
        return int(cursor.lastrowid or 0)

    def best_for_song(self, ref: SongRef) -> ScoreEntry | None:
        with self._db.reading() as conn:
            row = conn.execute(
                f"""SELECT {_COLUMNS} FROM scores sc JOIN songs s ON s.id = sc.song
                    WHERE s.key = ? ORDER BY sc.score DESC, sc.sung_at_ms LIMIT 1""",
                (key_of(ref),),
            ).fetchone()
        return None if row is None else _entry(row)
