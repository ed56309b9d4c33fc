"""Server-side rate limiting as a cloud counts it: at most N requests in any one second."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    def __init__(self, limit_for: Callable[[str], int], clock: Callable[[], float], window_s: float = 1.0):
        self._limit_for = limit_for
        self._clock = clock
        self._window_s = window_s
        self._hits: dict[str, deque[float]] = {}
        self.refused = 0

    def allow(self, key: str, action: str) -> bool:
        now = self._clock()
        hits = self._hits.setdefault(f"{key}/{action}", deque())
        while hits and hits[0] <= now - self._window_s:
            hits.popleft()
        if len(hits) >= self._limit_for(action):
            self.refused += 1
            return False
        hits.append(now)
        return True
