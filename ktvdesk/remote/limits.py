"""Sliding-window rate limits, one window per key (a guest, a singer, an address).

A limit says "at most `count` in `window_ms`"; `check` answers 0 (go ahead, counted) or
how many ms until the oldest counted event leaves the window. Keys are bounded: the
least recently seen keys are forgotten first, so a flood of new keys cannot grow memory.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 5000


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    window_ms: int


@dataclass(frozen=True, slots=True)
class RemoteLimits:
    """Configurable from `[remote]` in the settings."""

    requests: Limit = Limit(30, 1000)  # any call, per guest
    joins: Limit = Limit(20, 60_000)  # new phones, per address
    songs: Limit = Limit(6, 60_000)  # 点歌, per singer and per guest
    favorites: Limit = Limit(20, 60_000)  # stars in the host's favourites, per guest
    cheers: Limit = Limit(1, 4000)  # 气氛, per guest
    room_cheers: Limit = Limit(2, 1000)  # 气氛, the whole room (fifty phones must not roar at once)


def _now_ms() -> int:
    return time.monotonic_ns() // 1_000_000


class RateLimiter:
    def __init__(self, limit: Limit, clock: Callable[[], int] = _now_ms, max_keys: int = MAX_KEYS) -> None:
        self.limit = limit
        self._clock = clock
        self._max_keys = max_keys
        self._events: OrderedDict[str, deque[int]] = OrderedDict()

    def check(self, key: str) -> int:
        """0 and counted, or the ms to wait (not counted)."""
        now = self._clock()
        events = self._events.pop(key, None) or deque()
        self._events[key] = events
        while events and now - events[0] >= self.limit.window_ms:
            events.popleft()
        if len(events) >= self.limit.count:
            return max(1, self.limit.window_ms - (now - events[0]))
        events.append(now)
        while len(self._events) > self._max_keys:
            self._events.popitem(last=False)
        return 0

    def refund(self, key: str) -> None:
        """Take back the last event counted for `key`: the action it allowed was refused
        further on (an unknown song, a rule of the host), so it must not use up the limit."""
        events = self._events.get(key)
        if events:
            events.pop()
