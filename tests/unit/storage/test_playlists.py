"""My playlists: create, rename, delete, add, remove, move, reorder, duplicate."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ktvdesk.errors import StorageError
from ktvdesk.models import Song
from ktvdesk.storage import UserDatabase

SongFactory = Callable[..., Song]


def _ids(db: UserDatabase, playlist_id: int) -> list[str]:
    return [entry.song.id for entry in db.playlists.entries(playlist_id)]


def _positions_are_dense(db: UserDatabase, playlist_id: int) -> bool:
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT position FROM playlist_items WHERE playlist = ? ORDER BY position", (playlist_id,)
        ).fetchall()
    return [row[0] for row in rows] == list(range(len(rows)))


@pytest.fixture
def five(db: UserDatabase, song: SongFactory) -> int:
    return db.playlists.create("五首", [song(n) for n in range(5)])


def test_create_with_and_without_songs(db: UserDatabase, song: SongFactory, five: int) -> None:
    empty = db.playlists.create("  空   歌单 ")
    summaries = db.playlists.summaries()
    assert [(s.id, s.name, s.song_count) for s in summaries] == [(five, "五首", 5), (empty, "空 歌单", 0)]
    assert _ids(db, five) == ["s0", "s1", "s2", "s3", "s4"]
    assert db.playlists.entries(empty) == []
    loaded = db.playlists.load(five)
    assert loaded.name == "五首" and loaded.songs == tuple(song(n) for n in range(5))


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201])
def test_bad_names_are_refused(db: UserDatabase, five: int, bad: str) -> None:
    with pytest.raises(StorageError) as caught:
        db.playlists.create(bad)
    assert caught.value.code == "bad_name" and caught.value.message("zh")
    with pytest.raises(StorageError):
        db.playlists.rename(five, bad)
    assert db.playlists.get(five).name == "五首"


def test_rename_touches_updated_time(db: UserDatabase, five: int) -> None:
    before = db.playlists.get(five)
    db.playlists.rename(five, "改名")
    after = db.playlists.get(five)
    assert after.name == "改名"
    assert after.created_at_ms == before.created_at_ms and after.updated_at_ms > before.updated_at_ms


def test_delete_removes_the_playlist_but_not_songs_used_elsewhere(
    db: UserDatabase, song: SongFactory, five: int
) -> None:
    db.favorites.add(song(0))
    db.playlists.delete(five)
    assert db.playlists.summaries() == []
    with db.reading() as conn:
        assert conn.execute("SELECT count(*) FROM playlist_items").fetchone()[0] == 0
    assert db.favorites.count() == 1
    with pytest.raises(StorageError) as caught:
        db.playlists.delete(five)
    assert caught.value.code == "playlist_not_found"


def test_missing_playlist_is_a_clear_error_everywhere(db: UserDatabase, song: SongFactory) -> None:
    calls: list[Callable[[], object]] = [
        lambda: db.playlists.get(42),
        lambda: db.playlists.entries(42),
        lambda: db.playlists.rename(42, "x"),
        lambda: db.playlists.add(42, song(1)),
        lambda: db.playlists.remove(42, 0),
        lambda: db.playlists.move(42, 0, 0),
        lambda: db.playlists.reorder(42, []),
        lambda: db.playlists.duplicate(42),
        lambda: db.playlists.clear(42),
    ]
    for call in calls:
        with pytest.raises(StorageError) as caught:
            call()
        assert caught.value.code == "playlist_not_found"
        assert "歌单" in caught.value.message("zh_CN")


def test_add_appends_or_inserts_and_allows_repeats(db: UserDatabase, song: SongFactory, five: int) -> None:
    db.playlists.add(five, song(9))
    db.playlists.add(five, [song(7), song(8)], index=1)
    db.playlists.add(five, song(0), index=0)
    assert _ids(db, five) == ["s0", "s0", "s7", "s8", "s1", "s2", "s3", "s4", "s9"]
    assert db.playlists.get(five).song_count == 9
    assert _positions_are_dense(db, five)
    with pytest.raises(StorageError) as caught:
        db.playlists.add(five, song(1), index=10)
    assert caught.value.code == "bad_index"
    db.playlists.add(five, song(6), index=9)  # index == size: append
    assert _ids(db, five)[-1] == "s6"


def test_remove_by_index(db: UserDatabase, five: int) -> None:
    db.playlists.remove(five, 2)
    db.playlists.remove(five, 0)
    assert _ids(db, five) == ["s1", "s3", "s4"]
    assert _positions_are_dense(db, five)
    with pytest.raises(StorageError):
        db.playlists.remove(five, 3)
    assert _ids(db, five) == ["s1", "s3", "s4"]


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        (0, 4, ["s1", "s2", "s3", "s4", "s0"]),
        (4, 0, ["s4", "s0", "s1", "s2", "s3"]),
        (1, 3, ["s0", "s2", "s3", "s1", "s4"]),
        (3, 1, ["s0", "s3", "s1", "s2", "s4"]),
        (2, 2, ["s0", "s1", "s2", "s3", "s4"]),
    ],
)
def test_move(db: UserDatabase, five: int, src: int, dst: int, expected: list[str]) -> None:
    db.playlists.move(five, src, dst)
    assert _ids(db, five) == expected
    assert _positions_are_dense(db, five)


def test_move_out_of_range_changes_nothing(db: UserDatabase, five: int) -> None:
    for src, dst in [(5, 0), (0, 5), (-1, 0)]:
        with pytest.raises(StorageError):
            db.playlists.move(five, src, dst)
    assert _ids(db, five) == ["s0", "s1", "s2", "s3", "s4"]


def test_reorder_applies_a_permutation_and_refuses_anything_else(db: UserDatabase, five: int) -> None:
    db.playlists.reorder(five, [4, 2, 0, 1, 3])
    assert _ids(db, five) == ["s4", "s2", "s0", "s1", "s3"]
    assert _positions_are_dense(db, five)
    for bad in ([0, 1, 2, 3], [0, 0, 1, 2, 3], [0, 1, 2, 3, 5]):
        with pytest.raises(StorageError) as caught:
            db.playlists.reorder(five, bad)
        assert caught.value.code == "bad_index"
    assert _ids(db, five) == ["s4", "s2", "s0", "s1", "s3"]


def test_duplicate_copies_songs_and_picks_a_free_name(db: UserDatabase, five: int) -> None:
    first = db.playlists.duplicate(five)
    second = db.playlists.duplicate(five)
    third = db.playlists.duplicate(first)
    named = db.playlists.duplicate(five, "备份")
    names = {s.id: s.name for s in db.playlists.summaries()}
    assert (names[first], names[second], names[third], names[named]) == (
        "五首 (2)",
        "五首 (3)",
        "五首 (4)",
        "备份",
    )
    assert _ids(db, first) == _ids(db, five) == _ids(db, named)
    db.playlists.remove(first, 0)  # copies are independent
    assert len(_ids(db, five)) == 5


def test_clear_empties_one_playlist(db: UserDatabase, song: SongFactory, five: int) -> None:
    other = db.playlists.create("other", [song(1)])
    db.playlists.clear(five)
    assert db.playlists.entries(five) == []
    assert _ids(db, other) == ["s1"]


def test_edits_are_atomic_with_the_rest_of_a_transaction(
    db: UserDatabase, song: SongFactory, five: int
) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        db.playlists.move(five, 0, 4)
        db.playlists.add(five, song(9))
        raise RuntimeError("user cancelled")
    assert _ids(db, five) == ["s0", "s1", "s2", "s3", "s4"]
