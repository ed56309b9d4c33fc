"""Client-side rate limiting: one token bucket per action.

Tokens are taken at the moment a caller actually proceeds, so a stalled event loop cannot
release a backlog all at once: after any pause at most `burst` calls go out together.
Waiters queue on an `asyncio.Lock`, which is FIFO, so they are served in arrival order;
a caller cancelled while waiting leaves the queue without taking a token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from ktvdesk.clock import Clock, SystemClock


class TokenBucket:
    def __init__(self, rate_per_s: float, burst: int = 1, clock: Clock | None = None) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._clock: Clock = clock or SystemClock()
        self._tokens = float(burst)
        self._updated: float | None = None
        self._queue = asyncio.Lock()

    def try_take(self) -> float:
        """Take a token if one is there (returns 0), else the seconds until one will be."""
        now = self._clock.monotonic()
        if self._updated is not None:
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate_per_s)
        self._updated = now
        # The tolerance absorbs float rounding: a wait too small to move the clock would spin.
        if self._tokens >= 1.0 - 1e-9:
            self._tokens = max(0.0, self._tokens - 1.0)
            return 0.0
        return (1.0 - self._tokens) / self.rate_per_s

    async def acquire(self) -> float:
        """Wait for a token; returns the time spent waiting (seconds)."""
        waited = 0.0
        async with self._queue:
            while (wait := self.try_take()) > 0:
                await self._clock.sleep(wait)
                waited += wait
        return waited


class RateLimits:
    """Token buckets per action, derived from the provider's documented per-second limits.

    The documented limit is what the server counts in any one second. The bucket runs at
    `share` of it with a small burst, so that rate + burst stays below the limit even
    when requests bunch up on the wire.
    """

    def __init__(
        self,
        limits_per_s: Mapping[str, float],
        *,
        default_per_s: float | None = None,
        share: float = 0.8,
        burst_share: float = 0.15,
        clock: Clock | None = None,
    ) -> None:
        self._limits = dict(limits_per_s)
        self._default = default_per_s
        self._share = share
        self._burst_share = burst_share
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}

    def limit_for(self, action: str) -> float | None:
        return self._limits.get(action, self._default)

    def bucket(self, action: str) -> TokenBucket | None:
        limit = self.limit_for(action)
        if limit is None:
            return None
        bucket = self._buckets.get(action)
        if bucket is None:
            burst = max(1, int(limit * self._burst_share))
            bucket = TokenBucket(limit * self._share, burst, self._clock)
            self._buckets[action] = bucket
        return bucket

    async def acquire(self, action: str) -> float:
        bucket = self.bucket(action)
        return await bucket.acquire() if bucket is not None else 0.0
