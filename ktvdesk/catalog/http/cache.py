"""`ExpiringCache`: the one cache the cloud providers keep (songs, details, tokens).

Bounded (least recently used out first: a kiosk that browses all night must not grow)
and expiring on the provider's injected `Clock`, so a test drives it with a fake clock.
An entry is handed out only while it has more than `REFRESH_MARGIN_S` of life left: the
one refresh margin of the catalog layer, so nothing is served that dies while in use.

Media links are *not* kept here: `FreshMedia`'s scheduler owns every link the player uses,
and a second copy would only hand a refresh the very link it is meant to replace.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from ktvdesk.clock import Clock, SystemClock

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Refresh anything this long before it expires: VLC may still be buffering a link, and a
# token handed to a chorus must outlive the request that uses it.
REFRESH_MARGIN_S = 60.0


@dataclass(slots=True)
class _Entry(Generic[V]):
    value: V
    expires_s: float | None  # Unix seconds on the cache's clock; None: only the bound evicts


class ExpiringCache(Generic[K, V]):
    def __init__(
        self, max_entries: int, *, clock: Clock | None = None, margin_s: float = REFRESH_MARGIN_S
    ) -> None:
        if max_entries < 1:
            raise ValueError("a cache holds at least one entry")
        self.max_entries = max_entries
        self.margin_s = margin_s
        self._clock: Clock = clock or SystemClock()
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._loading: dict[K, asyncio.Future[V]] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock.time(), UTC)

    def get(self, key: K) -> V | None:
        """The value while it has more than the margin left, else None (and it is dropped)."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        if entry.expires_s is not None and entry.expires_s - self.margin_s <= self._clock.time():
            del self._entries[key]
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.value

    def put(self, key: K, value: V, *, expires_at: datetime | None = None) -> None:
        """Keep `value` until `expires_at` (aware, on the cache's clock) or until evicted."""
        self._entries.pop(key, None)
        self._entries[key] = _Entry(value, expires_at.timestamp() if expires_at is not None else None)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def pop(self, key: K) -> V | None:
        entry = self._entries.pop(key, None)
        return None if entry is None else entry.value

    def clear(self) -> None:
        self._entries.clear()

    async def get_or_load(self, key: K, load: Callable[[], Awaitable[tuple[V, datetime | None]]]) -> V:
        """The cached value, else `load()`'s; callers asking at once share one load."""
        cached = self.get(key)
        if cached is not None:
            return cached
        pending = self._loading.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        try:
            value, expires_at = await load()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # marked retrieved: nobody else may be waiting
            raise
        finally:
            self._loading.pop(key, None)
        self.put(key, value, expires_at=expires_at)
        future.set_result(value)
        return value
