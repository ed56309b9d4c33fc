"""`UserDataService`: the user database on one writer thread, in order, off the caller's
thread; real SQLite in a temporary directory."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from ktvdesk.models import Song
from ktvdesk.storage import PlayOutcome, UserDatabase
from ktvdesk.storage.service import THREAD_NAME, UserDataService


def song(n: int) -> Song:
    return Song(provider="local", id=str(n), title=f"Song {n}", singers=("Singer",))


async def test_jobs_run_on_one_writer_thread_in_the_order_given(tmp_path: Path) -> None:
    service = UserDataService(UserDatabase(tmp_path / "user.sqlite3"))
    threads: set[str] = set()
    try:
        for n in range(20):  # fire-and-forget saves: the last one handed in is the one that stays

            def save(db: UserDatabase, n: int = n) -> None:
                threads.add(threading.current_thread().name)
                db.queue.save([song(i) for i in range(n + 1)], None)

            service.submit(save)
        # A read handed in after them sees every one of them.
        stored = await service.run(lambda db: db.queue.load())
        assert [s.id for s in stored.songs] == [str(i) for i in range(20)]
        assert len(threads) == 1 and next(iter(threads)).startswith(THREAD_NAME)
        assert threading.current_thread().name not in threads  # never the caller's thread
    finally:
        await service.aclose()
    assert service.db.closed


async def test_the_loop_keeps_running_while_a_slow_job_runs(tmp_path: Path) -> None:
    service = UserDataService(UserDatabase(tmp_path / "user.sqlite3"))
    release = threading.Event()
    ticks = 0
    try:
        slow = asyncio.ensure_future(service.run(lambda db: release.wait(30)))
        for _ in range(3):  # the loop turns while the writer thread is busy
            await asyncio.sleep(0)
            ticks += 1
        assert not slow.done() and ticks == 3
        release.set()
        assert await slow is True
    finally:
        await service.aclose()


async def test_errors_reach_run_callers_and_are_logged_for_submit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    service = UserDataService(UserDatabase(tmp_path / "user.sqlite3"))
    try:
        with pytest.raises(ValueError, match="listened_ms"):
            await service.run(
                lambda db: db.history.record(
                    song(1), listened_ms=-1, outcome=PlayOutcome.COMPLETED, vocal_mode="original"
                )
            )
        service.submit(lambda db: db.queue.set_position(-5), what="position save")
        await service.flush()
        assert "position save failed" in caplog.text
        assert await service.run(lambda db: db.history.count()) == 0  # nothing half-written
    finally:
        await service.aclose()


async def test_close_runs_what_was_queued_then_refuses(tmp_path: Path) -> None:
    service = UserDataService(UserDatabase(tmp_path / "user.sqlite3"))
    service.submit(lambda db: db.queue.save([song(1)], None))
    await service.aclose()
    with UserDatabase(tmp_path / "user.sqlite3") as reopened:
        assert [s.id for s in reopened.queue.load().songs] == ["1"]
    with pytest.raises(RuntimeError):
        await service.run(lambda db: db.history.count())
    service.submit(lambda db: db.queue.clear())  # dropped with a warning, not raised
