"""The provider's clock. Rate limiters and retries sleep through the one `ktvdesk.clock.Clock`
so tests can drive them with a fake one; `ServerClock` adds the offset learned from a provider's `Date` header: a desktop whose
clock is minutes off would otherwise have every signed request refused as expired.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from ktvdesk.clock import Clock, SystemClock

log = logging.getLogger(__name__)

__all__ = ["Clock", "ServerClock", "SystemClock"]


class ServerClock:
    """The provider's idea of "now": the local clock plus a learned offset."""

    def __init__(self, base: Clock | None = None) -> None:
        self.base: Clock = base or SystemClock()
        self.offset_s = 0.0

    def now(self) -> float:
        return self.base.time() + self.offset_s

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def to_local(self, server_time: datetime) -> datetime:
        """A server-side instant expressed on the local clock (expiries for local timers)."""
        return datetime.fromtimestamp(server_time.timestamp() - self.offset_s, UTC)

    def learn_from_date(self, date_header: str | None) -> bool:
        """Adopt the offset implied by an HTTP `Date` header; False when it is unusable."""
        if not date_header:
            return False
        try:
            server = parsedate_to_datetime(date_header)
        except (TypeError, ValueError, IndexError):
            return False
        if server.tzinfo is None:
            server = server.replace(tzinfo=UTC)
        self.offset_s = server.timestamp() - self.base.time()
        log.info("learned server clock offset %.1f s", self.offset_s)
        return True
