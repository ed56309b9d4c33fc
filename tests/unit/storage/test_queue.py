"""The persisted queue: save on every change, load at start-up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ktvdesk.errors import StorageError
from ktvdesk.models import Song
from ktvdesk.storage import QueueSnapshot, UserDatabase

SongFactory = Callable[..., Song]


def test_a_fresh_database_has_an_empty_queue(db: UserDatabase) -> None:
    snapshot = db.queue.load()
    assert snapshot == QueueSnapshot()
    assert snapshot.current is None


def test_save_and_load_back_after_restart(db_path: Path, song: SongFactory, rich_song: Song) -> None:
    songs = [song(1), rich_song, song(1), song(3, provider="local", path="/m/3.mkv")]
    with UserDatabase(db_path) as db:
        db.queue.save(songs, 1, 12_000)
    with UserDatabase(db_path) as db:
        snapshot = db.queue.load()
    assert snapshot.songs == tuple(songs)
    assert (snapshot.current_index, snapshot.position_ms) == (1, 12_000)
    assert snapshot.current is not None and snapshot.current.song == rich_song


def test_every_change_is_persisted(db: UserDatabase, song: SongFactory) -> None:
    db.queue.save([song(1), song(2)], 0)
    db.queue.save([song(1), song(2), song(3)], 0)  # added
    db.queue.save([song(3), song(1), song(2)], 1)  # 置顶: moved to the top, index follows
    assert [s.id for s in db.queue.load().songs] == ["s3", "s1", "s2"]
    db.queue.save([song(3), song(1), song(2)], 2, 500)  # the next song plays
    db.queue.set_position(61_000)
    snapshot = db.queue.load()
    assert (snapshot.current_index, snapshot.position_ms) == (2, 61_000)
    db.queue.save([song(3), song(1)], None)  # finished, last one removed
    snapshot = db.queue.load()
    assert [s.id for s in snapshot.songs] == ["s3", "s1"] and snapshot.current_index is None
    assert snapshot.position_ms == 0
    db.queue.clear()
    assert db.queue.load().songs == ()


def test_updated_metadata_replaces_the_stored_copy(db: UserDatabase, song: SongFactory) -> None:
    db.queue.save([song(1)], 0)
    db.queue.save([song(1, title="新")], 0)
    assert db.queue.load().songs[0].title == "新"


def test_saving_the_same_queue_does_not_rewrite_items(db: UserDatabase, song: SongFactory) -> None:
    db.queue.save([song(1), song(2)], 0)
    with db.reading() as conn:
        before = conn.execute("SELECT rowid, song FROM queue_items ORDER BY position").fetchall()
        changes = conn.total_changes
    db.queue.save([song(1), song(2)], 1)
    with db.reading() as conn:
        after = conn.execute("SELECT rowid, song FROM queue_items ORDER BY position").fetchall()
        assert conn.total_changes - changes == 1  # only the state row
    assert before == after


@pytest.mark.parametrize(("index", "size"), [(2, 2), (-1, 2), (0, 0)])
def test_an_index_outside_the_queue_is_refused(
    db: UserDatabase, song: SongFactory, index: int, size: int
) -> None:
    db.queue.save([song(9)], 0, 10)
    with pytest.raises(StorageError) as caught:
        db.queue.save([song(n) for n in range(size)], index)
    assert caught.value.code == "bad_index"
    snapshot = db.queue.load()
    assert [s.id for s in snapshot.songs] == ["s9"] and snapshot.position_ms == 10


def test_negative_positions_are_refused(db: UserDatabase, song: SongFactory) -> None:
    db.queue.save([song(1)], 0)
    with pytest.raises(ValueError):
        db.queue.save([song(1)], 0, -1)
    with pytest.raises(ValueError):
        db.queue.set_position(-5)


def test_a_stale_current_index_in_the_file_loads_as_nothing_playing(
    db: UserDatabase, song: SongFactory
) -> None:
    db.queue.save([song(1), song(2)], 1, 3000)
    with db.transaction() as conn:  # e.g. written by a buggy older build
        conn.execute("UPDATE queue_state SET current_index = 7")
    snapshot = db.queue.load()
    assert snapshot.current_index is None and snapshot.current is None and len(snapshot.songs) == 2


def _stored_rows(db: UserDatabase) -> list[tuple[int, str, str | None]]:
    with db.reading() as conn:
        return conn.execute(
            """SELECT q.position, s.key, q.singer FROM queue_items q JOIN songs s ON s.id = q.song
               ORDER BY q.position"""
        ).fetchall()


def _changes(db: UserDatabase) -> int:
    with db.reading() as conn:
        return conn.total_changes


def test_an_edit_to_a_long_queue_writes_only_the_rows_it_touches(db: UserDatabase, song: SongFactory) -> None:
    queue = [song(n) for n in range(300)]
    singers = [f"singer{n % 5}" for n in range(300)]
    db.queue.save(queue, 0, 0, singers)
    rows_before = _stored_rows(db)

    def edit(songs: list[Song], names: list[str]) -> int:
        before = _changes(db)
        db.queue.save(songs, 0, 0, names)
        snapshot = db.queue.load()
        assert list(snapshot.songs) == songs and list(snapshot.singers) == names
        return _changes(db) - before - 1  # minus the state row

    # A phone's song placed in the middle by the turn order: one song row, one queue row.
    queue.insert(150, song(1000))
    singers.insert(150, "guest")
    assert edit(queue, singers) == 2
    # 置顶 from the end: one row out, one row in; the 299 rows it jumped over stay.
    queue.insert(0, queue.pop())
    singers.insert(0, singers.pop())
    assert edit(queue, singers) == 2
    gone = queue[40]
    del queue[40], singers[40]
    assert edit(queue, singers) == 1
    untouched = {row for row in rows_before if row[1] not in {queue[0].key, gone.key}}
    assert untouched <= set(_stored_rows(db))  # same positions, never rewritten


def test_sequences_of_edits_store_exactly_the_queue_and_restore_it(
    db_path: Path, song: SongFactory, clock: Callable[[], int]
) -> None:
    import random

    rng = random.Random(20)
    queue: list[Song] = []
    singers: list[str | None] = []
    fresh = iter(range(10_000))
    with UserDatabase(db_path, clock_ms=clock) as db:
        for step in range(200):
            roll = rng.random()
            if roll < 0.3 or not queue:
                at = rng.randint(0, len(queue))
                queue.insert(at, song(rng.choice([next(fresh), rng.randrange(20)])))  # new or a repeat
                singers.insert(at, rng.choice([None, "甲", "乙", "丙"]))
            elif roll < 0.45:
                at = rng.randrange(len(queue))
                del queue[at], singers[at]
            elif roll < 0.6:  # 置顶
                at = rng.randrange(len(queue))
                queue.insert(0, queue.pop(at))
                singers.insert(0, singers.pop(at))
            elif roll < 0.75:  # a drag
                at, to = rng.randrange(len(queue)), rng.randrange(len(queue))
                queue.insert(to, queue.pop(at))
                singers.insert(to, singers.pop(at))
            elif roll < 0.85:  # the next song starts
                del queue[0], singers[0]
            elif roll < 0.9:
                queue, singers = [], []
            else:  # a restored or imported list: many at once
                count = rng.randint(10, 60)
                queue += [song(next(fresh)) for _ in range(count)]
                singers += [None] * count
            current = 0 if queue and step % 3 else None
            db.queue.save(queue, current, 1000 if current is not None else 0, singers)
            snapshot = db.queue.load()
            assert list(snapshot.songs) == queue, step
            assert list(snapshot.singers) == singers, step
            assert snapshot.current_index == current, step
    with UserDatabase(db_path) as reopened:
        snapshot = reopened.queue.load()
    assert list(snapshot.songs) == queue and list(snapshot.singers) == singers


def test_a_failed_save_leaves_the_previous_queue(db: UserDatabase, song: SongFactory) -> None:
    db.queue.save([song(1), song(2)], 0)
    with pytest.raises(RuntimeError), db.transaction():
        db.queue.save([song(3), song(1), song(2), song(4)], 0)
        raise RuntimeError("the process dies before the commit")
    assert [s.id for s in db.queue.load().songs] == ["s1", "s2"]
    db.queue.save([song(3), song(1)], None)  # the next save diffs against what is really stored
    assert [s.id for s in db.queue.load().songs] == ["s3", "s1"]
