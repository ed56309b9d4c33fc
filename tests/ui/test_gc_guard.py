"""Qt objects must die on the GUI thread: cycles dropped by worker threads wait for it,
and it collects them in slices that fit a frame (long-lived bulk data is frozen instead
of being walked again and again)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.ui import gc_guard
from ktvdesk.ui.gc_guard import SETTLE_CHECKS, MainThreadGarbageCollector

CYCLES = 3 * gc.get_threshold()[0]  # well past the generation-0 threshold


class Node:
    """A self-referencing object that records which thread finally destroyed it."""

    def __init__(self, seen: list[bool]) -> None:
        self.seen = seen
        self.me = self

    def __del__(self) -> None:
        self.seen.append(threading.current_thread() is threading.main_thread())


def drop_cycles_in_a_worker(seen: list[bool]) -> None:
    def worker() -> None:
        for _ in range(CYCLES):
            Node(seen)
            [object() for _ in range(100)]  # allocations that would trigger a collection

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()


@pytest.fixture
def collector() -> Iterator[MainThreadGarbageCollector]:
    """A collector checked by hand (the session's own keeps running on its timer; no event
    is processed between the hand-made checks, so it cannot step in)."""
    guard = MainThreadGarbageCollector(start=False)
    gc.collect()  # young generations empty: the test decides what is in them
    try:
        yield guard
    finally:
        guard.stop()
        gc.unfreeze()  # what the test froze is the collector's business again


def test_cycles_dropped_in_a_worker_are_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    guard = gc_guard.install()
    assert not gc.isenabled()
    seen: list[bool] = []
    drop_cycles_in_a_worker(seen)
    assert seen == []  # nothing was collected on the worker thread
    before = guard.collections
    # A collector with room for them in one frame (the session's may have measured a busy
    # machine and wait longer): both collect on this thread only.
    # The session's collector is paused meanwhile: under load it may find the worker's
    # young generation over its budget for a second and freeze it (garbage and all, until
    # the next full pass), which is its rule, not what this test is about.
    guard.stop()
    roomy = MainThreadGarbageCollector(budget_ms=1_000)
    try:
        qtbot.waitUntil(lambda: len(seen) >= CYCLES, timeout=10_000)
    finally:
        roomy.stop()
        guard.check()  # and its timer runs again
    assert all(seen)
    assert roomy.collections + guard.collections > before


def test_a_generation_that_fits_the_budget_is_collected_at_once(
    collector: MainThreadGarbageCollector,
) -> None:
    seen: list[bool] = []
    collector.budget_ms = 1_000
    for _ in range(CYCLES):
        Node(seen)
    collector.check()
    assert len(seen) == CYCLES and all(seen)
    assert collector.collections == 1 and collector.freezes == 0


def test_long_lived_bulk_data_is_frozen_not_walked_and_young_garbage_still_goes(
    collector: MainThreadGarbageCollector,
) -> None:
    seen: list[bool] = []
    kept = [Node(seen) for _ in range(20 * CYCLES)]  # a big list a view holds: over the budget
    collector.budget_ms = 0.5 * 1e-6 * collector.ns_per_object * len(kept)  # room for half of it
    frozen_before = gc.get_freeze_count()
    for _ in range(SETTLE_CHECKS - 1):
        collector.check()  # waits: bulk data is often freed when its job ends
    assert collector.freezes == 0 and collector.collections == 0
    assert collector.deferred == SETTLE_CHECKS - 1 and seen == []
    collector.check()  # still there: long-lived, frozen out of every later collection
    assert collector.freezes == 1 and gc.get_freeze_count() >= frozen_before + len(kept)
    # Fresh garbage is collected as before, without walking the frozen heap again.
    for _ in range(CYCLES):
        Node(seen)
    collector.check()
    collector.check()
    assert len(seen) == CYCLES and all(seen)
    kept.clear()
    collector.check()
    assert len(seen) == CYCLES  # frozen cycles stay until unfrozen: the price of freezing


def _freeze_bulk(collector: MainThreadGarbageCollector, kept: list[Node]) -> None:
    collector.budget_ms = 0.5 * 1e-6 * collector.ns_per_object * len(kept)  # room for half of it
    for _ in range(SETTLE_CHECKS):
        collector.check()
    assert collector.freezes == 1


def test_frozen_cycles_that_became_garbage_go_at_the_full_pass_when_nothing_plays(
    collector: MainThreadGarbageCollector, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    kept = [Node(seen) for _ in range(20 * CYCLES)]
    _freeze_bulk(collector, kept)
    kept.clear()  # the view let its list go: cycles, frozen, not reclaimed by any check
    collector.check()
    assert seen == []
    monkeypatch.setattr(gc_guard, "FULL_PASS_IDLE_MS", 50)
    collector.playback_idle(False)  # a song plays: no pass
    collector.playback_idle(True)  # the room went quiet
    qtbot.waitUntil(lambda: collector.full_passes == 1, timeout=5_000)
    assert len(seen) == 20 * CYCLES and all(seen)
    collector.full_pass()  # nothing frozen since: no second walk of the heap
    assert collector.full_passes == 1


def test_a_room_that_never_goes_quiet_gets_its_full_pass_at_a_song_change(
    collector: MainThreadGarbageCollector, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    kept = [Node(seen) for _ in range(20 * CYCLES)]
    _freeze_bulk(collector, kept)
    kept.clear()
    collector.song_changed()  # the last pass (start) was moments ago
    assert collector.full_passes == 0 and seen == []
    monkeypatch.setattr(gc_guard, "FULL_PASS_EVERY_MS", 0)
    collector.song_changed()
    assert collector.full_passes == 1 and len(seen) == 20 * CYCLES
