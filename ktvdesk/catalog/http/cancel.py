"""Cancel superseded work: a newer search keystroke makes the older request pointless."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class Superseder:
    """Runs at most one task per key; starting a new one cancels the previous.

    The caller of the superseded call sees `asyncio.CancelledError`, which is exactly
    what a UI that already moved on wants. Every task started is referenced here until
    it finishes, so none is garbage-collected mid-flight.
    """

    def __init__(self) -> None:
        self._current: dict[str, asyncio.Task[object]] = {}

    async def run(self, key: str, work: Awaitable[T]) -> T:
        previous = self._current.get(key)
        if previous is not None and not previous.done():
            previous.cancel()
        task: asyncio.Task[T] = asyncio.ensure_future(work)
        self._current[key] = task  # type: ignore[assignment]
        try:
            return await task
        finally:
            if self._current.get(key) is task:
                del self._current[key]

    async def cancel_all(self) -> None:
        tasks = [t for t in self._current.values() if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._current.clear()
