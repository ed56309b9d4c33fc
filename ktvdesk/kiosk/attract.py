"""Attract mode: after `idle_after_s` without a touch, with an empty queue and nothing
playing, the terminal shows its slideshow; any touch or a queued song ends it."""

from __future__ import annotations

import time
from collections.abc import Callable


class AttractPolicy:
    def __init__(self, idle_after_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if idle_after_s <= 0:
            raise ValueError("idle_after_s must be positive")
        self.idle_after_s = idle_after_s
        self._clock = clock
        self._last_activity = clock()
        self.active = False

    def activity(self) -> bool:
        """A guest touched the screen; True when this ended the attract mode."""
        self._last_activity = self._clock()
        ended = self.active
        self.active = False
        return ended

    def idle_s(self) -> float:
        return self._clock() - self._last_activity

    def update(self, *, queue_empty: bool, playing: bool) -> bool:
        """Re-evaluate (call on a timer and on queue/playback changes); returns `active`."""
        if not queue_empty or playing:
            if self.active:
                self._last_activity = self._clock()
            self.active = False
        elif self.idle_s() >= self.idle_after_s:
            self.active = True
        return self.active
