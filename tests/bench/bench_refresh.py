"""RefreshScheduler cost: refresh calls over a simulated night, and event-loop lag in real time.

1. 300 registered items with the lifetimes the clouds hand out (5 min ZEGO resources, 1 h
   share_tokens, 2 h Yinsuda links, 4 h Xiaowei links, 12 h krc_tokens) over 8 simulated
   hours on the FakeClock: refresh calls against a naive "refresh everything every N minutes"
   baseline whose N is the largest that keeps the shortest-lived item valid, plus the
   scheduler's loop wake-ups and the CPU time it all took.
2. 20 s of real time on a real asyncio loop with 300 short-lived items (8–20 s lifetimes, so
   thousands of refreshes happen): how late a 10 ms timer fires (p50/p99/max), next to the
   same probe on an idle loop in the same run.

Run with `make bench` (pytest -s); nothing here asserts a timing.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ktvdesk.clock import SystemClock
from ktvdesk.models import MediaSource
from ktvdesk.refresh import Priority, Refreshed, RefreshPolicy, RefreshScheduler
from tests.support.fake_clock import FakeClock

ITEMS = 300
SIM_HOURS = 8
MINUTE_MS = 60_000
# (label, lifetime_ms): 60 items each.
KINDS = (
    ("zego resource_ttl", 5 * MINUTE_MS),
    ("zego share_token", 60 * MINUTE_MS),
    ("yinsuda cdn link", 120 * MINUTE_MS),
    ("xiaowei url", 240 * MINUTE_MS),
    ("zego krc_token", 720 * MINUTE_MS),
)
LATENCY_MS = 150  # simulated provider round trip
REAL_SECONDS = 20
PROBE_MS = 10


@dataclass
class Tally:
    calls: int = 0
    late: int = 0  # a value replaced after it had already expired


class TimedScheduler(RefreshScheduler):
    """Accounts the CPU of the scheduler's own decision pass, apart from the fake clock's."""

    decide_s = 0.0

    def _start_due(self, now: datetime, mono: int) -> int:
        t0 = time.thread_time()  # CPU, not wall: other processes share these cores
        try:
            return super()._start_due(now, mono)
        finally:
            self.decide_s += time.thread_time() - t0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def test_bench_refresh_calls_over_a_simulated_night() -> None:
    asyncio.run(_simulated_night())


async def _simulated_night() -> None:
    clock = FakeClock()
    wakeups = 0

    async def counting_sleep(ms: int) -> None:
        nonlocal wakeups
        wakeups += 1
        await clock.sleep_ms(ms)

    sched = TimedScheduler(clock=clock, sleep=counting_sleep, policy=RefreshPolicy(), rng=random.Random(1))
    tally = Tally()
    rng = random.Random(2)
    expiries: dict[str, datetime] = {}

    def make_refresh(key: str, lifetime_ms: int) -> Callable[[], Awaitable[Refreshed[str]]]:
        async def refresh() -> Refreshed[str]:
            await clock.sleep_ms(LATENCY_MS)
            tally.calls += 1
            now = clock.now()
            if now >= expiries[key]:
                tally.late += 1
            expiries[key] = now + timedelta(milliseconds=lifetime_ms)
            return Refreshed(f"http://cdn/{key}/{tally.calls}", expiries[key], now)

        return refresh

    for i in range(ITEMS):
        label, lifetime_ms = KINDS[i % len(KINDS)]
        key = f"{label}#{i}"
        # Resolved at different moments before the night starts, as a queue fills up.
        issued = clock.now() - timedelta(milliseconds=rng.randrange(0, lifetime_ms // 2))
        priority = Priority.PLAYING if i == 0 else Priority.NEXT if i == 1 else Priority.QUEUED
        expiries[key] = issued + timedelta(milliseconds=lifetime_ms)
        initial = Refreshed(f"http://cdn/{key}/0", expiries[key], issued)
        sched.register(key, make_refresh(key, lifetime_ms), priority=priority, initial=initial)

    sched.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    await clock.advance(SIM_HOURS * 60 * MINUTE_MS)
    cpu_s, wall_s = time.process_time() - cpu0, time.perf_counter() - wall0
    await sched.aclose()

    shortest = min(lifetime for _, lifetime in KINDS)
    # The naive loop must finish a full pass (300 calls at LATENCY_MS, 2 at a time) inside
    # the shortest lifetime; its period is the lifetime minus the pass and the same 30 s floor.
    pass_ms = ITEMS * LATENCY_MS // 2
    naive_period_ms = shortest - pass_ms - RefreshPolicy().min_lead_ms
    naive_calls = ITEMS * (SIM_HOURS * 60 * MINUTE_MS // naive_period_ms)
    per_kind = {label: 0.0 for label, _ in KINDS}
    for label, lifetime in KINDS:
        per_kind[label] = (ITEMS / len(KINDS)) * SIM_HOURS * 60 * MINUTE_MS / (lifetime * 0.775)

    print()
    print(f"refresh scheduler, {ITEMS} items, {SIM_HOURS} h simulated (fake clock)")
    print(f"  scheduler refresh calls        {tally.calls:>8}")
    print(f"  naive every {naive_period_ms / 1000:.0f} s (safe N)     {naive_calls:>8}")
    print(f"  ratio naive / scheduler        {naive_calls / tally.calls:>8.2f}x")
    print(f"  ideal (lifetime x 0.775 avg)   {sum(per_kind.values()):>8.0f}")
    print(f"  refreshes after expiry         {tally.late:>8}")
    print(f"  loop wake-ups                  {wakeups:>8}  ({wakeups / SIM_HOURS:.0f}/h)")
    print(
        f"  scheduling decisions, CPU      {sched.decide_s:>8.2f} s ({sched.decide_s / wakeups * 1e6:.0f} µs/wake-up)"
    )
    print(f"  CPU for the whole night        {cpu_s:>8.2f} s (wall {wall_s:.2f} s, incl. fake clock)")
    assert tally.late == 0


def test_bench_event_loop_lag_real_time() -> None:
    idle = asyncio.run(_probe_lag(with_scheduler=False))
    busy = asyncio.run(_probe_lag(with_scheduler=True))
    print()
    print(f"event-loop lag, {PROBE_MS} ms timer, {REAL_SECONDS} s real time each")
    print(f"  {'':24}{'idle loop':>12}{'300 items':>12}{'ratio':>8}")
    for name, q in (("p50", 0.5), ("p99", 0.99), ("max", 1.0)):
        a, b = percentile(idle.lags_ms, q), percentile(busy.lags_ms, q)
        print(f"  lag {name} (ms){'':13}{a:>12.2f}{b:>12.2f}{b / a if a else float('nan'):>8.2f}")
    print(f"  samples{'':17}{len(idle.lags_ms):>12}{len(busy.lags_ms):>12}")
    print(f"  refresh calls{'':11}{'':>12}{busy.calls:>12}")
    print(f"  refreshes after expiry{'':2}{'':>12}{busy.late:>12}")


@dataclass
class LagRun:
    lags_ms: list[float]
    calls: int = 0
    late: int = 0


async def _probe_lag(*, with_scheduler: bool) -> LagRun:
    clock = SystemClock()
    rng = random.Random(5)
    tally = Tally()
    sched: RefreshScheduler | None = None
    if with_scheduler:
        sched = RefreshScheduler(clock=clock, policy=RefreshPolicy(max_concurrent=2), rng=random.Random(6))
        for i in range(ITEMS):
            lifetime_ms = rng.randrange(8_000, 20_000)
            key = f"song-{i}"
            sched.register(
                key,
                _real_refresh(clock, key, lifetime_ms, tally),
                priority=Priority.QUEUED,
                initial=_real_value(clock, key, lifetime_ms),
            )
        sched.start()
    lags: list[float] = []
    end = time.perf_counter() + REAL_SECONDS
    while time.perf_counter() < end:
        before = time.perf_counter_ns()
        await asyncio.sleep(PROBE_MS / 1000)
        lags.append((time.perf_counter_ns() - before) / 1e6 - PROBE_MS)
    if sched is not None:
        await sched.aclose()
    return LagRun(lags, tally.calls, tally.late)


def _real_value(clock: SystemClock, key: str, lifetime_ms: int) -> Refreshed[MediaSource]:
    now = clock.now()
    expires = now + timedelta(milliseconds=lifetime_ms)
    return Refreshed(
        MediaSource(url=f"http://127.0.0.1/{key}/a.m4a?sign=x", expires_at=expires), expires, now
    )


def _real_refresh(
    clock: SystemClock, key: str, lifetime_ms: int, tally: Tally
) -> Callable[[], Awaitable[Refreshed[MediaSource]]]:
    expires_at = [clock.now() + timedelta(milliseconds=lifetime_ms)]

    async def refresh() -> Refreshed[MediaSource]:
        await asyncio.sleep(0.02)  # a loopback round trip
        tally.calls += 1
        if clock.now() >= expires_at[0]:
            tally.late += 1
        value = _real_value(clock, key, lifetime_ms)
        expires_at[0] = value.expires_at
        return value

    return refresh
