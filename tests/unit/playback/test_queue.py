"""PlayQueue: edits address entries, modes decide what comes next, history records it."""

from __future__ import annotations

import random

import pytest

from ktvdesk.models import PlayMode
from ktvdesk.playback import PlayQueue


def filled(*items: str, mode: PlayMode = PlayMode.ORDER, seed: int = 7) -> PlayQueue[str]:
    queue: PlayQueue[str] = PlayQueue(mode, rng=random.Random(seed))
    for item in items:
        queue.add(item)
    return queue


def drain(queue: PlayQueue[str], limit: int = 20) -> list[str]:
    played = []
    while (entry := queue.advance()) is not None and len(played) < limit:
        played.append(entry.item)
    return played


def test_order_plays_through_once() -> None:
    assert drain(filled("a", "b", "c")) == ["a", "b", "c"]


def test_add_next_goes_before_everything_queued() -> None:
    queue = filled("a", "b")
    queue.advance()  # "a" is playing
    queue.add_next("vip")
    assert queue.items == ("vip", "b")


def test_move_to_top_and_move_and_remove_address_entries_not_songs() -> None:
    queue = filled("a", "b", "a")
    ids = [entry.entry_id for entry in queue]
    queue.move_to_top(ids[2])
    assert [e.entry_id for e in queue] == [ids[2], ids[0], ids[1]]
    queue.move(ids[2], 99)  # clamped to the end
    assert [e.entry_id for e in queue] == [ids[0], ids[1], ids[2]]
    assert queue.remove(ids[0]) == "a"
    assert queue.items == ("b", "a")
    with pytest.raises(KeyError):
        queue.remove(ids[0])


def test_clear_and_shuffle() -> None:
    queue = filled(*"abcdefgh")
    queue.shuffle()
    assert sorted(queue.items) == list("abcdefgh")
    assert queue.items != tuple("abcdefgh")  # seed 7 does reorder
    queue.clear()
    assert len(queue) == 0
    assert queue.advance() is None


def test_repeat_playlist_cycles() -> None:
    assert drain(filled("a", "b", mode=PlayMode.REPEAT_PLAYLIST), limit=5) == ["a", "b", "a", "b", "a"]


def test_repeat_single_repeats_until_skipped() -> None:
    queue = filled("a", "b", mode=PlayMode.REPEAT_SINGLE)
    assert queue.advance().item == "a"  # type: ignore[union-attr]
    assert queue.advance().item == "a"  # type: ignore[union-attr]
    assert queue.advance(skip=True, completed=False).item == "b"  # type: ignore[union-attr]


def test_shuffle_mode_plays_each_once_in_a_random_order() -> None:
    played = drain(filled(*"abcdefgh", mode=PlayMode.SHUFFLE))
    assert sorted(played) == list("abcdefgh")
    assert played != list("abcdefgh")


def test_history_records_what_was_sung_and_what_was_skipped() -> None:
    queue = filled("a", "b", "c")
    queue.advance()
    queue.advance(completed=False, skip=True)
    queue.advance()
    queue.advance()
    assert [(h.item, h.completed) for h in queue.history] == [("a", False), ("b", True), ("c", True)]


def test_history_is_bounded() -> None:
    queue: PlayQueue[int] = PlayQueue(history_limit=3)
    for n in range(10):
        queue.add(n)
    while queue.advance() is not None:
        pass
    assert [h.item for h in queue.history] == [7, 8, 9]
