from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ktvdesk.config import Settings
from ktvdesk.services import AppServices, VlcStatus


def gui_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KTVDESK_CONFIG_DIR=str(tmp_path / "config"),
        KTVDESK_DATA_DIR=str(tmp_path / "data"),
        KTVDESK_LOG_DIR=str(tmp_path / "log"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    env.update(extra)
    return env


def start_gui(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ktvdesk", *args],
        env=gui_env(tmp_path, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def services() -> Iterator[AppServices]:
    yield AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "libVLC 3.0"))


# ---- a qasync loop per test, and the app's real services on the demo library ----------

import asyncio  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from typing import Any  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _gc_on_gui_thread(qapp: Any) -> Iterator[None]:
    """As in the app: cycles (and the Qt objects in them) are collected on this thread."""
    from ktvdesk.ui import gc_guard

    gc_guard.install(qapp)
    yield


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """pytest-qt has no qasync support: each test gets its own QEventLoop and drives its
    scenario with `qloop.run_until_complete(...)` (Qt events are processed meanwhile)."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        close_loop(loop)
        asyncio.set_event_loop(None)


def close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Close a test's loop as `asyncio.run` does: the tasks still pending (a view's load
    started in the scenario's last turn) are cancelled and run to their end first. A
    task left pending when its loop closes never runs its coroutine: "coroutine ... was
    never awaited" when it is collected, in whatever test comes next."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=10))
    loop.close()  # stops its worker threads (asyncio.to_thread)


async def until(predicate: Callable[[], bool], *signals: Any, timeout_s: float = 30) -> None:
    """Wait until `predicate()` holds, re-checking whenever one of `signals` fires.

    The timeout only guards a hang; nothing here waits for a guessed delay.
    """
    changed = asyncio.Event()

    def poke(*_: object) -> None:
        changed.set()

    for signal in signals:
        signal.connect(poke)
    try:

        async def wait() -> None:
            while not predicate():
                changed.clear()
                await changed.wait()

        await asyncio.wait_for(wait(), timeout_s)
    finally:
        for signal in signals:
            signal.disconnect(poke)


async def settle() -> None:
    """Deliver the posted events (layout, polish, deferred state changes), then let the
    loop turn (a page's load, a `QTimer.singleShot(0)` check run).

    Not `processEvents()`: called inside the scenario's task, it would have qasync step
    another task there (the load the page's show event just started), which asyncio
    refuses ("Cannot enter into task … while another task … is being executed"). That
    step is lost for good: the task stays pending, its coroutine never runs, and is
    reported "never awaited" when it is collected, in whatever test comes next.
    `sendPostedEvents` delivers posted events only (layout, polish), never a timer, so it
    runs no task; `next_turn` lets the loop itself run what is due.
    """
    from PySide6.QtWidgets import QApplication

    from ktvdesk.ui.latest import next_turn

    for _ in range(3):
        QApplication.sendPostedEvents()
        await next_turn()


def make_services(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loop: asyncio.AbstractEventLoop, **kwargs: Any
) -> AppServices:
    from ktvdesk.config import LoadedSettings
    from ktvdesk.services import build_services

    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    kwargs.setdefault("lang", "en")
    return build_services(
        LoadedSettings(Settings(), tmp_path / "config.toml"), aout="dummy", loop=loop, **kwargs
    )


def run(
    loop: asyncio.AbstractEventLoop, coro: Awaitable[Any], *, then_close: AppServices | None = None
) -> Any:
    """Run `coro` on the test's loop; `then_close` shuts the services down in the same run,
    so no task of theirs is left for Qt to step after the loop stopped (pytest-qt processes
    events between the test and its teardown)."""

    async def body() -> Any:
        try:
            return await coro
        finally:
            if then_close is not None:
                await then_close.aclose()

    return loop.run_until_complete(body())
