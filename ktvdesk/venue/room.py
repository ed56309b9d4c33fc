"""A room terminal's side of the venue: state out, desk commands in, nothing lost offline.

`RoomAgent` sits beside the room's `KaraokeSession` (it only reads the session and calls
its public methods) and:
- publishes the room's state as a retained topic whenever it changes, and its presence
  (a retained `online` flag, with a last will that clears it);
- follows the retained session topic the server keeps for the room (open, closes at,
  volume cap, paused) and the room's command topic (messages for the stage);
- keeps the room's hours by itself: a warning 10 minutes before the end, and at the
  end it stops, clears the queue and tells its listeners (the phone remote rotates its
  token) — the server being down does not keep a room open;
- logs every venue song queued here through a durable outbox (a JSON-lines file
  written before the request is sent, removed once the server has it), so a request
  made during an outage is sent when the server is back, and, the server deduplicating
  by request id, never counted twice;
- copies the queued songs into the room's cache ahead of time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from ktvdesk.catalog.venue import VenueProvider
from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.venue import bus

log = logging.getLogger(__name__)

WARN_BEFORE = timedelta(minutes=10)
TICK_S = 1.0
STATE_EVERY_S = 10.0


class _Entry(Protocol):
    @property
    def entry_id(self) -> int: ...

    @property
    def item(self) -> Song: ...


class _Playing(Protocol):
    @property
    def entry_id(self) -> int: ...

    @property
    def song(self) -> Song: ...


class RoomSession(Protocol):
    """What the agent needs of `KaraokeSession`."""

    def subscribe(self, listener: Callable[[Any], None]) -> Callable[[], None]: ...

    @property
    def now_playing(self) -> _Playing | None: ...

    @property
    def upcoming(self) -> Sequence[_Entry]: ...

    @property
    def volume(self) -> int: ...

    def set_volume(self, percent: int) -> None: ...

    def pause(self) -> None: ...

    def stop(self) -> None: ...

    def clear(self) -> None: ...


class RoomEventKind(StrEnum):
    HOURS = "hours"  # opened, extended, closed by the desk, or the cap/pause changed
    MESSAGE = "message"  # a desk message for the stage (`text`)
    WARNING = "warning"  # the room closes in 10 minutes
    CLOSED = "closed"  # the room's time is over: the queue was cleared


@dataclass(frozen=True, slots=True)
class RoomEvent:
    kind: RoomEventKind
    text: str = ""


@dataclass(slots=True)
class Hours:
    open: bool = False
    closes_at: datetime | None = None
    volume_cap: int | None = None
    paused: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Hours:
        closes = data.get("closes_at")
        cap = data.get("volume_cap")
        return cls(
            bool(data.get("open")),
            datetime.fromisoformat(closes) if closes else None,
            int(cap) if cap is not None else None,
            bool(data.get("paused")),
        )


@dataclass(slots=True)
class _Outbox:
    """Song requests not yet acknowledged by the server, on disk before they are sent."""

    path: Path
    pending: list[dict[str, Any]] = field(default_factory=list)

    def load(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            with contextlib.suppress(ValueError):
                self.pending.append(json.loads(line))

    def add(self, request: dict[str, Any]) -> None:
        self.pending.append(request)
        self._save()

    def done(self, request_id: str) -> None:
        self.pending = [r for r in self.pending if r["request_id"] != request_id]
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in self.pending)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self.path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)


class RoomAgent:
    def __init__(
        self,
        session: RoomSession,
        venue: VenueProvider,
        *,
        data_dir: Path,
        broker_url: str | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        singer_of: Callable[[int], str | None] = lambda _: None,
    ) -> None:
        self.session = session
        self.venue = venue
        self.room = venue.room.room
        self.data_dir = data_dir
        self._memory = data_dir / "room.json"
        remembered = _read_json(self._memory)
        # What the room knew last time: a room rebooted while the server is down still
        # knows its broker and when it closes.
        self.hours = Hours.from_json(remembered.get("hours") or {})
        self._broker_url = broker_url or remembered.get("broker")
        self._now = now
        self._singer_of = singer_of
        self._outbox = _Outbox(data_dir / "outbox.jsonl")
        self._seen_entries: set[int] = set()
        self._listeners: list[Callable[[RoomEvent], None]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._bus: bus.Bus | None = None
        self._warned_for: datetime | None = None
        self._publish_pending = False
        self._unsubscribe: Callable[[], None] | None = None
        self._flushing = False
        self._loop: asyncio.AbstractEventLoop | None = None  # set by `start`

    # -- life ---------------------------------------------------------------------------

    async def start(self) -> None:
        # Session events may come from a Qt slot between loop iterations: work is
        # scheduled on this loop, never on "the running one".
        self._loop = asyncio.get_running_loop()
        self._outbox.load()
        self._seen_entries = {entry.entry_id for entry in self.session.upcoming}
        self._unsubscribe = self.session.subscribe(self._session_changed)
        self._spawn(self._ticker())
        self._spawn(self._prefetch())
        if self._broker_url is None:
            self._spawn(self._find_broker())
        else:
            self._start_bus(self._broker_url)

    async def _find_broker(self) -> None:
        """First start with the server away: ask again until it answers."""
        while True:
            try:
                status = await self.venue.status()
            except KtvError as exc:
                log.info("room %s: venue server not reachable yet: %s", self.room, exc.detail)
                await asyncio.sleep(STATE_EVERY_S)
                continue
            self._apply_hours(Hours.from_json(status))
            self._start_bus(str(status["mqtt"]))
            return

    def _start_bus(self, url: str) -> None:
        self._broker_url = url
        self._remember()
        self._bus = bus.Bus(
            url,
            self.room,
            self.venue.room.key,
            loop=self._loop or asyncio.get_running_loop(),
            on_message=self._bus_message,
            on_connect=self._connected,
            subscriptions=(bus.session_topic(self.room), bus.commands_topic(self.room), bus.BROADCAST),
            will=(bus.online_topic(self.room), False),
        )
        self._bus.start()

    def _remember(self) -> None:
        hours = {
            "open": self.hours.open,
            "closes_at": self.hours.closes_at.isoformat() if self.hours.closes_at else None,
            "volume_cap": self.hours.volume_cap,
            "paused": self.hours.paused,
        }
        _write_json(self._memory, {"broker": self._broker_url, "hours": hours})

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._bus is not None:
            self._bus.publish(bus.online_topic(self.room), False, retain=True)
            self._bus.stop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def subscribe(self, listener: Callable[[RoomEvent], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @property
    def pending_requests(self) -> int:
        return len(self._outbox.pending)

    def time_left_ms(self) -> int:
        if not self.hours.open or self.hours.closes_at is None:
            return 0
        return max(0, int((self.hours.closes_at - self._now()).total_seconds() * 1000))

    def _emit(self, event: RoomEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _spawn(self, work: Any) -> None:
        task = (self._loop or asyncio.get_running_loop()).create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the bus --------------------------------------------------------------------------

    def _connected(self) -> None:
        """Also after a broker restart: presence and state are retained topics the broker
        may have lost, and requests queued meanwhile may now go through."""
        assert self._bus is not None
        self._bus.publish(bus.online_topic(self.room), True, retain=True)
        self.publish_state()
        self._spawn(self.flush_requests())

    def _bus_message(self, topic: str, payload: Any) -> None:
        if topic == bus.session_topic(self.room) and isinstance(payload, dict):
            self._apply_hours(Hours.from_json(payload))
        elif isinstance(payload, dict) and payload.get("action") == "message":
            self._emit(RoomEvent(RoomEventKind.MESSAGE, str(payload.get("text", ""))[:200]))

    def _apply_hours(self, hours: Hours) -> None:
        was_open = self.hours.open
        self.hours = hours
        self._remember()
        if hours.paused:
            self.session.pause()
        if hours.volume_cap is not None and self.session.volume > hours.volume_cap:
            self.session.set_volume(hours.volume_cap)
        self._emit(RoomEvent(RoomEventKind.HOURS))
        if was_open and not hours.open:
            self._close()
        else:
            self.check_time()
        self.publish_state()

    # -- time -----------------------------------------------------------------------------

    async def _ticker(self) -> None:
        ticks = 0
        while True:
            await asyncio.sleep(TICK_S)
            ticks += 1
            self.check_time()
            if ticks % int(STATE_EVERY_S / TICK_S) == 0:
                self.publish_state()
                if self._outbox.pending:
                    await self.flush_requests()

    def check_time(self) -> None:
        """Warn once 10 minutes before the end; close at the end (run every second, and
        by tests after moving their clock)."""
        closes = self.hours.closes_at
        if not self.hours.open or closes is None:
            return
        now = self._now()
        if now >= closes:
            self.hours.open = False
            self._close()
            self.publish_state()
        elif now >= closes - WARN_BEFORE and self._warned_for != closes:
            self._warned_for = closes
            self._emit(RoomEvent(RoomEventKind.WARNING))

    def _close(self) -> None:
        log.info("room %s: time is over, clearing the queue", self.room)
        self.session.stop()
        self.session.clear()
        self._seen_entries.clear()
        self._emit(RoomEvent(RoomEventKind.CLOSED))

    # -- state out ----------------------------------------------------------------------

    def _session_changed(self, event: Any) -> None:
        kind = str(getattr(event, "kind", ""))
        if kind in {"queue", "now_playing"}:
            self._note_new_requests()
            self._spawn(self._prefetch())
        if kind in {"queue", "now_playing", "state", "settings"} and not self._publish_pending:
            self._publish_pending = True  # one publish for a burst of changes
            (self._loop or asyncio.get_running_loop()).call_soon(self.publish_state)

    def publish_state(self) -> None:
        self._publish_pending = False
        if self._bus is not None:
            self._bus.publish(bus.state_topic(self.room), self.state(), retain=True)

    def state(self) -> dict[str, Any]:
        playing = self.session.now_playing
        upcoming = self.session.upcoming
        return {
            "room": self.room,
            "now_playing": None
            if playing is None
            else {
                "title": playing.song.title,
                "singers": list(playing.song.singers),
                "singer": self._singer_of(playing.entry_id),
            },
            "queue_length": len(upcoming),
            "queue": [
                {"title": entry.item.title, "singer": self._singer_of(entry.entry_id)}
                for entry in upcoming[:20]
            ],
            "volume": self.session.volume,
            "open": self.hours.open,
            "closes_at": self.hours.closes_at.isoformat() if self.hours.closes_at else None,
            "time_left_ms": self.time_left_ms(),
            "pending_requests": self.pending_requests,
        }

    # -- requests -------------------------------------------------------------------------

    def _note_new_requests(self) -> None:
        current = {entry.entry_id: entry for entry in self.session.upcoming}
        for entry_id, entry in current.items():
            if entry_id in self._seen_entries or entry.item.provider != self.venue.name:
                continue
            self._outbox.add(
                {
                    "request_id": uuid.uuid4().hex,
                    "song_id": entry.item.id,
                    "singer": self._singer_of(entry_id),
                    "requested_at": self._now().isoformat(),
                }
            )
        playing = self.session.now_playing
        self._seen_entries = set(current) | ({playing.entry_id} if playing else set())
        if self._outbox.pending:
            self._spawn(self.flush_requests())

    async def flush_requests(self) -> int:
        """Send what the outbox holds, oldest first; stop at the first failure (the server
        is away). Returns how many were sent."""
        if self._flushing:
            return 0
        self._flushing = True
        sent = 0
        try:
            for request in list(self._outbox.pending):
                try:
                    await self.venue.record_request(
                        request["request_id"],
                        str(request["song_id"]),
                        singer=request.get("singer"),
                        requested_at=datetime.fromisoformat(request["requested_at"]),
                    )
                except KtvError as exc:
                    if exc.code == "no_song":  # removed from the library: nothing to count
                        self._outbox.done(request["request_id"])
                        continue
                    log.info("room %s: request log deferred: %s", self.room, exc.detail)
                    break
                self._outbox.done(request["request_id"])
                sent += 1
        finally:
            self._flushing = False
        return sent

    async def _prefetch(self) -> None:
        playing = self.session.now_playing
        songs = ([playing.song] if playing else []) + [entry.item for entry in self.session.upcoming]
        try:
            await self.venue.prefetch(songs)
        except OSError as exc:
            log.warning("room %s: cannot cache songs: %s", self.room, exc)
