"""Each part of a duet is its own row in the score history (schema version 6), and the
best score is kept per part; rows from before version 6 are solos."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktvdesk.models import Song
from ktvdesk.scoring import ScoreRecord, keep_score
from ktvdesk.singing.scorer import ScoreResult
from ktvdesk.storage import UserDatabase
from ktvdesk.storage.connection import configure, connect
from ktvdesk.storage.migrations import migrate
from ktvdesk.storage.scores import SOLO

SONG = Song(provider="local", id="7", title="对唱")


def _record(score: float, part: int, singer: str | None = None) -> ScoreRecord:
    return ScoreRecord(SONG, ScoreResult(score, "A", ()), "normal", "notes", part, singer)


def test_duet_parts_are_kept_and_compared_per_part(tmp_path: Path) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    try:
        assert keep_score(db.scores, _record(80.0, 1, "小明")) is None  # a first: no best before
        assert keep_score(db.scores, _record(40.0, 2)) is None  # player 2's own first
        assert keep_score(db.scores, _record(70.0, 1)) == 80.0
        assert keep_score(db.scores, _record(60.0, 2)) == 40.0  # not player 1's 80
        one, two = db.scores.best_for_song(SONG, part=1), db.scores.best_for_song(SONG, part=2)
        assert one is not None and (one.score, one.singer, one.part) == (80.0, "小明", 1)
        assert two is not None and (two.score, two.singer, two.part) == (60.0, "", 2)
        assert db.scores.best_for_song(SONG, part=SOLO) is None
        best = db.scores.best_for_song(SONG)
        assert best is not None and best.score == 80.0
        with pytest.raises(ValueError):
            db.scores.record(SONG, score=50.0, grade="C", difficulty="normal", reference="notes", part=-1)
    finally:
        db.close()


def test_scores_from_before_parts_are_solos(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    conn = connect(path)
    configure(conn)
    assert migrate(conn, target=5) == 5
    conn.execute(
        "INSERT INTO songs (id, key, provider, song_id, title, singers, json, updated_at_ms)"
        " VALUES (1, ?, 'local', '7', '对唱', '', ?, 0)",
        (SONG.key, SONG.model_dump_json()),
    )
    conn.execute(
        "INSERT INTO scores (song, singer, score, grade, difficulty, reference, sung_at_ms)"
        " VALUES (1, 'x', 91.5, 'SS', 'normal', 'notes', 1)"
    )
    conn.close()
    db = UserDatabase(path)
    try:
        kept = db.scores.best_for_song(SONG, part=SOLO)
        assert kept is not None and (kept.score, kept.singer, kept.part) == (91.5, "x", SOLO)
    finally:
        db.close()
