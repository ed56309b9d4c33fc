"""Prefetch decisions over a long queue: bounded, ordered, and stable under queue changes."""

from __future__ import annotations

import pytest

from ktvdesk.refresh import PrefetchPolicy, Priority

QUEUE = [f"q{i:03d}" for i in range(300)]


def test_fresh_queue_resolves_only_the_current_and_the_next_few() -> None:
    plan = PrefetchPolicy(eager_count=2, keep_count=5).plan(QUEUE[0], QUEUE[1:], resolved=set())
    assert plan.resolve_now == ("q000", "q001", "q002")
    assert plan.keep_fresh == {"q000": Priority.PLAYING, "q001": Priority.NEXT, "q002": Priority.QUEUED}
    assert plan.release == ()


def test_everything_resolved_keeps_a_bounded_window_and_releases_the_rest() -> None:
    plan = PrefetchPolicy(eager_count=2, keep_count=5).plan(QUEUE[0], QUEUE[1:], resolved=set(QUEUE))
    assert plan.resolve_now == ()
    assert list(plan.keep_fresh) == QUEUE[:6]
    assert [plan.keep_fresh[k] for k in QUEUE[3:6]] == [Priority.BACKGROUND] * 3
    assert sorted(plan.release) == QUEUE[6:]


def test_moving_a_far_song_to_next_resolves_it_and_demotes_the_old_next() -> None:
    policy = PrefetchPolicy(eager_count=2, keep_count=5)
    resolved = set(QUEUE[:3])
    upcoming = [QUEUE[250], *QUEUE[1:250], *QUEUE[251:]]  # "置顶" song 250
    plan = policy.plan(QUEUE[0], upcoming, resolved)
    assert plan.resolve_now == ("q250",)
    assert plan.keep_fresh["q250"] is Priority.NEXT
    assert plan.keep_fresh["q001"] is Priority.QUEUED
    assert plan.keep_fresh["q002"] is Priority.BACKGROUND  # resolved already: kept, not re-fetched
    assert plan.release == ()


def test_songs_that_left_the_queue_are_released() -> None:
    plan = PrefetchPolicy().plan("q010", ["q011"], resolved={"q009", "q010", "q011"})
    assert plan.release == ("q009",)


def test_no_current_song_and_duplicates() -> None:
    plan = PrefetchPolicy(eager_count=2, keep_count=2).plan(None, ["a", "a", "b", "c"], resolved=set())
    assert plan.keep_fresh == {"a": Priority.NEXT, "b": Priority.QUEUED}
    plan = PrefetchPolicy().plan("a", ["a", "b"], resolved=set())
    assert plan.keep_fresh == {"a": Priority.PLAYING, "b": Priority.NEXT}


def test_eager_zero_still_resolves_what_is_playing() -> None:
    plan = PrefetchPolicy(eager_count=0, keep_count=0).plan("now", QUEUE, resolved=set())
    assert plan.resolve_now == ("now",)


def test_bad_settings() -> None:
    with pytest.raises(ValueError):
        PrefetchPolicy(eager_count=3, keep_count=2)
