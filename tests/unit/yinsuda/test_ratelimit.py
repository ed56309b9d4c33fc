"""Token buckets driven by a controllable clock: spacing, burst, stalls, fairness, cancellation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from ktvdesk.catalog.http import RateLimits, TokenBucket


class FakeClock:
    """Time moves only when something sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now_s = 1000.0

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.now_s, UTC)

    def time(self) -> float:
        return self.now_s

    def monotonic(self) -> float:
        return self.now_s

    def monotonic_ms(self) -> int:
        return round(self.now_s * 1000)

    async def sleep(self, seconds: float) -> None:
        self.now_s += seconds
        await asyncio.sleep(0)

    async def sleep_ms(self, ms: int) -> None:
        await self.sleep(ms / 1000)


async def test_burst_then_even_spacing() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, burst=3, clock=clock)
    waits = [await bucket.acquire() for _ in range(6)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3:] == pytest.approx([0.1, 0.1, 0.1])
    assert clock.now_s == pytest.approx(1000.3)


async def test_idle_time_refills_only_up_to_the_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, burst=2, clock=clock)
    for _ in range(4):
        await bucket.acquire()
    clock.now_s += 60  # a long pause
    assert [await bucket.acquire() for _ in range(3)] == pytest.approx([0.0, 0.0, 0.1])


async def test_a_stalled_loop_does_not_release_a_backlog() -> None:
    clock = FakeClock()
    bucket = TokenBucket(16, burst=3, clock=clock)
    grants: list[float] = []
    for i in range(120):
        if i == 40:
            clock.now_s += 5.0  # the event loop was stuck for five seconds
        else:
            clock.now_s += 0.01  # callers arrive at 100/s
        await bucket.acquire()
        grants.append(clock.now_s)
    for start in grants:
        assert len([g for g in grants if start <= g < start + 1.0]) <= 16 + 3


async def test_waiters_are_served_in_arrival_order() -> None:
    clock = FakeClock()
    bucket = TokenBucket(5, burst=1, clock=clock)
    order: list[tuple[int, float]] = []

    async def caller(n: int) -> None:
        await bucket.acquire()
        order.append((n, clock.now_s))

    await asyncio.gather(*(caller(n) for n in range(5)))
    assert [n for n, _ in order] == [0, 1, 2, 3, 4]
    assert [t for _, t in order] == pytest.approx([1000.0, 1000.2, 1000.4, 1000.6, 1000.8])


async def test_a_cancelled_waiter_takes_no_token_and_frees_the_queue() -> None:
    clock = FakeClock()
    bucket = TokenBucket(5, burst=1, clock=clock)
    await bucket.acquire()
    gate = asyncio.Event()
    real_sleep = clock.sleep

    async def blocked_sleep(seconds: float) -> None:
        await gate.wait()

    clock.sleep = blocked_sleep  # type: ignore[method-assign]
    waiter = asyncio.create_task(bucket.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    clock.sleep = real_sleep  # type: ignore[method-assign]
    # The next caller waits only for the one token it needs, not for the cancelled one too.
    assert await bucket.acquire() == pytest.approx(0.2)


def test_invalid_bucket() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)
    with pytest.raises(ValueError):
        TokenBucket(1, burst=0)


def test_rate_limits_per_action_stay_under_the_documented_limit() -> None:
    clock = FakeClock()
    limits = RateLimits({"Search": 50}, default_per_s=20, clock=clock)
    search, other = limits.bucket("Search"), limits.bucket("Other")
    assert search is not None and other is not None and search is not other
    assert search.rate_per_s + search.burst <= 50
    assert other.rate_per_s + other.burst <= 20
    assert limits.bucket("Search") is search
    assert RateLimits({}).bucket("anything") is None
