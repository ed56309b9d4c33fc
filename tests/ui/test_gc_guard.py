"""Qt objects must die on the GUI thread: cycles dropped by worker threads wait for it."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from ktvdesk.ui import gc_guard

CYCLES = 3 * gc.get_threshold()[0]  # well past the generation-0 threshold


class Node:
    """A self-referencing object that records which thread finally destroyed it."""

    def __init__(self, seen: list[bool]) -> None:
        self.seen = seen
        self.me = self

    def __del__(self) -> None:
        self.seen.append(threading.current_thread() is threading.main_thread())


def test_cycles_dropped_in_a_worker_are_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    guard = gc_guard.install()
    assert not gc.isenabled()
    seen: list[bool] = []

    def worker() -> None:
        for _ in range(CYCLES):
            Node(seen)
            [object() for _ in range(100)]  # allocations that would trigger a collection

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == []  # nothing was collected on the worker thread
    before = guard.collections
    qtbot.waitUntil(lambda: len(seen) >= CYCLES, timeout=10_000)
    assert all(seen)
    assert guard.collections > before
