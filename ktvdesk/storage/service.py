"""`UserDataService`: the user database behind one writer thread, for the app's event loop.

Why off the GUI thread: every write is an fsync (synchronous=FULL, see connection.py),
0.1–3 ms on this machine's disk but tens of ms on the SD card of a room terminal, and an
import or export of a 64 MB playlist file takes seconds. Under qasync the asyncio loop
*is* the Qt event loop: a blocking call there freezes the window and the lyric wipe.

Why exactly one thread (a single-thread executor) and not a pool or `asyncio.to_thread`:
the database is one connection behind one lock, so more threads would only queue on
that lock; one thread runs every job in the order it was handed in, which the callers
rely on: the last queue save is the one that stays, a history page read after a play
was recorded contains it, and `flush()` is simply "a job that runs after all the others".

Two ways in:
- `await run(job)` for a result (a page of history, the new playlist's id): `job` gets
  the `UserDatabase` and runs on the writer thread.
- `submit(job)` for fire-and-forget writes from synchronous callbacks (the queue mirror,
  the play history): errors are logged, never raised into the caller.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.storage.database import UserDatabase

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[UserDatabase], T]

THREAD_NAME = "ktvdesk-userdata"


class UserDataService:
    def __init__(self, db: UserDatabase) -> None:
        self.db = db
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def run(self, job: Job[T]) -> T:
        """`job(db)` on the writer thread, after everything handed in before it."""
        return await asyncio.wrap_future(self._submit(job))

    def submit(self, job: Job[object], *, what: str = "user data write") -> None:
        """Fire and forget: `job(db)` runs on the writer thread; a failure is logged."""
        if self._closed:
            log.warning("%s dropped: the user database is closed", what)
            return
        self._executor.submit(_logged, self.db, job, what)

    def run_blocking(self, job: Job[T]) -> T:
        """For code that runs before the event loop (start-up) or in worker threads."""
        return self._submit(job).result()

    async def flush(self) -> None:
        """Wait until every job handed in so far has run."""
        await self.run(lambda _db: None)

    async def aclose(self) -> None:
        """Run what is queued, then close the database on its own thread."""
        if self._closed:
            return
        future = self._submit(lambda db: db.close())
        self._closed = True
        self._executor.shutdown(wait=False)
        await asyncio.wrap_future(future)

    def close(self) -> None:
        """The blocking form of `aclose` (no event loop)."""
        if self._closed:
            return
        future = self._submit(lambda db: db.close())
        self._closed = True
        self._executor.shutdown(wait=True)
        future.result()

    def _submit(self, job: Job[T]) -> Future[T]:
        if self._closed:
            raise RuntimeError("the user data service is closed")
        return self._executor.submit(job, self.db)


class ServiceFavorites:
    """The favourites through the writer thread, as the session's `FavoriteStore` (the
    phones star songs in the host's list without a write on the GUI thread)."""

    def __init__(self, service: UserDataService) -> None:
        self._service = service

    async def add(self, song: Song) -> bool:
        return await self._service.run(lambda db: db.favorites.add(song))

    async def remove(self, key: str) -> bool:
        return await self._service.run(lambda db: db.favorites.remove(key))

    async def keys(self) -> set[str]:
        return await self._service.run(lambda db: db.favorites.keys())

    async def songs(self, limit: int) -> list[Song]:
        entries = await self._service.run(lambda db: db.favorites.entries(limit=limit))
        return [entry.song for entry in entries]


def _logged(db: UserDatabase, job: Job[object], what: str) -> None:
    try:
        job(db)
    except (KtvError, ValueError) as exc:
        log.error("%s failed: %s", what, exc)
    except Exception:
        log.exception("%s failed", what)


__all__ = ["ServiceFavorites", "UserDataService"]
