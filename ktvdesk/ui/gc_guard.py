"""Python's cycle collector, run on the GUI thread only, in slices that fit a frame.

Why the GUI thread: CPython runs the cyclic garbage collector in whichever thread happens
to allocate when a threshold is crossed. When that is a worker thread (the library's
SQLite pool, lyrics prefetch, asyncio.to_thread, the user-data writer) and the garbage
holds Qt widgets, Qt destroys them there, cannot unregister their timers
("QObject::~QObject: Timers cannot be stopped from another thread") and later delivers a
timer event to freed memory: a segfault in QTimerInfoList::activateTimers. So automatic
collection is switched off and the GUI thread collects, with the interpreter's own
thresholds. Reference counting still frees everything that is not in a cycle at once,
in any thread.

Why in slices: a collection examines every object of the generations it collects, about
0.1–1 µs each, and the GUI thread can run nothing else meanwhile. Left alone that is a
long stall twice over: a worker that builds 10,000 songs between two checks leaves a
young generation of 50,000 objects, and every full collection walks the whole heap
(the start-up modules, pypinyin's tables, every song a view holds). So each check:

- collects the oldest generation that is due, like CPython, if its objects fit the
  frame budget (`budget_ms`, at the cost per object measured on earlier collections);
- otherwise waits (collecting the younger generations that do fit, so fresh garbage
  does not wait): a worker's bulk data is usually freed by reference counting, at no
  cost here, when its job ends;
- and if the generation is still too large after `SETTLE_CHECKS` re-checks, it is
  long-lived data (the start-up heap, a 10,000-row playlist on screen): `gc.freeze()`
  moves it out of every later collection instead of walking it again and again.

The price of freezing: a cycle among frozen objects that becomes garbage later is not
reclaimed (acyclic frozen objects are still freed by reference counting, as always). That
is what `gc.freeze()` was made for (a server freezes its start-up heap); here it happens
only when the heap grew by more than one frame of scanning and stayed so for a second.

What freezing would leak is given back by a **full pass** (`gc.unfreeze()` and a
collection of everything) at a moment nobody watches a frame: after `FULL_PASS_IDLE_MS`
with nothing playing and nothing queued, or, for a room that sings all night, at the next
song change once `FULL_PASS_EVERY_MS` have gone by. It runs only if something was frozen
since the last one.

Checks run every `IDLE_MS`, and every `BUSY_MS` while objects are being made, so the
young generation stays small while a worker allocates.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

IDLE_MS = 250  # nothing is being allocated: a check costs a wake-up
BUSY_MS = 8  # allocations under way: collect in small slices
RECHECK_MS = 100  # a generation over budget: look again for a while before freezing it
SETTLE_CHECKS = 10  # …this many times (about a second)
BUDGET_MS = 6.0  # one collection's share of a 16-ms frame
FIRST_NS_PER_OBJECT = 400.0  # measured on this project's heap (pydantic songs, Qt wrappers)
# The estimate stays within these: a collection the OS interrupted must not make every
# later one look too dear to run (then everything would be frozen, nothing collected).
NS_PER_OBJECT_RANGE = (50.0, 1_500.0)
MEASURE_FROM_OBJECTS = 500  # smaller collections say more about fixed costs than per object
FULL_PASS_IDLE_MS = 30_000  # nothing playing or queued for this long: nobody watches a frame
FULL_PASS_EVERY_MS = 2 * 60 * 60 * 1000  # at the latest, at the song change after this long


class MainThreadGarbageCollector(QObject):
    def __init__(
        self, parent: QObject | None = None, *, budget_ms: float = BUDGET_MS, start: bool = True
    ) -> None:
        super().__init__(parent)
        self.budget_ms = budget_ms
        self._thresholds = gc.get_threshold()
        self.ns_per_object = FIRST_NS_PER_OBJECT
        self.collections = 0
        self.freezes = 0
        self.deferred = 0  # checks that found a due generation too large to collect now
        self._over_budget_checks = 0
        self.full_passes = 0
        self._frozen_since_full = False
        self._last_full_ns = time.monotonic_ns()
        gc.disable()
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self.full_pass)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)
        if start:
            self._timer.start(IDLE_MS)

    def check(self) -> None:
        """Collect, wait or freeze (see the module's doc); then plan the next check."""
        self._timer.start(self._step())

    def _step(self) -> int:
        due = self._due_generation()
        if due < 0:
            self._over_budget_checks = 0
            return IDLE_MS
        level, objects = self._oldest_within_budget(due)
        if level >= 0:
            self._collect(level, objects)  # if not the due one, the young garbage goes all the same
        if level == due:
            self._over_budget_checks = 0
            return BUSY_MS
        self._over_budget_checks += 1
        if self._over_budget_checks < SETTLE_CHECKS:
            self.deferred += 1
            return RECHECK_MS
        gc.freeze()  # long-lived: out of every later collection
        self.freezes += 1
        self._frozen_since_full = True
        self._over_budget_checks = 0
        return BUSY_MS  # the counts are still due: the next (empty) collection resets them

    def playback_idle(self, idle: bool) -> None:
        """Told by the session bridge whether anything plays or waits in the queue."""
        if not idle:
            self._idle_timer.stop()
        elif not self._idle_timer.isActive():
            self._idle_timer.start(FULL_PASS_IDLE_MS)

    def song_changed(self) -> None:
        """A song ends or starts: the screen is between lyrics, a pass long overdue may run."""
        if time.monotonic_ns() - self._last_full_ns >= FULL_PASS_EVERY_MS * 1_000_000:
            self.full_pass()

    def full_pass(self) -> None:
        """Collect everything, the frozen objects too (see the module's doc)."""
        self._last_full_ns = time.monotonic_ns()
        if not self._frozen_since_full:
            return
        self._frozen_since_full = False
        gc.unfreeze()
        gc.collect()
        self.full_passes += 1

    def stop(self) -> None:
        """No more checks (automatic collection stays off: another collector may run)."""
        self._timer.stop()
        self._idle_timer.stop()

    def _due_generation(self) -> int:
        """The oldest generation whose count passed its threshold, as CPython picks it."""
        counts = gc.get_count()
        due = -1
        for level in range(3):
            if counts[level] > self._thresholds[level]:
                due = level
        return due

    def _oldest_within_budget(self, due: int) -> tuple[int, int]:
        """The oldest generation up to `due` whose collection fits the budget, with the
        number of objects it walks; (-1, 0) if not even the youngest fits.

        The generation-0 count (allocations minus deallocations) is a lower bound of the
        young generation's size and free to read: over the budget already, no need to
        list the objects (listing costs about a third of collecting them)."""
        budget_objects = self.budget_ms * 1e6 / self.ns_per_object
        if gc.get_count()[0] > budget_objects:
            return -1, 0
        fitting, fitting_objects, objects = -1, 0, 0
        for level in range(due + 1):
            objects += len(gc.get_objects(level))
            if objects > budget_objects:
                break
            fitting, fitting_objects = level, objects
        return fitting, fitting_objects

    def _collect(self, generation: int, objects: int) -> None:
        started_ns = time.perf_counter_ns()
        gc.collect(generation)
        elapsed_ns = time.perf_counter_ns() - started_ns
        self.collections += 1
        if objects >= MEASURE_FROM_OBJECTS:
            low, high = NS_PER_OBJECT_RANGE
            estimate = 0.7 * self.ns_per_object + 0.3 * elapsed_ns / objects
            self.ns_per_object = min(high, max(low, estimate))


_installed: list[MainThreadGarbageCollector] = []


def installed() -> MainThreadGarbageCollector | None:
    return _installed[0] if _installed else None


def install(parent: QObject | None = None) -> MainThreadGarbageCollector:
    """Once per process: later calls return the collector already running."""
    if not _installed:
        _installed.append(MainThreadGarbageCollector(parent))
    return _installed[0]
