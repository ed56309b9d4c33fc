"""The provider mechanism shared by every cloud catalog.

One `ProviderTransport` per provider owns the `httpx.AsyncClient`, the per-action token
buckets, the retry policy, the learned server clock and the mapping of failures into
`ktvdesk.errors`. What differs between clouds (signing, envelope, error codes) is a
`WireProtocol` plugged into it.
"""

from ktvdesk.catalog.http.clock import ServerClock
from ktvdesk.catalog.http.errors import ErrorRule, ErrorTable
from ktvdesk.catalog.http.ratelimit import RateLimits, TokenBucket
from ktvdesk.catalog.http.retry import RetryPolicy
from ktvdesk.catalog.http.transport import (
    ApiCall,
    ApiFailure,
    Fetched,
    ProviderTransport,
    Reply,
    WireProtocol,
)
from ktvdesk.clock import Clock, SystemClock

__all__ = [
    "ApiCall",
    "ApiFailure",
    "Clock",
    "ErrorRule",
    "ErrorTable",
    "Fetched",
    "ProviderTransport",
    "RateLimits",
    "Reply",
    "RetryPolicy",
    "ServerClock",
    "SystemClock",
    "TokenBucket",
    "WireProtocol",
]
