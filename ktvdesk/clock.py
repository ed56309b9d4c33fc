"""The one clock: wall time, monotonic time and sleep behind one injected object.

Expiries are wall-clock instants (the server says "valid until 12:00 UTC") but elapsed time
and sleeping are monotonic. Keeping both behind one object is what lets the unit tests run
hours of refreshes, rate limits and retries on a fake clock
(`tests.support.fake_clock.FakeClock`), and lets the refresh scheduler notice when the two
disagree (the machine slept, or someone changed the system time).

Two spellings of each reading: integer milliseconds and aware datetimes for the refresh
scheduler, float seconds for the HTTP layer (rate limiters, retries, the server-clock
offset), which counts in the seconds its providers' documents use.
A leaf module, below both the catalogs and the refresh scheduler.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

SleepMs = Callable[[int], Awaitable[None]]
"""Sleep for a number of milliseconds of monotonic time."""


class Clock(Protocol):
    def now(self) -> datetime:
        """Wall-clock time, aware UTC."""
        ...

    def monotonic_ms(self) -> int:
        """A clock that never jumps; only differences are meaningful."""
        ...

    def time(self) -> float:
        """Wall-clock Unix time in seconds."""
        ...

    def monotonic(self) -> float:
        """`monotonic_ms` in seconds."""
        ...

    async def sleep_ms(self, ms: int) -> None: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic_ms(self) -> int:
        return time.monotonic_ns() // 1_000_000

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic_ns() / 1e9

    async def sleep_ms(self, ms: int) -> None:
        await asyncio.sleep(max(0, ms) / 1000)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)


def epoch_ms(moment: datetime) -> int:
    """Whole milliseconds since 1970 of an aware datetime (integer maths in hot loops)."""
    return (moment - _EPOCH) // _ONE_MS


def ms_between(earlier: datetime, later: datetime) -> int:
    """Whole milliseconds from `earlier` to `later` (negative when `later` is earlier)."""
    delta = later - earlier
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
