"""When to refresh and how long to wait after a failure: pure arithmetic, no I/O.

Refresh ahead at a fraction of the lifetime (75 % plus up to 5 % jitter, so 300 links issued
in the same second do not all come due in the same second), but at least `min_lead_ms`
before expiry so a slow or failing provider still has room for a few retries. The floor
never pulls the refresh earlier than `min_fraction` of the lifetime: the emulator's 20 s
links would otherwise be "due" the moment they arrive and refresh in a tight loop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from ktvdesk.clock import ms_between


@dataclass(frozen=True, slots=True)
class RefreshPolicy:
    ahead_fraction: float = 0.75
    jitter_fraction: float = 0.05
    min_lead_ms: int = 30_000
    min_fraction: float = 0.5
    backoff_base_ms: int = 1_000
    backoff_cap_ms: int = 60_000
    backoff_jitter: float = 0.1  # ± this fraction of each backoff delay
    attempt_timeout_ms: int = 30_000
    serve_margin_ms: int = 5_000  # get() refreshes first when the value has less left than this
    max_concurrent: int = 2
    tick_ms: int = 5_000  # longest sleep: bounds how late a suspend or clock jump is noticed
    jump_threshold_ms: int = 2_000

    def __post_init__(self) -> None:
        if not 0 < self.min_fraction <= self.ahead_fraction <= 1:
            raise ValueError("need 0 < min_fraction <= ahead_fraction <= 1")
        if self.jitter_fraction < 0 or self.ahead_fraction + self.jitter_fraction > 1:
            raise ValueError("jitter must keep the refresh point inside the lifetime")
        if self.max_concurrent < 1 or self.tick_ms < 1 or self.backoff_base_ms < 1:
            raise ValueError("max_concurrent, tick_ms and backoff_base_ms must be positive")
        if self.backoff_cap_ms < self.backoff_base_ms:
            raise ValueError("backoff cap below its base")

    def refresh_at(self, issued_at: datetime, expires_at: datetime, rng: random.Random) -> datetime:
        """The wall-clock instant to refresh a value valid from `issued_at` to `expires_at`."""
        lifetime_ms = ms_between(issued_at, expires_at)
        if lifetime_ms <= 0:
            return expires_at
        fraction = self.ahead_fraction + rng.uniform(0.0, self.jitter_fraction)
        at_ms = round(lifetime_ms * fraction)
        at_ms = min(at_ms, lifetime_ms - self.min_lead_ms)
        at_ms = max(at_ms, round(lifetime_ms * self.min_fraction))
        return issued_at + timedelta(milliseconds=at_ms)

    def backoff_ms(self, failures: int, rng: random.Random, *, retryable: bool = True) -> int:
        """Delay before attempt number `failures + 1`; non-retryable errors wait the cap."""
        if failures < 1:
            return 0
        if retryable:
            raw = min(self.backoff_cap_ms, self.backoff_base_ms * (1 << min(failures - 1, 62)))
        else:
            raw = self.backoff_cap_ms
        spread = raw * self.backoff_jitter
        return max(1, round(raw + rng.uniform(-spread, spread)))
