"""Background refresh of expiring URLs and tokens, and the prefetch policy.

Pure asyncio, no Qt: the providers and the playback engine register what expires, the
scheduler keeps it fresh. `ktvdesk.refresh.testing.FakeClock` drives it in tests.
"""

from ktvdesk.refresh.clock import Clock, SleepMs, SystemClock
from ktvdesk.refresh.expiry import (
    Validity,
    cdn_path_issued_at,
    cdn_path_validity,
    from_unix,
    jwt_claims,
    jwt_validity,
    ttl_validity,
    unix_validity,
)
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
    "Clock",
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
    "SleepMs",
    "SystemClock",
    "Validity",
    "cdn_path_issued_at",
    "cdn_path_validity",
    "format_entries",
    "from_unix",
    "jwt_claims",
    "jwt_validity",
    "ttl_validity",
    "unix_validity",
]
