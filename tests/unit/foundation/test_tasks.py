from __future__ import annotations

import asyncio
import gc
import logging

import pytest

from ktvdesk.tasks import TaskRegistry


async def test_spawned_task_survives_garbage_collection() -> None:
    registry = TaskRegistry()
    release = asyncio.Event()
    done: list[int] = []

    async def work() -> None:
        await release.wait()
        done.append(1)

    registry.spawn(work(), name="held")
    gc.collect()
    release.set()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert done == [1]
    assert len(registry) == 0


async def test_failures_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    registry = TaskRegistry()

    async def boom() -> None:
        raise ValueError("bad thing")

    task = registry.spawn(boom(), name="boomer")
    with caplog.at_level(logging.ERROR):
        await asyncio.wait([task])
        await asyncio.sleep(0)
    assert any("boomer" in r.getMessage() for r in caplog.records)


async def test_aclose_cancels_running_tasks_and_refuses_new_ones() -> None:
    registry = TaskRegistry()
    cancelled = asyncio.Event()

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    registry.spawn(forever())
    await asyncio.sleep(0)
    await registry.aclose()
    assert cancelled.is_set()

    async def late() -> None:
        return None

    with pytest.raises(RuntimeError):
        registry.spawn(late())
