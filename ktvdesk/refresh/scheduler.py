"""Keeps every expiring URL and token fresh in the background, on the asyncio loop.

Each item is registered under a key with its value, its expiry and a coroutine factory that
fetches a new value. A single loop task sleeps until the next item is due and starts its
refresh; callers that need a value now (`get`, `ensure_fresh`, `invalidate`) join the
refresh already in flight for that key instead of starting another (single flight).

Scheduled refreshes run at most `policy.max_concurrent` at a time, PLAYING before NEXT before
the rest, soonest expiry first within a class; a value with less than `min_lead_ms` left goes
before all that (it is the one that would otherwise break). Refreshes a caller is waiting for skip that
queue: a singer is waiting on them. Every attempt is bounded by `attempt_timeout_ms`, so a
caller waiting on a value always gets either the value or a `KtvError`.

Due times are wall-clock (expiries are), sleeping is monotonic. The loop never sleeps longer
than `policy.tick_ms` and compares the two clocks at every wake-up: a difference means the
machine slept or the system time was changed, and then every item is re-examined at once and
retries waiting out a backoff are started right away.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any, Generic, TypeVar, cast

from ktvdesk.clock import SYSTEM_CLOCK, Clock, SleepMs, epoch_ms, ms_between
from ktvdesk.errors import KtvError, MediaExpiredError, NetworkError, UserMessage
from ktvdesk.logs import redact
from ktvdesk.refresh.policy import RefreshPolicy

log = logging.getLogger(__name__)

T = TypeVar("T")


class Priority(IntEnum):
    """Lower sorts first."""

    PLAYING = 0
    NEXT = 1
    QUEUED = 2
    BACKGROUND = 3


@dataclass(frozen=True, slots=True)
class Refreshed(Generic[T]):
    """What a refresh returns: the new value and when it stops working.

    `issued_at` is when the value started its life (a JWT's issue time, the CDN link's
    timestamp); without it the scheduler takes the moment the refresh finished.
    """

    value: T
    expires_at: datetime
    issued_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.expires_at.tzinfo is None or (self.issued_at is not None and self.issued_at.tzinfo is None):
            raise ValueError("expiry times must be timezone-aware")


RefreshFn = Callable[[], Awaitable[Refreshed[T]]]


class EventKind(StrEnum):
    REFRESHED = "refreshed"
    FAILED = "failed"
    EXPIRED = "expired"  # the value expired while refreshes kept failing
    CLOCK_JUMP = "clock_jump"


@dataclass(frozen=True, slots=True)
class RefreshEvent:
    kind: EventKind
    key: str | None = None
    error: BaseException | None = None
    jump_ms: int = 0  # for CLOCK_JUMP: wall-clock change minus monotonic change


@dataclass(frozen=True, slots=True)
class EntrySnapshot:
    """One row of the debug view; `describe` is already redacted."""

    key: str
    priority: Priority
    expires_in_ms: int | None
    next_refresh_in_ms: int | None  # None while a refresh is in flight
    failures: int
    in_flight: bool
    describe: str

    def as_dict(self) -> dict[str, object]:
        """For JSON reports (`play --report json`) and the debug view."""
        return {
            "key": self.key,
            "priority": self.priority.name.lower(),
            "expires_in_ms": self.expires_in_ms,
            "next_refresh_in_ms": self.next_refresh_in_ms,
            "failures": self.failures,
            "in_flight": self.in_flight,
            "describe": self.describe,
        }


def format_entries(rows: Iterable[EntrySnapshot]) -> str:
    """A plain-text table of scheduled refreshes for logs and the debug view."""

    def secs(ms: int | None) -> str:
        return "-" if ms is None else f"{ms / 1000:.1f}s"

    lines = [f"{'priority':<10} {'expires in':>10} {'refresh in':>10} {'fail':>4}  key / value"]
    for row in rows:
        refresh = "now" if row.in_flight else secs(row.next_refresh_in_ms)
        lines.append(
            f"{row.priority.name:<10} {secs(row.expires_in_ms):>10} {refresh:>10} {row.failures:>4}"
            f"  {row.key} {row.describe}".rstrip()
        )
    return "\n".join(lines)


_EXPIRED_MESSAGE = UserMessage(
    "歌曲链接已过期且暂时无法更新，请检查网络后重试。",
    "The song's link expired and could not be renewed. Check the network and try again.",
)
_REMOVED_MESSAGE = UserMessage("这首歌已不在播放队列中。", "This song is no longer in the queue.")


@dataclass(slots=True, eq=False)
class _Flight:
    task: asyncio.Task[None] | None
    result: asyncio.Future[object]
    demand: bool


@dataclass(slots=True, eq=False)
class _Entry:
    key: str
    refresh: RefreshFn[Any]
    priority: Priority
    describe: Callable[[Any], str] | None
    value: object = None
    has_value: bool = False
    expires_at: datetime | None = None
    refresh_at: datetime | None = None
    refresh_at_ms: int = 0  # epoch ms copies of the two instants above, for the hot loop
    expires_at_ms: int = 0
    retry_at_ms: int | None = None  # monotonic; set while backing off after a failure
    failures: int = 0
    invalid: bool = False  # the current value was reported broken (invalidate)
    expired_reported: bool = False
    flight: _Flight | None = None
    last_error: BaseException | None = field(default=None, repr=False)


def _consume_exception(future: asyncio.Future[object]) -> None:
    # A failed flight nobody awaited must not log "exception was never retrieved".
    if not future.cancelled():
        future.exception()


def default_describe(value: object) -> str:
    """A URL when the value has one; never the value itself (tokens are secrets)."""
    url = value if isinstance(value, str) and value.startswith(("http://", "https://")) else None
    url = url or getattr(value, "url", None)
    return url if isinstance(url, str) else type(value).__name__


class RefreshHandle(Generic[T]):
    """A typed view of one registered key."""

    def __init__(self, scheduler: RefreshScheduler, key: str) -> None:
        self._scheduler = scheduler
        self.key = key

    async def get(self, *, min_valid_ms: int | None = None) -> T:
        return cast(T, await self._scheduler.get(self.key, min_valid_ms=min_valid_ms))

    async def invalidate(self) -> T:
        return cast(T, await self._scheduler.invalidate(self.key))

    def set_priority(self, priority: Priority) -> None:
        self._scheduler.set_priority(self.key, priority)

    def unregister(self) -> None:
        self._scheduler.unregister(self.key)


class RefreshScheduler:
    def __init__(
        self,
        *,
        clock: Clock | None = None,
        sleep: SleepMs | None = None,
        policy: RefreshPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.clock: Clock = clock or SYSTEM_CLOCK
        self._sleep: SleepMs = sleep or SYSTEM_CLOCK.sleep_ms
        self.policy = policy or RefreshPolicy()
        self._rng = rng or random.Random()
        self._entries: dict[str, _Entry] = {}
        self._listeners: list[Callable[[RefreshEvent], None]] = []
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._closed = False
        self._last_wall: datetime | None = None
        self._last_mono_ms = 0
        self.refresh_calls = 0
        self.clock_jumps = 0

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Start the background loop (needs a running event loop)."""
        if self._closed:
            raise RuntimeError("scheduler is closed")
        if self._loop_task is None:
            self._loop_task = asyncio.get_running_loop().create_task(self._run(), name="refresh-scheduler")

    async def aclose(self) -> None:
        self._closed = True
        flights = [e.flight.task for e in self._entries.values() if e.flight is not None and e.flight.task]
        for key in list(self._entries):
            self.unregister(key)
        # Flights unwind promptly: they abandon a refresh that ignores cancellation.
        await asyncio.gather(*flights, return_exceptions=True)
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None

    async def __aenter__(self) -> RefreshScheduler:
        self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def add_listener(self, listener: Callable[[RefreshEvent], None]) -> None:
        self._listeners.append(listener)

    # -- registration ------------------------------------------------------------------------

    def register(
        self,
        key: str,
        refresh: RefreshFn[T],
        *,
        priority: Priority = Priority.QUEUED,
        initial: Refreshed[T] | None = None,
        describe: Callable[[T], str] | None = None,
    ) -> RefreshHandle[T]:
        """Keep `key` fresh. Without `initial`, the first value is fetched as soon as possible."""
        if self._closed:
            raise RuntimeError("scheduler is closed")
        if key in self._entries:
            raise ValueError(f"refresh key already registered: {key}")
        entry = _Entry(key=key, refresh=refresh, priority=priority, describe=describe)
        self._entries[key] = entry
        if initial is not None:
            self._store(entry, initial)
        self._poke()
        return RefreshHandle(self, key)

    def unregister(self, key: str) -> None:
        """Stop refreshing `key`; a refresh in flight is cancelled and its result discarded."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        flight, entry.flight = entry.flight, None
        if flight is not None:
            if not flight.result.done():
                flight.result.set_exception(self._removed_error(key))
            if flight.task is not None:
                flight.task.cancel()
        log.debug("refresh %s unregistered", key)
        self._poke()

    def set_priority(self, key: str, priority: Priority) -> None:
        entry = self._entries.get(key)
        if entry is not None and entry.priority != priority:
            entry.priority = priority
            self._poke()

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[str]:
        return list(self._entries)

    # -- getting values ---------------------------------------------------------------------

    def peek(self, key: str) -> object | None:
        """The current value, fresh or not, without waiting (None before the first fetch)."""
        entry = self._entries.get(key)
        return entry.value if entry is not None and entry.has_value else None

    async def get(self, key: str, *, min_valid_ms: int | None = None) -> object:
        """The value, refreshed first when it has less than `min_valid_ms` left to live."""
        entry = self._require(key)
        margin = self.policy.serve_margin_ms if min_valid_ms is None else min_valid_ms
        if self._usable(entry, margin):
            return entry.value
        if (
            entry.retry_at_ms is not None
            and entry.retry_at_ms > self.clock.monotonic_ms()
            and self._usable(entry, 0)
        ):
            # Backing off and the old value still works: another request now would fail the
            # same way and return that value anyway, so spare the struggling provider.
            return entry.value
        return await self._await_flight(entry)

    async def invalidate(self, key: str) -> object:
        """The current value is broken (a stream error): fetch a new one now and return it."""
        entry = self._require(key)
        entry.invalid = True
        entry.retry_at_ms = None
        log.debug("refresh %s invalidated", key)
        return await self._await_flight(entry)

    # -- observability -----------------------------------------------------------------------

    def entries(self) -> list[EntrySnapshot]:
        now = self.clock.now()
        mono = self.clock.monotonic_ms()
        rows = [self._snapshot(entry, now, mono) for entry in self._entries.values()]
        rows.sort(key=lambda row: (row.priority, row.next_refresh_in_ms is None, row.next_refresh_in_ms or 0))
        return rows

    def _snapshot(self, entry: _Entry, now: datetime, mono: int) -> EntrySnapshot:
        expires_in = ms_between(now, entry.expires_at) if entry.expires_at is not None else None
        describe = ""
        if entry.has_value:
            describe = redact((entry.describe or default_describe)(entry.value))
        return EntrySnapshot(
            key=entry.key,
            priority=entry.priority,
            expires_in_ms=expires_in,
            next_refresh_in_ms=None
            if entry.flight is not None
            else self._due_in_ms(entry, epoch_ms(now), mono),
            failures=entry.failures,
            in_flight=entry.flight is not None,
            describe=describe,
        )

    # -- internals: single flight -------------------------------------------------------------

    def _require(self, key: str) -> _Entry:
        entry = self._entries.get(key)
        if entry is None:
            raise self._removed_error(key)
        return entry

    def _removed_error(self, key: str) -> KtvError:
        return KtvError(
            f"refresh key not registered: {key}", user_message=_REMOVED_MESSAGE, code="refresh.removed"
        )

    def _usable(self, entry: _Entry, margin_ms: int) -> bool:
        if not entry.has_value or entry.invalid or entry.expires_at is None:
            return False
        return ms_between(self.clock.now(), entry.expires_at) > margin_ms

    async def _await_flight(self, entry: _Entry) -> object:
        flight = entry.flight or self._start_flight(entry, demand=True)
        try:
            # Shielded: a caller giving up must not cancel the refresh other callers share.
            return await asyncio.shield(flight.result)
        except KtvError:
            # The refresh failed; a value that still works beats an error for the caller.
            if self._entries.get(entry.key) is entry and self._usable(entry, 0):
                return entry.value
            raise

    def _start_flight(self, entry: _Entry, *, demand: bool) -> _Flight:
        loop = asyncio.get_running_loop()
        result: asyncio.Future[object] = loop.create_future()
        result.add_done_callback(_consume_exception)
        flight = _Flight(task=None, result=result, demand=demand)
        entry.flight = flight
        self.refresh_calls += 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "refresh %s starting (%s, priority %s, failures %d, expires in %s ms)",
                entry.key,
                "on demand" if demand else "scheduled",
                entry.priority.name,
                entry.failures,
                ms_between(self.clock.now(), entry.expires_at) if entry.expires_at else "-",
            )
        flight.task = loop.create_task(self._attempt(entry, flight), name=f"refresh:{entry.key}")
        return flight

    async def _attempt(self, entry: _Entry, flight: _Flight) -> None:
        try:
            outcome = await self._call_bounded(entry)
        except asyncio.CancelledError:
            if not flight.result.done():
                flight.result.set_exception(self._removed_error(entry.key))
            raise
        except Exception as exc:
            if self._current(entry, flight):
                self._on_failure(entry, flight, exc)
        else:
            if self._current(entry, flight):
                self._on_success(entry, flight, outcome)
        finally:
            if entry.flight is flight:
                entry.flight = None
            self._poke()

    def _current(self, entry: _Entry, flight: _Flight) -> bool:
        # Unregistered (or re-registered under the same key) meanwhile: discard the result.
        return self._entries.get(entry.key) is entry and entry.flight is flight

    async def _call_bounded(self, entry: _Entry) -> Refreshed[Any]:
        """Run one refresh, bounded by the attempt timeout measured on the injected clock."""
        work = asyncio.ensure_future(entry.refresh())
        timer = asyncio.ensure_future(self._sleep(self.policy.attempt_timeout_ms))
        try:
            done, _ = await asyncio.wait({work, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
            if not work.done():
                work.cancel()
                # Keep a reference until it has unwound; never wait for it (it may not stop).
                self._background.add(work)
                work.add_done_callback(self._background.discard)
        if work in done:
            outcome = work.result()
            if not isinstance(outcome, Refreshed):
                raise TypeError(f"refresh for {entry.key} returned {type(outcome).__name__}, not Refreshed")
            return outcome
        raise NetworkError(
            f"refresh of {entry.key} timed out after {self.policy.attempt_timeout_ms} ms",
            user_message=_EXPIRED_MESSAGE,
            code="refresh.timeout",
        )

    def _store(self, entry: _Entry, outcome: Refreshed[Any]) -> None:
        now = self.clock.now()
        entry.value = outcome.value
        entry.has_value = True
        entry.invalid = False
        entry.expired_reported = False
        entry.expires_at = outcome.expires_at
        issued = outcome.issued_at or now
        entry.refresh_at = self.policy.refresh_at(issued, outcome.expires_at, self._rng)
        entry.refresh_at_ms = epoch_ms(entry.refresh_at)
        entry.expires_at_ms = epoch_ms(outcome.expires_at)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "refresh %s scheduled in %d ms (expires in %d ms, priority %s): %s",
                entry.key,
                ms_between(now, entry.refresh_at),
                ms_between(now, outcome.expires_at),
                entry.priority.name,
                redact((entry.describe or default_describe)(outcome.value)),
            )

    def _on_success(self, entry: _Entry, flight: _Flight, outcome: Refreshed[Any]) -> None:
        self._store(entry, outcome)
        entry.failures = 0
        entry.retry_at_ms = None
        entry.last_error = None
        if not flight.result.done():
            flight.result.set_result(outcome.value)
        self._emit(RefreshEvent(EventKind.REFRESHED, entry.key))

    def _on_failure(self, entry: _Entry, flight: _Flight, exc: Exception) -> None:
        entry.failures += 1
        entry.last_error = exc
        retryable = exc.retryable if isinstance(exc, KtvError) else True
        delay = self.policy.backoff_ms(entry.failures, self._rng, retryable=retryable)
        entry.retry_at_ms = self.clock.monotonic_ms() + delay
        expired = not self._usable(entry, 0)
        # A caller waiting on this refresh receives the error and reports it; a background
        # failure has nobody else to tell.
        log.log(
            logging.INFO if flight.demand else logging.WARNING,
            "refresh %s failed (%d in a row, retry in %d ms%s): %s",
            entry.key,
            entry.failures,
            delay,
            ", value expired" if expired and entry.has_value else "",
            redact(str(exc)),
        )
        if not flight.result.done():
            flight.result.set_exception(self._caller_error(entry, exc))
        self._emit(RefreshEvent(EventKind.FAILED, entry.key, error=exc))
        if expired and entry.has_value and not entry.expired_reported:
            entry.expired_reported = True
            self._emit(RefreshEvent(EventKind.EXPIRED, entry.key, error=exc))

    def _caller_error(self, entry: _Entry, exc: Exception) -> KtvError:
        if isinstance(exc, KtvError):
            return exc
        error = MediaExpiredError(
            f"refresh of {entry.key} failed: {exc!r}", user_message=_EXPIRED_MESSAGE, code="refresh.failed"
        )
        error.__cause__ = exc
        return error

    def _emit(self, event: RefreshEvent) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:
                log.exception("refresh listener failed on %s", event.kind)

    # -- internals: the background loop ---------------------------------------------------

    def _poke(self) -> None:
        self._wake.set()

    def _due_in_ms(self, entry: _Entry, now_ms: int, mono: int) -> int:
        """Milliseconds until `entry` should be refreshed; <= 0 means now."""
        if entry.retry_at_ms is not None:
            return entry.retry_at_ms - mono
        if not entry.has_value or entry.invalid:
            return 0
        return entry.refresh_at_ms - now_ms

    async def _run(self) -> None:
        self._last_wall = self.clock.now()
        self._last_mono_ms = self.clock.monotonic_ms()
        while True:
            self._wake.clear()
            now = self.clock.now()
            mono = self.clock.monotonic_ms()
            self._check_clock(now, mono)
            delay = self._start_due(now, mono)
            if delay > 0:
                await self._wait(delay)

    def _check_clock(self, now: datetime, mono: int) -> None:
        assert self._last_wall is not None
        jump = ms_between(self._last_wall, now) - (mono - self._last_mono_ms)
        self._last_wall, self._last_mono_ms = now, mono
        if abs(jump) < self.policy.jump_threshold_ms:
            return
        self.clock_jumps += 1
        log.info("wall clock moved %+d ms against the monotonic clock (sleep or clock change)", jump)
        for entry in self._entries.values():
            # Backoff delays were measured before the jump; the network may well be back.
            if entry.retry_at_ms is not None:
                entry.retry_at_ms = mono
        self._emit(RefreshEvent(EventKind.CLOCK_JUMP, jump_ms=jump))

    def _start_due(self, now: datetime, mono: int) -> int:
        """Start what is due, within the concurrency bound; return ms until the next wake-up."""
        now_ms = epoch_ms(now)
        running = sum(1 for e in self._entries.values() if e.flight is not None and not e.flight.demand)
        delay = self.policy.tick_ms
        due: list[_Entry] = []
        for entry in self._entries.values():
            if entry.flight is not None:
                continue
            due_in = self._due_in_ms(entry, now_ms, mono)
            if due_in <= 0:
                due.append(entry)
            else:
                delay = min(delay, due_in)
        if due:
            free = self.policy.max_concurrent - running
            urgent_before = now_ms + self.policy.min_lead_ms

            def order(e: _Entry) -> tuple[bool, Priority, int]:
                # A link about to die outranks a higher class that still has time to spare.
                urgent = e.has_value and e.expires_at_ms <= urgent_before
                return (not urgent, e.priority, e.expires_at_ms if e.has_value else now_ms)

            due.sort(key=order)
            for entry in due[: max(0, free)]:
                self._start_flight(entry, demand=False)
        return delay

    async def _wait(self, delay_ms: int) -> None:
        sleeper = asyncio.ensure_future(self._sleep(delay_ms))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waker.cancel()
