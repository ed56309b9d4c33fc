"""Schema upgrades: a database written at every earlier version opens with its data intact."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from ktvdesk.models import Song
from ktvdesk.storage import SCHEMA_VERSION, PlayOutcome, Unavailable, UserDatabase
from ktvdesk.storage import migrations as migrations_module
from ktvdesk.storage.connection import configure, connect
from ktvdesk.storage.history import SUNG_MIN_LISTENED_MS, counts_as_sung
from ktvdesk.storage.migrations import migrate, user_version

T0 = 1_700_000_000_000


def _songs() -> list[Song]:
    return [
        Song(provider="local", id="1", title="一", singers=("甲",), path="/music/1.mkv", duration_ms=1000),
        Song(provider="yinsuda", id="2", title="二", singers=("乙", "丙")),
        Song(provider="zego", id="3", title="三", copyright_channel=0),
    ]


def _old_database(path: Path, version: int) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    configure(conn)
    assert migrate(conn, target=version) == version
    return conn


# Plays: (song index, played_at offset, listened_ms, outcome)
PLAYS = [
    (0, 1, 200_000, "completed"),
    (0, 2, 5_000, "skipped"),  # not sung
    (1, 3, 90_000, "skipped"),  # sung: long enough
    (0, 4, 180_000, "completed"),
    (2, 5, 1_000, "skipped"),  # played, never sung
]


def _seed_v1(conn: sqlite3.Connection) -> None:
    """Data as ktvdesk wrote it at schema version 1 (SQL of that version, not today's code)."""
    conn.execute("BEGIN")
    for n, item in enumerate(_songs(), start=1):
        conn.execute(
            "INSERT INTO songs (id, key, provider, song_id, title, singers, json, updated_at_ms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (n, item.key, item.provider, item.id, item.title, item.singers_text, item.model_dump_json(), T0),
        )
    conn.execute("INSERT INTO favorites (song, added_at_ms) VALUES (1, ?), (3, ?)", (T0 + 10, T0 + 20))
    for index, offset, listened_ms, outcome in PLAYS:
        conn.execute(
            "INSERT INTO history (song, played_at_ms, listened_ms, outcome, vocal_mode) VALUES (?, ?, ?, ?, ?)",
            (index + 1, T0 + offset * 1000, listened_ms, outcome, "accompaniment"),
        )
    conn.execute(
        "INSERT INTO playlists (id, name, created_at_ms, updated_at_ms) VALUES (7, '派对', ?, ?)", (T0, T0)
    )
    conn.executemany(
        "INSERT INTO playlist_items (playlist, position, song) VALUES (7, ?, ?)", [(0, 3), (1, 1), (2, 3)]
    )
    conn.executemany("INSERT INTO queue_items (position, song) VALUES (?, ?)", [(0, 2), (1, 1)])
    conn.execute(
        "INSERT INTO queue_state (id, current_index, position_ms, updated_at_ms) VALUES (1, 1, 4321, ?)",
        (T0,),
    )
    conn.execute("COMMIT")


def _seed_v2(conn: sqlite3.Connection) -> None:
    _seed_v1(conn)
    conn.execute(
        "UPDATE songs SET unavailable_reason = 'file_missing', unavailable_detail = '/music/1.mkv',"
        " unavailable_at_ms = ? WHERE id = 1",
        (T0,),
    )


# Version 3 added only tables its triggers fill, so version-2 rows are version-3 rows (issue 19 added 4,
# issue 20 a nullable column in 5: version-4 rows are version-2 rows too).
SEEDERS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _seed_v1,
    2: _seed_v2,
    3: _seed_v2,
    4: _seed_v2,
    5: _seed_v2,  # version 6 (issue 19) added a defaulted column to scores
}


def test_every_earlier_version_has_a_seeder() -> None:
    assert set(SEEDERS) == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version_keeps_all_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "user.sqlite3"
    conn = _old_database(path, version)
    SEEDERS[version](conn)
    conn.close()

    with UserDatabase(path) as db:
        assert db.schema_version() == SCHEMA_VERSION
        assert db.integrity_check() == "ok"
        assert db.foreign_key_violations() == 0
        songs = _songs()

        assert [(f.song, f.added_at_ms) for f in db.favorites.entries()] == [
            (songs[2], T0 + 20),
            (songs[0], T0 + 10),
        ]
        page = db.history.page(limit=10)
        assert [(h.song.key, h.played_at_ms, h.listened_ms, h.outcome) for h in page.items] == [
            (songs[index].key, T0 + offset * 1000, listened_ms, PlayOutcome(outcome))
            for index, offset, listened_ms, outcome in reversed(PLAYS)
        ]
        # The summary table did not exist before version 3: it must have been backfilled.
        assert [(s.song.key, s.sung_count, s.last_sung_ms) for s in db.history.most_sung()] == [
            (songs[0].key, 2, T0 + 4000),
            (songs[1].key, 1, T0 + 3000),
        ]
        assert [s.song.key for s in db.history.recently_sung()] == [songs[0].key, songs[1].key]
        stats = db.history.stats(songs[2])
        assert stats is not None and (stats.play_count, stats.sung_count, stats.last_sung_ms) == (1, 0, None)

        (playlist,) = db.playlists.summaries()
        assert (playlist.id, playlist.name, playlist.song_count) == (7, "派对", 3)
        assert [e.song for e in db.playlists.entries(7)] == [songs[2], songs[0], songs[2]]

        queue = db.queue.load()
        assert (queue.songs, queue.current_index, queue.position_ms) == ((songs[1], songs[0]), 1, 4321)

        first = db.songs.get(songs[0])
        assert first is not None
        if version >= 2:
            assert (first.unavailable, first.unavailable_detail) == (Unavailable.FILE_MISSING, "/music/1.mkv")
        else:
            assert first.available

        # And the upgraded database keeps working: the trigger counts new plays.
        db.history.record(songs[2], listened_ms=0, outcome=PlayOutcome.COMPLETED, vocal_mode="original")
        stats = db.history.stats(songs[2])
        assert stats is not None and (stats.play_count, stats.sung_count) == (2, 1)


def test_upgraded_schema_equals_a_fresh_one(tmp_path: Path) -> None:
    def schema(path: Path) -> list[tuple[str, str]]:
        raw = sqlite3.connect(path)
        rows = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
        raw.close()
        return [(str(name), " ".join(str(sql).split())) for name, sql in rows]

    fresh = tmp_path / "fresh.sqlite3"
    UserDatabase(fresh).close()
    for version in range(SCHEMA_VERSION):
        old = tmp_path / f"v{version}.sqlite3"
        _old_database(old, version).close()
        UserDatabase(old).close()
        assert schema(old) == schema(fresh), version


def test_an_empty_existing_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    path.write_bytes(b"")
    with UserDatabase(path) as db:
        assert db.schema_version() == SCHEMA_VERSION


def test_a_failing_migration_leaves_the_previous_version_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (
        "CREATE TABLE half_done (x INTEGER)",
        "INSERT INTO no_such_table VALUES (1)",
    )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", (*migrations_module.MIGRATIONS, broken))
    monkeypatch.setattr(migrations_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    conn = _old_database(tmp_path / "user.sqlite3", SCHEMA_VERSION)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, target=SCHEMA_VERSION + 1)
    assert user_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert not conn.in_transaction
    conn.close()


def test_migrate_rejects_an_unknown_target(tmp_path: Path) -> None:
    conn = _old_database(tmp_path / "user.sqlite3", 0)
    with pytest.raises(ValueError):
        migrate(conn, target=SCHEMA_VERSION + 1)
    conn.close()


@pytest.mark.parametrize(
    ("outcome", "listened_ms"),
    [
        (PlayOutcome.SKIPPED, SUNG_MIN_LISTENED_MS - 1),
        (PlayOutcome.SKIPPED, SUNG_MIN_LISTENED_MS),
        (PlayOutcome.COMPLETED, 0),
    ],
)
def test_the_sung_rule_in_the_schema_matches_the_python_constant(
    tmp_path: Path, outcome: PlayOutcome, listened_ms: int
) -> None:
    with UserDatabase(tmp_path / "user.sqlite3") as db:
        item = Song(provider="p", id="1", title="t")
        db.history.record(item, listened_ms=listened_ms, outcome=outcome, vocal_mode="original")
        stats = db.history.stats(item)
        assert stats is not None
        assert stats.sung_count == int(counts_as_sung(outcome, listened_ms))
