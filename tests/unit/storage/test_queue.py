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
