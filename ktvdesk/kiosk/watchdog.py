"""The engine watchdog: while a song should be playing, position reports are the
engine's heartbeat. No heartbeat for `timeout_s` → restart the engine on the song. When
restarts keep failing (`max_restarts` in a row without a heartbeat in between) the
process itself is the problem: the answer is to exit and let the service manager
(systemd `Restart=on-failure`: a watchdog exit is a failure) start a fresh one, which restores the queue from storage.

This complements the engine's own stall recovery (which re-opens a stream that stops
advancing): the watchdog catches an engine that stops reporting at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class WatchdogAction(StrEnum):
    NONE = "none"
    RESTART_ENGINE = "restart_engine"
    EXIT_PROCESS = "exit_process"


class Watchdog:
    def __init__(
        self, timeout_s: float = 15.0, *, max_restarts: int = 3, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if timeout_s <= 0 or max_restarts < 1:
            raise ValueError("timeout_s and max_restarts must be positive")
        self.timeout_s = timeout_s
        self.max_restarts = max_restarts
        self._clock = clock
        self._last_beat = clock()
        self._expecting = False
        self.restarts_in_a_row = 0
        self.restarts_total = 0

    def beat(self) -> None:
        self._last_beat = self._clock()
        self.restarts_in_a_row = 0

    def expect(self, playing: bool) -> None:
        """Heartbeats are only due while playing; the timeout counts from when they became due."""
        if playing and not self._expecting:
            self._last_beat = self._clock()
        self._expecting = playing

    def check(self) -> WatchdogAction:
        if not self._expecting or self._clock() - self._last_beat < self.timeout_s:
            return WatchdogAction.NONE
        self._last_beat = self._clock()  # give the restart a full timeout to show life
        if self.restarts_in_a_row >= self.max_restarts:
            return WatchdogAction.EXIT_PROCESS
        self.restarts_in_a_row += 1
        self.restarts_total += 1
        return WatchdogAction.RESTART_ENGINE
