"""Live updates to every phone over WebSockets: one bounded outbox per connection.

`publish` never waits: it drops the text into each phone's outbox. A phone that stops
reading (a locked screen, a hostile client) stalls a send past `SEND_TIMEOUT_S` or lets
its outbox overflow; either way it is disconnected, and nobody else, least of all the song, waits for it. State
messages are whole snapshots, so a reconnecting phone loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

OUTBOX = 32  # messages a phone may lag behind before it is dropped
SEND_TIMEOUT_S = 5.0
MAX_PHONES = 200
CLOSE_TOO_SLOW = 1008  # policy violation
CLOSE_GOING_AWAY = 1001


@dataclass(eq=False, slots=True)
class Subscriber:
    """One phone's outbox. A newer state snapshot replaces an older one still waiting
    (only the latest state matters), so a phone that reads keeps up whatever the rate of
    changes; other messages (cheers) queue up to `OUTBOX`."""

    outbox: deque[tuple[str, bool]] = field(default_factory=deque)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: bool = False
    close_code: int = CLOSE_GOING_AWAY
    close_reason: str = ""

    def offer(self, text: str, *, snapshot: bool = False) -> None:
        if self.dropped:
            return
        if snapshot and self.outbox and self.outbox[-1][1]:
            self.outbox[-1] = (text, True)
        elif len(self.outbox) >= OUTBOX:
            self.drop(CLOSE_TOO_SLOW, "too slow")
            return
        else:
            self.outbox.append((text, snapshot))
        self.ready.set()

    def drop(self, code: int, reason: str) -> None:
        if self.dropped:
            return
        self.dropped, self.close_code, self.close_reason = True, code, reason
        self.outbox.clear()
        self.ready.set()

    async def next(self) -> str | None:
        """The next text to send; None once dropped."""
        while not self.outbox and not self.dropped:
            self.ready.clear()
            await self.ready.wait()
        return None if self.dropped else self.outbox.popleft()[0]


class EventHub:
    def __init__(self, max_phones: int = MAX_PHONES, send_timeout_s: float = SEND_TIMEOUT_S) -> None:
        self._subscribers: set[Subscriber] = set()
        self.max_phones = max_phones
        self.send_timeout_s = send_timeout_s

    def __bool__(self) -> bool:
        return bool(self._subscribers)

    def __len__(self) -> int:
        return len(self._subscribers)

    def subscribe(self) -> Subscriber | None:
        if len(self._subscribers) >= self.max_phones:
            return None
        subscriber = Subscriber()
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    def publish(self, text: str, *, snapshot: bool = False) -> None:
        for subscriber in list(self._subscribers):
            subscriber.offer(text, snapshot=snapshot)

    def close_all(self, *, reason: str) -> None:
        for subscriber in list(self._subscribers):
            subscriber.drop(CLOSE_GOING_AWAY, reason)

    async def pump(self, subscriber: Subscriber, send: Callable[[str], Awaitable[None]]) -> None:
        """Send the outbox until the phone is dropped or a send stalls."""
        while True:
            text = await subscriber.next()
            if text is None:
                return
            try:
                await asyncio.wait_for(send(text), self.send_timeout_s)
            except TimeoutError:
                log.info("remote: a phone stopped reading its events: disconnected")
                subscriber.drop(CLOSE_TOO_SLOW, "too slow")
                return


async def cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
