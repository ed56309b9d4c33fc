"""When to try a failed call again, and how long to wait first."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ktvdesk.errors import KtvError, RateLimitedError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Jittered exponential backoff ("equal jitter": half fixed, half random).

    Only retryable errors are retried, and only for idempotent calls: a payment or a
    recharge is never sent twice by the transport. Rate-limit refusals wait at least
    `rate_limited_min_s`, since the server counts per second.
    """

    max_attempts: int = 4
    base_delay_s: float = 0.2
    max_delay_s: float = 3.0
    rate_limited_min_s: float = 0.25
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def should_retry(self, error: KtvError, *, idempotent: bool, attempt: int) -> bool:
        """`attempt` counts from 1 for the call that just failed."""
        return idempotent and error.retryable and attempt < self.max_attempts

    def backoff_s(self, attempt: int, error: KtvError | None = None) -> float:
        cap = min(self.max_delay_s, self.base_delay_s * (2 ** (attempt - 1)))
        delay = cap / 2 + float(self.rng.uniform(0, cap / 2))
        if isinstance(error, RateLimitedError):
            delay = max(delay, self.rate_limited_min_s)
        return float(delay)
