"""Play history, its pages, and the most-sung / recently-sung lists."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ktvdesk.models import Song
from ktvdesk.storage import PlayOutcome, UserDatabase

SongFactory = Callable[..., Song]
T0 = 1_800_000_000_000


def _play(db: UserDatabase, item: Song, at_s: int, listened_ms: int = 200_000, *, done: bool = True) -> int:
    return db.history.record(
        item,
        listened_ms=listened_ms,
        outcome=PlayOutcome.COMPLETED if done else PlayOutcome.SKIPPED,
        vocal_mode="accompaniment",
        played_at_ms=T0 + at_s * 1000,
    )


def test_record_keeps_every_detail(db: UserDatabase, song: SongFactory, clock: Callable[[], int]) -> None:
    play_id = db.history.record(
        song(1), listened_ms=12_345, outcome=PlayOutcome.SKIPPED, vocal_mode="original"
    )
    (entry,) = db.history.page().items
    assert (entry.id, entry.song, entry.listened_ms, entry.outcome, entry.vocal_mode) == (
        play_id,
        song(1),
        12_345,
        PlayOutcome.SKIPPED,
        "original",
    )
    assert entry.played_at_ms < clock()  # the store's clock stamped it
    assert db.history.count() == 1


def test_pages_walk_all_plays_newest_first_without_gaps_or_repeats(
    db: UserDatabase, song: SongFactory
) -> None:
    # Out of time order, with ties: the order must still be by (played_at, id) descending.
    at = {_play(db, song(n % 4), at_s=(n * 7) % 10): (n * 7) % 10 for n in range(23)}
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = db.history.page(limit=5, cursor=cursor)
        seen += [item.id for item in page.items]
        pages += 1
        if not page.has_more:
            break
        cursor = page.cursor
    assert pages == 5
    assert seen == sorted(at, key=lambda play_id: (-at[play_id], -play_id))
    assert len(set(seen)) == 23


def test_page_arguments_are_checked(db: UserDatabase) -> None:
    with pytest.raises(ValueError):
        db.history.page(limit=0)
    with pytest.raises(ValueError):
        db.history.page(cursor="not-a-cursor")


def test_bad_play_records_are_refused(db: UserDatabase, song: SongFactory) -> None:
    with pytest.raises(ValueError):
        db.history.record(song(1), listened_ms=-1, outcome=PlayOutcome.COMPLETED, vocal_mode="original")
    with pytest.raises(ValueError):
        db.history.record(song(1), listened_ms=1, outcome=PlayOutcome.COMPLETED, vocal_mode="")
    with pytest.raises(ValueError):
        db.history.record(song(1), listened_ms=1, outcome="sung-badly", vocal_mode="x")  # type: ignore[arg-type]
    assert db.history.count() == 0


def test_most_sung_counts_sung_plays_and_breaks_ties_by_recency(db: UserDatabase, song: SongFactory) -> None:
    _play(db, song(1), 1)
    _play(db, song(1), 2)
    _play(db, song(2), 3)
    _play(db, song(2), 4)
    _play(db, song(2), 5, listened_ms=3_000, done=False)  # a quick skip is not singing
    _play(db, song(3), 6, listened_ms=70_000, done=False)  # cut during the outro: sung
    _play(db, song(4), 7, listened_ms=1_000, done=False)  # never sung
    top = db.history.most_sung(limit=10)
    assert [(s.song.id, s.sung_count) for s in top] == [("s2", 2), ("s1", 2), ("s3", 1)]
    assert top[0].last_sung_ms == T0 + 4000
    assert [s.song.id for s in db.history.most_sung(limit=1)] == ["s2"]


def test_recently_sung_lists_each_song_once_by_its_last_sung_play(
    db: UserDatabase, song: SongFactory
) -> None:
    _play(db, song(1), 1)
    _play(db, song(2), 2)
    _play(db, song(1), 3)
    _play(db, song(3), 4, listened_ms=10, done=False)  # skipped: played, not sung
    _play(db, song(2), 1)  # an older play recorded late does not move song 2 forward
    recent = db.history.recently_sung()
    assert [(s.song.id, s.last_sung_ms) for s in recent] == [("s1", T0 + 3000), ("s2", T0 + 2000)]
    stats = db.history.stats(song(3))
    assert stats is not None
    assert (stats.play_count, stats.sung_count, stats.last_played_ms, stats.last_sung_ms) == (
        1,
        0,
        T0 + 4000,
        None,
    )
    assert db.history.stats(song(9)) is None


def test_clear_forgets_plays_and_the_lists(db: UserDatabase, song: SongFactory) -> None:
    for n in range(5):
        _play(db, song(n), n)
    assert db.history.clear() == 5
    assert db.history.count() == 0
    assert db.history.page().items == ()
    assert db.history.most_sung() == [] and db.history.recently_sung() == []
    _play(db, song(1), 10)
    assert [s.sung_count for s in db.history.most_sung()] == [1]
