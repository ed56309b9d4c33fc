"""A window opened and closed leaves no coroutine behind that was made but never run
("coroutine ... was never awaited", "Task was destroyed but it is pending"): every
coroutine a view creates is either scheduled on the running loop or closed at once, and
a view shown before the loop runs stops asking for a load once its window is closed.
Real services on the demo library, real Qt offscreen, a qasync loop that is closed at
the end as the app's is."""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ktvdesk.services import AppServices
from ktvdesk.tasks import TaskRegistry
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import close_loop, make_services, until
from tests.ui.desktop.test_layouts import settle


@pytest.fixture
def own_loop(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[qasync.QEventLoop]:
    """A qasync loop closed at the end, with quitting the shared application recorded."""
    monkeypatch.setattr(QCoreApplication, "quit", staticmethod(lambda: None))
    qapp.setQuitOnLastWindowClosed(False)  # Qt's own quit on the last window, likewise
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        close_loop(loop)
        asyncio.set_event_loop(None)
        qapp.setQuitOnLastWindowClosed(True)


def unawaited(cycle: Callable[[], None], caplog: pytest.LogCaptureFixture) -> list[str]:
    """What `cycle` (and collecting its garbage) left unawaited or pending."""
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.ERROR, "asyncio"):
        warnings.simplefilter("always")
        cycle()
        gc.collect()
    never = [str(w.message) for w in caught if "never awaited" in str(w.message)]
    return never + [r.getMessage() for r in caplog.records if "destroyed but it is pending" in r.getMessage()]


def test_closing_the_window_while_reads_are_under_way(
    qtbot: QtBot,
    own_loop: qasync.QEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def cycle() -> None:
        services = make_services(tmp_path, monkeypatch, own_loop)
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()  # before the loop runs, as in the kiosk: views load once it does
        discover = window.search_page.discover

        async def scenario() -> None:
            await services.start()
            await until(lambda: discover.loads > 0, discover.loaded)
            window.nav.setCurrentRow(4)  # Favorites: a read is started…
            window.nav.setCurrentRow(3)  # …and My playlists
            assert window.close()  # …and the window closes before they answer
            await services.aclose()

        own_loop.run_until_complete(scenario())
        window.search_page.show_discover()  # a late show while nothing runs

    assert unawaited(cycle, caplog) == []


def test_a_window_closed_before_the_loop_ever_ran(
    qtbot: QtBot,
    own_loop: qasync.QEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def cycle() -> None:
        services: AppServices = make_services(tmp_path, monkeypatch, own_loop)
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()  # the song lists ask for a load, but no loop runs yet…
        assert window.close()  # …and the window is closed before one does
        # The loop runs for the shutdown only (longer than a view's retry), then closes.
        own_loop.run_until_complete(services.aclose())

    assert unawaited(cycle, caplog) == []


def test_a_load_started_in_the_last_turn_runs_before_the_loop_closes(
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What left "DiscoverView._load / LatestRequest.load was never awaited" behind: a
    scenario whose last turn shows a view (its load is a task not yet started) on a loop
    that is then closed. The tests' loops close as `asyncio.run` does (`close_loop`)."""

    def cycle() -> None:
        loop = qasync.QEventLoop(qapp)
        asyncio.set_event_loop(loop)
        try:
            services = make_services(tmp_path, monkeypatch, loop)
            window = MainWindow(services)

            async def scenario() -> None:
                window.show()  # the discover lists and the search page start their loads…
                window.search_page.discover.refresh()
                # …and the scenario ends in the same turn: the tasks have not run a step

            loop.run_until_complete(scenario())
            assert [t for t in asyncio.all_tasks(loop) if not t.done()], "no load was started"
        finally:
            close_loop(loop)
            asyncio.set_event_loop(None)
        window.close()
        window.deleteLater()  # the window and what it holds (the tasks) go now, not at exit
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        services.tasks = TaskRegistry()  # the registry held the tasks too (and the rest goes on return)

    assert unawaited(cycle, caplog) == []


def test_a_page_tour_that_settles_each_page_leaves_every_load_run(
    qtbot: QtBot,
    own_loop: qasync.QEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What left "LatestRequest.load / DiscoverView._load was never awaited" behind in long
    UI runs: the layout tour settled each page with `processEvents()` inside its task, so
    qasync stepped a page's new load inside it; asyncio refused that step ("Cannot enter
    into task") and the task was never stepped again. The tour's `settle` runs no task."""
    refused: list[str] = []
    own_loop.set_exception_handler(
        lambda _loop, context: refused.append(str(context.get("exception") or context["message"]))
    )

    def cycle() -> None:
        services = make_services(tmp_path, monkeypatch, own_loop)
        window = MainWindow(services)
        qtbot.addWidget(window)

        async def tour() -> None:
            await services.start()
            window.show()
            for row in range(window.nav.count()):
                window.nav.setCurrentRow(row)  # the page's show event starts its load…
                await settle()  # …and laying it out steps no task
            assert window.close()
            await services.aclose()

        own_loop.run_until_complete(tour())
        assert len(services.tasks) == 0, "a load never ran"

    assert unawaited(cycle, caplog) == []
    assert refused == []


def test_a_step_refused_inside_another_task_is_named_at_shutdown(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    """The mechanism itself, on a loop of its own: Qt's event loop run inside a task lets
    qasync step a new task there; asyncio refuses, and that task never runs. The registry
    says so at shutdown (instead of a "never awaited" warning much later)."""
    loop = qasync.QEventLoop(qapp)
    registry = TaskRegistry()

    async def page_load() -> None:
        return None

    async def scenario() -> asyncio.Task[None]:
        task = registry.spawn(page_load(), name="page-load")
        QApplication.processEvents()  # the mistake: a layout "settle" inside this task
        await registry.aclose(timeout_s=0.2)
        return task

    with caplog.at_level(logging.DEBUG):
        task = loop.run_until_complete(scenario())
    loop.close()
    assert "Cannot enter into task <Task pending name='page-load'" in caplog.text
    assert not task.done()
    assert "task page-load never ran: its first step was refused" in caplog.text
    # This test's own leftover, a task that can never finish: no warning for a later test.
    task.get_coro().close()
    task._log_destroy_pending = False  # asyncio's flag for "Task was destroyed but it is pending"
