"""The FakeClock the scheduler tests (and later the soak test) rely on."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.support.fake_clock import FakeClock


async def test_sleepers_wake_in_deadline_order_at_their_exact_time(clock: FakeClock) -> None:
    woke: list[tuple[str, int]] = []

    async def sleeper(name: str, ms: int) -> None:
        await clock.sleep_ms(ms)
        woke.append((name, clock.monotonic_ms()))

    start = clock.monotonic_ms()
    tasks = [
        asyncio.create_task(sleeper(n, ms)) for n, ms in (("c", 300), ("a", 100), ("b", 200), ("d", 900))
    ]
    await clock.advance(500)

    assert woke == [("a", start + 100), ("b", start + 200), ("c", start + 300)]
    assert clock.monotonic_ms() == start + 500
    assert clock.pending_sleepers == 1
    await clock.advance(400)
    assert woke[-1] == ("d", start + 900)
    await asyncio.gather(*tasks)


async def test_a_sleeper_started_by_a_woken_one_fires_within_the_same_advance(clock: FakeClock) -> None:
    times: list[int] = []

    async def chain() -> None:
        for _ in range(3):
            await clock.sleep_ms(100)
            times.append(clock.monotonic_ms())

    start = clock.monotonic_ms()
    task = asyncio.create_task(chain())
    await clock.advance(1_000)
    assert times == [start + 100, start + 200, start + 300]
    await task


async def test_wall_and_monotonic_move_together_except_on_suspend_and_jumps(clock: FakeClock) -> None:
    wall, mono = clock.now(), clock.monotonic_ms()
    await clock.advance(1_500)
    assert (clock.now() - wall, clock.monotonic_ms() - mono) == (timedelta(milliseconds=1_500), 1_500)
    clock.suspend(60_000)
    clock.jump_wall(-2_000)
    assert clock.now() - wall == timedelta(milliseconds=59_500)
    assert clock.monotonic_ms() - mono == 1_500
    assert clock.time() == clock.now().timestamp()


async def test_cancelled_sleepers_are_forgotten(clock: FakeClock) -> None:
    task = asyncio.create_task(clock.sleep_ms(100))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert clock.next_deadline_ms() is None
    await clock.advance(200)


async def test_run_until_idle_and_misuse(clock: FakeClock) -> None:
    task = asyncio.create_task(clock.sleep(2.5))
    await clock.run_until_idle(10_000)
    assert task.done()
    with pytest.raises(ValueError):
        await clock.advance(-1)
    with pytest.raises(ValueError):
        clock.suspend(-1)
