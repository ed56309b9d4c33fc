"""A controllable clock for tests and simulations: time only moves when the test says so.

`FakeClock.sleep_ms` parks the caller until `advance()` moves monotonic time past its
deadline. `advance()` wakes sleepers one at a time in deadline order, moves the clock to
exactly that deadline first, and lets the event loop run until it is idle before waking the
next one, so a test sees the same interleaving a real loop would, deterministically and
without real sleeping. `suspend()` and `jump_wall()` model a machine that slept and a system
clock that was changed: the wall clock moves, the monotonic one does not.

Shared by the unit, soak and integration tests and the benchmark (tests/support). It reads
the selector loop's private ready queue (see `settle`), which is why it is test code only.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta

DEFAULT_START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

# How many loop iterations `settle()` allows before giving up on reaching an idle loop;
# a coroutine that reschedules itself forever would otherwise hang the test.
_MAX_SETTLE_ROUNDS = 10_000


class FakeClock:
    def __init__(self, start: datetime = DEFAULT_START, *, monotonic_start_ms: int = 1_000_000) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self._wall = start.astimezone(UTC)
        self._mono_ms = monotonic_start_ms
        self._sleepers: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    # -- the Clock protocol (and the catalog's float-seconds variant) --------------------

    def now(self) -> datetime:
        return self._wall

    def monotonic_ms(self) -> int:
        return self._mono_ms

    def time(self) -> float:
        return self._wall.timestamp()

    def monotonic(self) -> float:
        return self._mono_ms / 1000

    async def sleep_ms(self, ms: int) -> None:
        if ms <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._mono_ms + ms, next(self._order), future))
        await future

    async def sleep(self, seconds: float) -> None:
        await self.sleep_ms(round(seconds * 1000))

    # -- driving time ---------------------------------------------------------------------

    @property
    def pending_sleepers(self) -> int:
        return sum(1 for _, _, future in self._sleepers if not future.done())

    def next_deadline_ms(self) -> int | None:
        """Monotonic time of the earliest live sleeper."""
        self._drop_cancelled()
        return self._sleepers[0][0] if self._sleepers else None

    async def advance(self, ms: int) -> None:
        """Move both clocks forward by `ms`, waking every sleeper due on the way, in order."""
        if ms < 0:
            raise ValueError("time does not go backwards; use jump_wall() for that")
        target = self._mono_ms + ms
        await settle()
        while True:
            self._drop_cancelled()
            if not self._sleepers or self._sleepers[0][0] > target:
                break
            deadline, _, future = heapq.heappop(self._sleepers)
            self._move_to(deadline)
            future.set_result(None)
            await settle()
        self._move_to(target)
        await settle()

    async def run_until_idle(self, max_ms: int) -> None:
        """Advance sleeper by sleeper until none is left or `max_ms` have passed."""
        end = self._mono_ms + max_ms
        await settle()
        while (deadline := self.next_deadline_ms()) is not None and deadline <= end:
            await self.advance(deadline - self._mono_ms)

    def jump_wall(self, ms: int) -> None:
        """The system time was changed by `ms` (either sign); monotonic time is unaffected."""
        self._wall += timedelta(milliseconds=ms)

    def suspend(self, ms: int) -> None:
        """The machine slept for `ms`: wall time passed, monotonic time (Linux) did not."""
        if ms < 0:
            raise ValueError("a suspend lasts a positive time")
        self.jump_wall(ms)

    def _move_to(self, mono_ms: int) -> None:
        if mono_ms > self._mono_ms:
            self._wall += timedelta(milliseconds=mono_ms - self._mono_ms)
            self._mono_ms = mono_ms

    def _drop_cancelled(self) -> None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)


async def settle() -> None:
    """Let the running loop process everything that is ready, without letting time pass.

    Reads the loop's ready queue where the loop exposes it (the stock selector loop does);
    otherwise yields a fixed number of times, enough for the short await chains of tests.
    """
    loop = asyncio.get_running_loop()
    ready = getattr(loop, "_ready", None)
    if ready is None:
        for _ in range(200):
            await asyncio.sleep(0)
        return
    idle_rounds = 0
    for _ in range(_MAX_SETTLE_ROUNDS):
        await asyncio.sleep(0)
        # Two consecutive empty rounds: a callback scheduled by the last one has run too.
        idle_rounds = idle_rounds + 1 if not ready else 0
        if idle_rounds >= 2:
            return
