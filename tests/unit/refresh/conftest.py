"""Shared pieces for the scheduler tests: a fake clock and a scriptable refresh source.

Nothing here is mocked that could run for real: the scheduler, its loop and its tasks are the
real ones on a real asyncio loop; only time is fake (FakeClock), so hours pass instantly.
The "provider" is a local coroutine because the tests are about scheduling, not HTTP.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from ktvdesk.errors import NetworkError
from ktvdesk.refresh import Refreshed, RefreshPolicy, RefreshScheduler
from tests.support.fake_clock import FakeClock

HOUR_MS = 3_600_000
MINUTE_MS = 60_000

# Deterministic timing unless a test is about jitter.
NO_JITTER = RefreshPolicy(jitter_fraction=0.0, backoff_jitter=0.0)


@dataclass
class Source:
    """A refresh coroutine factory that records its calls and can fail or block on request."""

    clock: FakeClock
    name: str = "item"
    lifetime_ms: int = 2 * HOUR_MS
    fail_with: BaseException | None = None
    gate: asyncio.Event | None = None  # when set, each call waits for it
    calls: list[datetime] = field(default_factory=list)
    call_mono_ms: list[int] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    cancelled: int = 0
    on_call: Callable[[str], None] | None = None

    def value(self, n: int) -> str:
        return f"http://cdn.example/{self.name}/v{n}.m4a?sign=secret{n}"

    def initial(self) -> Refreshed[str]:
        now = self.clock.now()
        return Refreshed(self.value(0), now + timedelta(milliseconds=self.lifetime_ms), now)

    async def __call__(self) -> Refreshed[str]:
        self.calls.append(self.clock.now())
        self.call_mono_ms.append(self.clock.monotonic_ms())
        if self.on_call is not None:
            self.on_call(self.name)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if self.gate is not None:
                await self.gate.wait()
            if self.fail_with is not None:
                raise self.fail_with
            now = self.clock.now()
            return Refreshed(self.value(len(self.calls)), now + timedelta(milliseconds=self.lifetime_ms), now)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.active -= 1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def scheduler(clock: FakeClock) -> AsyncIterator[RefreshScheduler]:
    sched = RefreshScheduler(clock=clock, sleep=clock.sleep_ms, policy=NO_JITTER, rng=random.Random(7))
    sched.start()
    yield sched
    await sched.aclose()


@pytest.fixture
async def make_scheduler(clock: FakeClock) -> AsyncIterator[Callable[..., RefreshScheduler]]:
    """Schedulers with a custom policy (started), closed at the end of the test."""
    made: list[RefreshScheduler] = []

    def make(policy: RefreshPolicy = NO_JITTER, *, start: bool = True) -> RefreshScheduler:
        sched = RefreshScheduler(clock=clock, sleep=clock.sleep_ms, policy=policy, rng=random.Random(7))
        if start:
            sched.start()
        made.append(sched)
        return sched

    yield make
    for sched in made:
        await sched.aclose()


@pytest.fixture
def source(clock: FakeClock) -> Callable[..., Source]:
    def make(name: str = "item", **kwargs: object) -> Source:
        return Source(clock, name, **kwargs)  # type: ignore[arg-type]

    return make


def network_down() -> NetworkError:
    return NetworkError("connection refused (test)")


@pytest.fixture
def outage() -> Callable[[], NetworkError]:
    return network_down
