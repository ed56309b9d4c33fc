"""`UserDataJobs`: work for the user database, handed from a widget to the writer thread.

Song actions (favourites, "Add to playlist") and the user pages (edits, imports,
exports) all do the same thing: run `job(db)` on the user-data service's writer thread
in the order made, then carry on back on the GUI thread with the answer (or show the
error), and let tests and benchmarks wait until everything handed in so far has been
answered (`settled`). The tasks go to the services' `TaskRegistry`, so a quit cancels
what is still waiting; the set here is only what `settled` waits for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from ktvdesk.errors import KtvError
from ktvdesk.services import AppServices
from ktvdesk.storage import UserDatabase

log = logging.getLogger(__name__)

T = TypeVar("T")


class UserDataJobs:
    def __init__(self, services: AppServices, failed: Callable[[KtvError], None]) -> None:
        self.services = services
        self.failed = failed
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def available(self) -> bool:
        """The database is open (without it there is nothing to hand jobs to)."""
        user_data = self.services.user_data
        return user_data is not None and not user_data.closed

    def run(
        self,
        job: Callable[[UserDatabase], T],
        done: Callable[[T], None],
        *,
        name: str,
        failed: Callable[[KtvError], None] | None = None,
    ) -> bool:
        """`job(db)` on the writer thread, then `done(result)` here, or `failed(error)`
        (default: the one given at construction). False if nothing was started: no
        database, or no running event loop (shutting down)."""
        user_data = self.services.user_data
        if user_data is None or user_data.closed:
            return False
        report = failed or self.failed

        async def run() -> None:
            try:
                result = await user_data.run(job)
            except KtvError as exc:
                report(exc)
                return
            done(result)

        coro = run()
        try:
            task = self.services.tasks.spawn(coro, name=name)
        except RuntimeError:  # no running loop: the coroutine never starts
            coro.close()
            log.warning("%s dropped: no running event loop", name)
            return False
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def settled(self) -> None:
        """Until every job handed in so far (and any started meanwhile) has been answered."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))


__all__ = ["UserDataJobs"]
