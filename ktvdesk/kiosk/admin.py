"""The unlocked admin session: it ends on `lock()` or after `timeout_s` without activity,
so a terminal left unlocked by the staff locks itself before a guest finds it."""

from __future__ import annotations

import time
from collections.abc import Callable


class AdminSession:
    def __init__(self, timeout_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.timeout_s = timeout_s
        self._clock = clock
        self._last_activity: float | None = None

    @property
    def unlocked(self) -> bool:
        if self._last_activity is None:
            return False
        if self._clock() - self._last_activity >= self.timeout_s:
            self._last_activity = None
            return False
        return True

    def unlock(self) -> None:
        self._last_activity = self._clock()

    def touch(self) -> None:
        """Staff activity: only an unlocked session is extended (never re-opens one)."""
        if self.unlocked:
            self._last_activity = self._clock()

    def lock(self) -> None:
        self._last_activity = None
