"""`ExpiringCache`: bounded, expiring on the injected clock, one refresh margin, one load."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from ktvdesk.catalog.http.cache import REFRESH_MARGIN_S, ExpiringCache
from tests.support.fake_clock import FakeClock


def at(clock: FakeClock, seconds: float) -> datetime:
    return clock.now() + timedelta(seconds=seconds)


def test_bounded_least_recently_used_goes_first() -> None:
    cache: ExpiringCache[int, str] = ExpiringCache(3, clock=FakeClock())
    for key in range(3):
        cache.put(key, f"v{key}")
    assert cache.get(0) == "v0"  # now the most recent
    cache.put(3, "v3")
    assert len(cache) == 3 and 1 not in cache and cache.get(0) == "v0" and cache.get(3) == "v3"
    for key in range(100, 10_100):
        cache.put(key, "x")
    assert len(cache) == 3


def test_entries_expire_one_margin_before_their_time_on_the_injected_clock() -> None:
    clock = FakeClock()
    cache: ExpiringCache[str, str] = ExpiringCache(10, clock=clock)
    cache.put("link", "url", expires_at=at(clock, REFRESH_MARGIN_S + 10))
    cache.put("forever", "value")
    assert cache.get("link") == "url"
    clock.jump_wall(9_000)
    assert cache.get("link") == "url"
    clock.jump_wall(1_000)  # exactly the margin left: not handed out any more, and dropped
    assert cache.get("link") is None and "link" not in cache
    clock.jump_wall(10**10)
    assert cache.get("forever") == "value"  # no expiry: only the bound evicts it


def test_the_wall_clock_of_the_machine_plays_no_part() -> None:
    clock = FakeClock(datetime(2001, 1, 1, tzinfo=UTC))  # far in the past
    cache: ExpiringCache[str, int] = ExpiringCache(2, clock=clock)
    cache.put("k", 1, expires_at=at(clock, 3600))
    assert cache.get("k") == 1 and cache.now() == clock.now()
    assert cache.now() < datetime.now(UTC) - timedelta(days=3650)


async def test_concurrent_loads_of_one_key_share_one_call() -> None:
    clock = FakeClock()
    cache: ExpiringCache[str, int] = ExpiringCache(4, clock=clock)
    calls = 0
    gate = asyncio.Event()

    async def load() -> tuple[int, datetime | None]:
        nonlocal calls
        calls += 1
        await gate.wait()
        return 42, at(clock, 3600)

    first = asyncio.ensure_future(cache.get_or_load("k", load))
    second = asyncio.ensure_future(cache.get_or_load("k", load))
    await asyncio.sleep(0)
    gate.set()
    assert list(await asyncio.gather(first, second)) == [42, 42] and calls == 1
    assert await cache.get_or_load("k", load) == 42 and calls == 1


async def test_a_failed_load_is_not_cached() -> None:
    cache: ExpiringCache[str, int] = ExpiringCache(4, clock=FakeClock())

    async def boom() -> tuple[int, datetime | None]:
        raise ValueError("down")

    with pytest.raises(ValueError):
        await cache.get_or_load("k", boom)

    async def fine() -> tuple[int, datetime | None]:
        return 7, None

    assert await cache.get_or_load("k", fine) == 7


def test_a_cache_holds_at_least_one_entry() -> None:
    with pytest.raises(ValueError):
        ExpiringCache(0)
