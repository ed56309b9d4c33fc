"""RefreshScheduler on a FakeClock: hours of refreshes, no real sleeping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ktvdesk.errors import KtvError, MediaExpiredError, NetworkError, NotFoundError
from ktvdesk.refresh import (
    EventKind,
    Priority,
    Refreshed,
    RefreshEvent,
    RefreshPolicy,
    RefreshScheduler,
    format_entries,
)
from tests.support.fake_clock import FakeClock, settle

HOUR_MS = 3_600_000
MINUTE_MS = 60_000

SourceFactory = Callable[..., Any]


# -- refresh ahead ---------------------------------------------------------------------------


async def test_refreshes_at_75_percent_of_lifetime_and_not_before(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(lifetime_ms=2 * HOUR_MS)
    start = clock.now()
    scheduler.register("song", src, priority=Priority.PLAYING, initial=src.initial())

    await clock.advance(90 * MINUTE_MS - 1)
    assert src.calls == []

    await clock.advance(1)
    assert src.calls == [start + timedelta(minutes=90)]
    assert scheduler.peek("song") == src.value(1)


async def test_each_refresh_reschedules_from_the_new_lifetime(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(lifetime_ms=HOUR_MS)
    start = clock.now()
    scheduler.register("token", src, initial=src.initial())

    await clock.advance(8 * HOUR_MS)

    # Every 45 min (75 % of 1 h) over 8 h: 10 refreshes, each exactly one step after the last.
    assert [c - start for c in src.calls] == [timedelta(minutes=45 * n) for n in range(1, 11)]


async def test_short_lifetime_uses_the_floor_and_never_loops(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    # The emulator's 20 s links: the 30 s floor cannot apply, half the lifetime does.
    src = source(lifetime_ms=20_000)
    start = clock.now()
    scheduler.register("clip", src, initial=src.initial())

    await clock.advance(60_000)

    assert [c - start for c in src.calls] == [timedelta(seconds=s) for s in (10, 20, 30, 40, 50, 60)]


async def test_registering_without_a_value_fetches_it_promptly(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source()
    scheduler.register("next", src, priority=Priority.NEXT)
    await clock.advance(0)
    assert len(src.calls) == 1
    assert scheduler.peek("next") == src.value(1)


# -- single flight ----------------------------------------------------------------------------


async def test_ten_callers_share_one_refresh(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(gate=asyncio.Event())
    scheduler.register("song", src, initial=None)
    callers = [asyncio.create_task(scheduler.get("song")) for _ in range(10)]
    await settle()
    assert len(src.calls) == 1
    assert not any(c.done() for c in callers)

    src.gate.set()
    results = await asyncio.gather(*callers)

    assert len(src.calls) == 1
    assert results == [src.value(1)] * 10


async def test_get_serves_a_fresh_value_without_a_request(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source()
    scheduler.register("song", src, initial=src.initial())
    assert await scheduler.get("song") == src.value(0)
    assert await scheduler.get("song", min_valid_ms=HOUR_MS) == src.value(0)
    assert src.calls == []


async def test_get_refreshes_first_when_too_little_life_is_left(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    sched = make_scheduler(start=False)  # no background loop: only the caller triggers refreshes
    src = source(lifetime_ms=HOUR_MS)
    sched.register("song", src, initial=src.initial())
    clock.jump_wall(HOUR_MS - 3_000)  # 3 s left, below the 5 s serving margin

    assert await sched.get("song") == src.value(1)
    assert len(src.calls) == 1


async def test_caller_joins_a_scheduled_refresh_in_flight(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(lifetime_ms=HOUR_MS, gate=asyncio.Event())
    scheduler.register("song", src, initial=src.initial())
    await clock.advance(45 * MINUTE_MS)
    assert len(src.calls) == 1  # the scheduled refresh, now blocked

    caller = asyncio.create_task(scheduler.get("song", min_valid_ms=HOUR_MS))
    await settle()
    assert len(src.calls) == 1
    src.gate.set()
    assert await caller == src.value(1)


async def test_a_cancelled_caller_does_not_cancel_the_shared_refresh(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(gate=asyncio.Event())
    scheduler.register("song", src)
    impatient = asyncio.create_task(scheduler.get("song"))
    patient = asyncio.create_task(scheduler.get("song"))
    await settle()
    impatient.cancel()
    await settle()
    src.gate.set()
    assert await patient == src.value(1)
    assert src.cancelled == 0


# -- backoff ---------------------------------------------------------------------------------


async def test_backoff_doubles_up_to_the_cap(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    policy = RefreshPolicy(jitter_fraction=0, backoff_jitter=0, backoff_base_ms=1_000, backoff_cap_ms=16_000)
    sched = make_scheduler(policy)
    src = source(lifetime_ms=HOUR_MS, fail_with=NetworkError("down"))
    sched.register("song", src, initial=src.initial())

    await clock.advance(45 * MINUTE_MS + 100_000)

    gaps = [b - a for a, b in zip(src.call_mono_ms, src.call_mono_ms[1:], strict=False)]
    assert gaps[:7] == [1_000, 2_000, 4_000, 8_000, 16_000, 16_000, 16_000]
    assert sched.entries()[0].failures == len(src.calls)


async def test_success_after_failures_resets_backoff(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(lifetime_ms=HOUR_MS, fail_with=NetworkError("down"))
    scheduler.register("song", src, initial=src.initial())
    await clock.advance(45 * MINUTE_MS + 3_000)  # attempts at +0, +1 s, +3 s
    assert len(src.calls) == 3

    src.fail_with = None
    await clock.advance(4_000)  # next retry at +7 s succeeds
    assert len(src.calls) == 4
    assert scheduler.entries()[0].failures == 0
    assert scheduler.peek("song") == src.value(4)


async def test_non_retryable_errors_wait_the_cap(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(lifetime_ms=HOUR_MS, fail_with=NotFoundError("song withdrawn"))
    scheduler.register("song", src, initial=src.initial())
    await clock.advance(45 * MINUTE_MS + 120_000)
    gaps = [b - a for a, b in zip(src.call_mono_ms, src.call_mono_ms[1:], strict=False)]
    assert gaps == [60_000, 60_000]


async def test_failed_refresh_still_serves_the_old_value_while_it_works(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(lifetime_ms=HOUR_MS, fail_with=NetworkError("down"))
    scheduler.register("song", src, initial=src.initial())
    await clock.advance(50 * MINUTE_MS)  # refreshes have been failing for 5 min
    # The caller wants more life than is left, the refresh fails, the old link still works.
    assert await scheduler.get("song", min_valid_ms=HOUR_MS) == src.value(0)


async def test_callers_do_not_hammer_a_provider_that_is_backing_off(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(lifetime_ms=HOUR_MS, fail_with=NetworkError("down"))
    scheduler.register("song", src, initial=src.initial())
    await clock.advance(45 * MINUTE_MS)
    assert len(src.calls) == 1
    for _ in range(20):
        assert await scheduler.get("song", min_valid_ms=HOUR_MS) == src.value(0)
    assert len(src.calls) == 1


async def test_a_failed_first_fetch_is_retried_in_the_background(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(fail_with=NetworkError("down"))
    scheduler.register("next", src, priority=Priority.NEXT)
    with pytest.raises(NetworkError):
        await scheduler.get("next")
    src.fail_with = None
    await clock.advance(1_000)  # the first backoff step
    assert scheduler.peek("next") == src.value(2)
    assert await scheduler.get("next") == src.value(2)


async def test_expired_value_with_failing_refresh_gives_callers_an_error(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    events: list[RefreshEvent] = []
    scheduler.add_listener(events.append)
    src = source(lifetime_ms=HOUR_MS, fail_with=RuntimeError("socket exploded"))
    scheduler.register("song", src, initial=src.initial())
    await clock.advance(HOUR_MS + MINUTE_MS)

    callers = [asyncio.create_task(scheduler.get("song")) for _ in range(3)]
    results = await asyncio.gather(*callers, return_exceptions=True)

    assert all(isinstance(r, MediaExpiredError) for r in results)
    assert all(r.user_message.zh and r.user_message.en for r in results if isinstance(r, KtvError))
    assert [e.kind for e in events].count(EventKind.EXPIRED) == 1


async def test_a_refresh_that_hangs_times_out_instead_of_hanging_callers(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(gate=asyncio.Event())  # never set: the provider never answers
    scheduler.register("song", src)
    caller = asyncio.create_task(scheduler.get("song"))
    await clock.advance(scheduler.policy.attempt_timeout_ms)

    assert caller.done()
    with pytest.raises(NetworkError) as info:
        caller.result()
    assert info.value.code == "refresh.timeout"
    assert src.cancelled == 1  # the hung request was abandoned, not leaked


# -- unregister, invalidate --------------------------------------------------------------------


async def test_unregister_cancels_the_refresh_in_flight_and_fails_its_waiters(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(gate=asyncio.Event())
    scheduler.register("song", src)
    waiter = asyncio.create_task(scheduler.get("song"))
    await settle()
    assert src.active == 1

    scheduler.unregister("song")
    await settle()

    assert src.cancelled == 1
    assert "song" not in scheduler
    with pytest.raises(KtvError) as info:
        await waiter
    assert info.value.code == "refresh.removed"


async def test_result_of_a_cancelled_refresh_is_discarded(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    gate = asyncio.Event()

    async def stubborn() -> Refreshed[str]:
        # A provider that swallows cancellation and answers anyway.
        try:
            await gate.wait()
        except asyncio.CancelledError:
            await gate.wait()
        return Refreshed("http://old/stale", clock.now() + timedelta(hours=1))

    scheduler.register("song", stubborn)
    await settle()
    scheduler.unregister("song")
    fresh = source("fresh")
    scheduler.register("song", fresh, initial=fresh.initial())
    gate.set()
    await settle()

    assert scheduler.peek("song") == fresh.value(0)


async def test_invalidate_refreshes_now_once_for_many_callers(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source()
    scheduler.register("song", src, priority=Priority.PLAYING, initial=src.initial())
    results = await asyncio.gather(*(scheduler.invalidate("song") for _ in range(5)))
    assert results == [src.value(1)] * 5
    assert len(src.calls) == 1
    assert src.calls[0] == clock.now()  # no time had to pass


async def test_invalidate_never_serves_the_broken_value(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source(fail_with=NetworkError("down"))
    handle = scheduler.register("song", src, initial=src.initial())
    with pytest.raises(NetworkError):
        await handle.invalidate()
    # The next caller must not get the reported-broken link either.
    with pytest.raises(NetworkError):
        await handle.get()
    src.fail_with = None
    assert await handle.get() == src.value(3)


# -- clock jumps ---------------------------------------------------------------------------------


async def test_suspend_past_the_due_time_refreshes_at_the_first_wake_up(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    events: list[RefreshEvent] = []
    scheduler.add_listener(events.append)
    src = source(lifetime_ms=2 * HOUR_MS)
    scheduler.register("song", src, initial=src.initial())
    await clock.advance(MINUTE_MS)

    clock.suspend(100 * MINUTE_MS)  # lid closed past the 90 min refresh point
    await clock.advance(scheduler.policy.tick_ms)

    # Monotonic time moved only a tick: without the wall-clock check this would still wait ~89 min.
    assert len(src.calls) == 1
    assert scheduler.clock_jumps == 1
    assert [e.jump_ms for e in events if e.kind is EventKind.CLOCK_JUMP] == [100 * MINUTE_MS]


async def test_clock_jump_cuts_short_a_backoff(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    policy = RefreshPolicy(jitter_fraction=0, backoff_jitter=0, backoff_base_ms=60_000)
    sched = make_scheduler(policy)
    src = source(lifetime_ms=HOUR_MS, fail_with=NetworkError("down"))
    sched.register("song", src, initial=src.initial())
    await clock.advance(45 * MINUTE_MS)
    assert len(src.calls) == 1  # failed; next try in 60 s of monotonic time

    src.fail_with = None
    clock.suspend(10 * MINUTE_MS)
    await clock.advance(sched.policy.tick_ms)

    assert len(src.calls) == 2
    assert sched.peek("song") == src.value(2)


async def test_small_drift_is_not_a_jump(clock: FakeClock, scheduler: RefreshScheduler) -> None:
    await clock.advance(scheduler.policy.tick_ms)
    clock.jump_wall(500)
    await clock.advance(scheduler.policy.tick_ms)
    clock.jump_wall(-3_000)
    await clock.advance(scheduler.policy.tick_ms)
    assert scheduler.clock_jumps == 1


# -- priorities ----------------------------------------------------------------------------------


async def test_playing_is_refreshed_before_queued_when_both_are_due(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    sched = make_scheduler(RefreshPolicy(jitter_fraction=0, max_concurrent=1))
    order: list[str] = []
    specs = [
        ("q1", Priority.QUEUED),
        ("bg", Priority.BACKGROUND),
        ("q2", Priority.QUEUED),
        ("next", Priority.NEXT),
        ("playing", Priority.PLAYING),
    ]
    for name, priority in specs:
        src = source(name, lifetime_ms=HOUR_MS, on_call=order.append)
        sched.register(name, src, priority=priority, initial=src.initial())

    await clock.advance(45 * MINUTE_MS)

    assert order == ["playing", "next", "q1", "q2", "bg"]


async def test_concurrency_is_bounded_and_the_top_priorities_go_first(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    gate = asyncio.Event()
    order: list[str] = []
    sources = []
    for i in range(20):
        priority = Priority.PLAYING if i == 13 else Priority.NEXT if i == 17 else Priority.QUEUED
        src = source(f"s{i}", lifetime_ms=HOUR_MS, gate=gate, on_call=order.append)
        sources.append(src)
        scheduler.register(f"s{i}", src, priority=priority, initial=src.initial())

    await clock.advance(45 * MINUTE_MS)
    assert order == ["s13", "s17"]  # max_concurrent = 2, and nothing else started

    gate.set()
    await settle()
    assert len(order) == 20
    assert max(s.max_active for s in sources) == 1
    assert sum(1 for e in scheduler.entries() if e.in_flight) == 0


async def test_within_a_class_the_soonest_expiry_goes_first(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    sched = make_scheduler(RefreshPolicy(jitter_fraction=0, max_concurrent=1))
    order: list[str] = []
    late = source("late", lifetime_ms=2 * HOUR_MS, on_call=order.append)
    soon = source("soon", lifetime_ms=HOUR_MS, on_call=order.append)
    sched.register("late", late, initial=late.initial())
    sched.register("soon", soon, initial=soon.initial())
    clock.jump_wall(2 * HOUR_MS - 10 * MINUTE_MS)  # both overdue at the next look
    await clock.advance(sched.policy.tick_ms)
    assert order[:2] == ["soon", "late"]


async def test_a_value_about_to_expire_goes_before_a_higher_class_with_time_to_spare(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    sched = make_scheduler(RefreshPolicy(jitter_fraction=0, max_concurrent=1))
    order: list[str] = []
    playing = source("playing", lifetime_ms=2 * HOUR_MS, on_call=order.append)
    dying = source("dying", on_call=order.append)
    also_dying = source("also_dying", on_call=order.append)
    now = clock.now()
    short = Refreshed("http://short", now + timedelta(minutes=90, seconds=25), now)
    sched.register("dying", dying, priority=Priority.BACKGROUND, initial=short)
    sched.register("also_dying", also_dying, priority=Priority.NEXT, initial=short)
    sched.register("playing", playing, priority=Priority.PLAYING, initial=playing.initial())
    # Asleep past the 2 h item's refresh point (90 min, 30 min left), waking when the others
    # have 20 s left: all three are due, two of them urgently.
    clock.suspend(90 * MINUTE_MS)
    await clock.advance(sched.policy.tick_ms)
    assert order == ["also_dying", "dying", "playing"]


async def test_set_priority_moves_an_item_ahead(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    sched = make_scheduler(RefreshPolicy(jitter_fraction=0, max_concurrent=1))
    order: list[str] = []
    for name in ("a", "b", "c"):
        src = source(name, lifetime_ms=HOUR_MS, on_call=order.append)
        sched.register(name, src, priority=Priority.QUEUED, initial=src.initial())
    sched.set_priority("c", Priority.PLAYING)
    sched.set_priority("b", Priority.NEXT)
    sched.set_priority("unknown", Priority.NEXT)  # ignored
    sched.set_priority("a", Priority.BACKGROUND)
    await clock.advance(45 * MINUTE_MS)
    assert order == ["c", "b", "a"]


# -- observability, errors -------------------------------------------------------------------------


async def test_entries_snapshot_is_redacted_and_timed(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    url = "http://cdn.example/202306151716/0db8f1208ee298295cc6c81bac448751/a.mkv?sign=abc"
    now = clock.now()
    scheduler.register(
        "url", source("u"), priority=Priority.PLAYING, initial=Refreshed(url, now + timedelta(hours=1), now)
    )
    scheduler.register(
        "token", source("t"), initial=Refreshed("sekrit-token-value", now + timedelta(hours=2))
    )
    await clock.advance(1_000)

    rows = {row.key: row for row in scheduler.entries()}
    assert rows["url"].priority is Priority.PLAYING
    assert rows["url"].expires_in_ms == HOUR_MS - 1_000
    assert rows["url"].next_refresh_in_ms == 45 * MINUTE_MS - 1_000
    assert rows["url"].failures == 0
    assert "0db8f1208ee298295cc6c81bac448751" not in rows["url"].describe
    assert "abc" not in rows["url"].describe
    assert rows["url"].describe.startswith("http://cdn.example/202306151716/")
    assert rows["token"].describe == "str"  # a bare token is never shown


async def test_snapshot_renders_as_a_table_and_as_json_fields(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory
) -> None:
    src = source("song", lifetime_ms=HOUR_MS)
    scheduler.register("song", src, priority=Priority.NEXT, initial=src.initial())
    table = format_entries(scheduler.entries())
    assert table.splitlines()[1].split()[:4] == ["NEXT", "3600.0s", "2700.0s", "0"]
    assert "secret0" not in table
    assert scheduler.entries()[0].as_dict()["priority"] == "next"


async def test_scheduled_refreshes_are_logged_without_secrets(
    clock: FakeClock, scheduler: RefreshScheduler, source: SourceFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ktvdesk.refresh")
    src = source(lifetime_ms=HOUR_MS)
    scheduler.register("song-42", src, initial=src.initial())
    text = caplog.text
    assert "refresh song-42 scheduled in 2700000 ms (expires in 3600000 ms" in text
    assert "secret0" not in text


async def test_bad_use_is_reported_clearly(scheduler: RefreshScheduler, source: SourceFactory) -> None:
    src = source()
    scheduler.register("song", src, initial=src.initial())
    with pytest.raises(ValueError, match="already registered"):
        scheduler.register("song", src)
    with pytest.raises(KtvError) as info:
        await scheduler.get("nope")
    assert info.value.code == "refresh.removed"
    with pytest.raises(ValueError):
        Refreshed("x", src.initial().expires_at.replace(tzinfo=None))


async def test_a_refresh_returning_the_wrong_type_is_a_failure_not_a_crash(
    clock: FakeClock, scheduler: RefreshScheduler
) -> None:
    async def broken() -> Any:
        return "just a string"

    scheduler.register("song", broken)
    with pytest.raises(MediaExpiredError):
        await scheduler.get("song")
    assert scheduler.entries()[0].failures == 1


async def test_close_fails_waiters_and_stops_the_loop(
    clock: FakeClock, make_scheduler: Callable[..., RefreshScheduler], source: SourceFactory
) -> None:
    sched = make_scheduler()
    src = source(gate=asyncio.Event())
    sched.register("song", src)
    waiter = asyncio.create_task(sched.get("song"))
    await settle()
    await sched.aclose()
    with pytest.raises(KtvError):
        await waiter
    assert src.cancelled == 1
    assert len(sched) == 0
    with pytest.raises(RuntimeError):
        sched.register("again", src)
