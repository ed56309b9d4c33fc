"""Background tasks with an owner: nothing started is lost, everything stops on quit.

asyncio (and qasync's asyncSlot) keep only weak references to tasks; a task nobody holds
can be garbage-collected mid-flight. The registry holds them, logs their failures, and
cancels whatever is still running at shutdown.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class TaskRegistry:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def spawn(self, coro: Coroutine[Any, Any, T], *, name: str | None = None) -> asyncio.Task[T]:
        """Run `coro` in a task held here. RuntimeError if it cannot run (closed, or no
        running loop); the coroutine is closed then, so none is left unawaited."""
        if self._closed:
            coro.close()
            raise RuntimeError("task registry is closed")
        try:
            task = asyncio.get_running_loop().create_task(coro, name=name)
        except RuntimeError:
            coro.close()
            raise
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    def __len__(self) -> int:
        return len(self._tasks)

    async def aclose(self, timeout_s: float = 5.0) -> None:
        self._closed = True
        pending = [t for t in self._tasks if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            _, still = await asyncio.wait(pending, timeout=timeout_s)
            for task in still:
                if _never_stepped(task):
                    # Its first step was refused and is never retried: an event loop was
                    # run inside another task (`processEvents()` in a coroutine).
                    log.error("task %s never ran: its first step was refused", task.get_name())
                else:
                    log.warning("task %s did not stop within %.1f s", task.get_name(), timeout_s)


def _never_stepped(task: asyncio.Task[Any]) -> bool:
    coro = task.get_coro()
    return inspect.iscoroutine(coro) and inspect.getcoroutinestate(coro) == inspect.CORO_CREATED
