"""Two loops, one session: the remote's server thread and the session's (GUI) loop.

uvicorn runs on a thread of its own with its own asyncio loop, so HTTP parsing, JSON
encoding, WebSocket fan-out, rate limits and the search cache never take a slice of the
GUI thread that paints the lyrics. The session stays single-threaded: everything that
touches it is handed to the session's loop (`call`, `run`), and what the session says
goes back to the server's loop (`to_server`). Nothing else crosses.

With both loops the same (before the thread runs, or a caller on the session loop),
calls run in place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class LoopBridge:
    def __init__(self) -> None:
        self.session_loop: asyncio.AbstractEventLoop | None = None
        self.server_loop: asyncio.AbstractEventLoop | None = None

    def attach(self, session_loop: asyncio.AbstractEventLoop, server_loop: asyncio.AbstractEventLoop) -> None:
        self.session_loop, self.server_loop = session_loop, server_loop

    def detach(self) -> None:
        self.server_loop = None

    async def call(self, job: Callable[[], T]) -> T:
        """`job()` on the session's loop (between two of its callbacks); its result or
        its exception comes back here."""

        async def run_job() -> T:
            return job()

        return await self.run(run_job())

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await `coroutine` on the session's loop (catalog calls: their clients live there)."""
        target = self.session_loop
        if target is None or target is asyncio.get_running_loop():
            return await coroutine
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, target))

    def to_server(self, callback: Callable[[], None]) -> None:
        """Run `callback` on the server's loop soon (from any thread); dropped when no
        server runs: the first snapshot a phone gets is read fresh anyway."""
        target = self.server_loop
        if target is None or target.is_closed():
            return
        try:
            target.call_soon_threadsafe(callback)
        except RuntimeError:  # closed between the check and the call: the server is gone
            log.debug("remote: event after the server stopped")
