"""`LatestRequest`: "the newest request wins" for every view that loads while you type or tap.

Song lists, browse pages, the kiosk's pages and the search suggestions all ask for data
faster than it may come back. Each holds one `LatestRequest`; `load` cancels the task of
the previous request and bumps a generation number, and an answer (or an error) of an
older generation is dropped even when it arrives anyway (its coroutine was past its last
`await` when the cancel came). So a slow answer to "m" never replaces the one to "mlh".

Tasks go to the services' `TaskRegistry` (qasync keeps no reference to them), so a quit
cancels whatever is still loading.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import QTimer

from ktvdesk.errors import KtvError
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.i18n import tr

log = logging.getLogger(__name__)

T = TypeVar("T")


class LatestRequest:
    def __init__(self, bridge: SessionBridge, on_error: Callable[[str], None] | None = None) -> None:
        self.bridge = bridge
        self.on_error = on_error
        self.generation = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def cancel(self) -> None:
        """Drop whatever is loading: its answer will not be shown."""
        self.generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def load(
        self,
        request: Callable[[], Awaitable[T]],
        done: Callable[[T], None],
        *,
        name: str = "load",
        on_error: Callable[[str], None] | None = None,
    ) -> bool:
        """Start `request()` in a task; `done(result)` if it is still the newest when it
        answers. `request` makes its awaitable inside the task, so nothing is created
        when no loop runs (then False, and nothing happens)."""
        self.cancel()
        generation = self.generation
        report = on_error or self.on_error

        async def run() -> None:
            try:
                result = await request()
            except asyncio.CancelledError:
                raise
            except KtvError as exc:
                if generation == self.generation and report is not None:
                    report(self.bridge.message(exc))
                return
            except Exception as exc:  # a provider bug: say so, keep the view usable
                log.exception("%s failed", name)
                if generation == self.generation and report is not None:
                    report(tr("Something went wrong: {0}").format(type(exc).__name__))
                return
            if generation == self.generation:
                done(result)

        coro = run()
        try:
            self._task = self.bridge.services.tasks.spawn(coro, name=name)
        except RuntimeError:  # no running loop, or shutting down
            coro.close()
            return False
        return True

    async def wait(self) -> None:
        """Until the current request has finished (tests and benchmarks)."""
        task = self._task
        if task is not None:
            await asyncio.wait([task])


async def next_turn() -> None:
    """Let the Qt event loop run once (paint, input, timers) before carrying on.

    Not `asyncio.sleep(0)`: qasync runs the callbacks that are ready in one batch, and a
    chain of zero sleeps stays in that batch; a zero-time Qt timer fires only after the
    events already waiting.
    """
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    QTimer.singleShot(0, lambda: None if future.done() else future.set_result(None))
    await future


__all__ = ["LatestRequest", "next_turn"]
