"""The emulator's clock: real time plus the configured skew, and a manual offset tests
use to jump ahead (expire links) without sleeping."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from email.utils import formatdate


class SimClock:
    def __init__(self, skew_s: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._offset_s = skew_s

    def time(self) -> float:
        with self._lock:
            return time.time() + self._offset_s

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset_s += seconds

    def set_skew(self, skew_s: float) -> None:
        with self._lock:
            self._offset_s = skew_s

    def http_date(self) -> str:
        return formatdate(self.time(), usegmt=True)
