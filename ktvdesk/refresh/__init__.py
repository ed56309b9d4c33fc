"""Background refresh of expiring URLs and tokens, and the prefetch policy.

Pure asyncio, no Qt: the providers and the playback engine register what expires, the
scheduler keeps it fresh. The tests drive it with `tests.support.fake_clock.FakeClock`.
"""

from ktvdesk.refresh.policy import RefreshPolicy
from ktvdesk.refresh.prefetch import PrefetchPlan, PrefetchPolicy
from ktvdesk.refresh.scheduler import (
    EntrySnapshot,
    EventKind,
    Priority,
    Refreshed,
    RefreshEvent,
    RefreshFn,
    RefreshHandle,
    RefreshScheduler,
    format_entries,
)

__all__ = [
    "EntrySnapshot",
    "EventKind",
    "PrefetchPlan",
    "PrefetchPolicy",
    "Priority",
    "RefreshEvent",
    "RefreshFn",
    "RefreshHandle",
    "RefreshPolicy",
    "RefreshScheduler",
    "Refreshed",
    "format_entries",
]
