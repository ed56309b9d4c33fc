"""`release_elsewhere`: the last reference to a big list of plain data, dropped off the GUI thread.

Freeing is not free: a song list of 10,000 `Song` models is 40,000 objects to deallocate,
12–15 ms on this machine, and it happens wherever the last reference goes, which for a
view's model is the GUI thread when the list is replaced. Handed to this helper thread
instead, the GUI thread only queues a reference.

Only for data without Qt objects: a Qt object must die on the GUI thread (see
`ui.gc_guard`); songs, entries, strings and dicts of them may die anywhere.
"""

from __future__ import annotations

import queue
import sys
import threading

_chute: queue.SimpleQueue[object] = queue.SimpleQueue()
_started = threading.Lock()
_thread: list[threading.Thread] = []


def release_elsewhere(data: object) -> None:
    """Drop `data` (the caller's last reference to it) on a helper thread."""
    with _started:
        if not _thread:
            thread = threading.Thread(target=_drop_forever, name="ktvdesk-release", daemon=True)
            thread.start()
            _thread.append(thread)
    _chute.put(data)


SLICE = 500  # items freed per step: one step holds the GIL for well under a millisecond


def _drop_forever() -> None:
    while True:
        _drop(_chute.get())


def _drop(data: object) -> None:
    # Freeing a list is one C call that holds the GIL until its last item is gone (the
    # GUI thread would wait just as long); a slice at a time, the GIL changes hands.
    if isinstance(data, tuple):
        for part in data:
            _drop(part)
    elif isinstance(data, list) and sys.getrefcount(data) <= _OWNED_REFS:
        while data:
            del data[-SLICE:]


# References to a list only we hold, as `getrefcount` counts them inside `_drop`: the
# tuple it came in, the caller's loop variable, the argument, getrefcount's own. More:
# someone else holds it too, so it is not emptied (only let go).
_OWNED_REFS = 4


__all__ = ["release_elsewhere"]
