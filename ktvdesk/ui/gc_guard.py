"""Python's cycle collector, run on the GUI thread only.

CPython runs the cyclic garbage collector in whichever thread happens to allocate when a
threshold is crossed. When that is a worker thread (the library's SQLite pool, lyrics
prefetch, asyncio.to_thread) and the garbage holds Qt widgets, Qt destroys them there,
cannot unregister their timers ("QObject::~QObject: Timers cannot be stopped from
another thread") and later delivers a timer event to freed memory: a segfault in
QTimerInfoList::activateTimers. So automatic collection is switched off and the GUI
thread collects on a timer with the interpreter's own thresholds. Reference counting
still frees everything that is not in a cycle at once, in any thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 250


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self.collections = 0
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        """Collect the oldest generation whose count passed its threshold, like CPython."""
        counts = gc.get_count()
        generation = -1
        for level in range(3):
            if counts[level] > self._thresholds[level]:
                generation = level
        if generation >= 0:
            gc.collect(generation)
            self.collections += 1

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()


_installed: list[MainThreadGarbageCollector] = []


def install(parent: QObject | None = None) -> MainThreadGarbageCollector:
    """Once per process: later calls return the collector already running."""
    if not _installed:
        _installed.append(MainThreadGarbageCollector(parent))
    return _installed[0]
