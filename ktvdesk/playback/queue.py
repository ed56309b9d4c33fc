"""The song queue (点歌列表): pure data, no I/O, no clock.

Entries get their own ids because the same song may be queued twice (two singers,
one song); every edit addresses an entry, never a song.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from ktvdesk.models import PlayMode

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class QueueEntry(Generic[T]):
    entry_id: int
    item: T


@dataclass(frozen=True, slots=True)
class HistoryEntry(Generic[T]):
    item: T
    completed: bool  # sung to the end, rather than skipped or failed


class PlayQueue(Generic[T]):
    def __init__(
        self, mode: PlayMode = PlayMode.ORDER, *, rng: random.Random | None = None, history_limit: int = 500
    ) -> None:
        self.mode = mode
        self._rng = rng or random.Random()
        self._upcoming: list[QueueEntry[T]] = []
        self._current: QueueEntry[T] | None = None
        self._history: list[HistoryEntry[T]] = []
        self._history_limit = history_limit
        self._next_id = 1

    # ---- views ---------------------------------------------------------------------

    @property
    def upcoming(self) -> tuple[QueueEntry[T], ...]:
        return tuple(self._upcoming)

    @property
    def items(self) -> tuple[T, ...]:
        return tuple(entry.item for entry in self._upcoming)

    @property
    def current(self) -> QueueEntry[T] | None:
        return self._current

    @property
    def history(self) -> tuple[HistoryEntry[T], ...]:
        """Oldest first."""
        return tuple(self._history)

    def __len__(self) -> int:
        return len(self._upcoming)

    def __iter__(self) -> Iterator[QueueEntry[T]]:
        return iter(tuple(self._upcoming))

    # ---- edits ---------------------------------------------------------------------

    def add(self, item: T) -> int:
        entry = self._new_entry(item)
        self._upcoming.append(entry)
        return entry.entry_id

    def add_next(self, item: T) -> int:
        """优先: queue the song to be sung right after the current one."""
        entry = self._new_entry(item)
        self._upcoming.insert(0, entry)
        return entry.entry_id

    def move_to_top(self, entry_id: int) -> None:
        """置顶: an already queued entry goes first."""
        self.move(entry_id, 0)

    def remove(self, entry_id: int) -> T:
        index = self._index(entry_id)
        return self._upcoming.pop(index).item

    def move(self, entry_id: int, index: int) -> None:
        """Move an entry to position `index` (clamped to the queue's bounds)."""
        entry = self._upcoming.pop(self._index(entry_id))
        index = max(0, min(index, len(self._upcoming)))
        self._upcoming.insert(index, entry)

    def clear(self) -> None:
        self._upcoming.clear()

    def shuffle(self) -> None:
        self._rng.shuffle(self._upcoming)

    # ---- advancing -----------------------------------------------------------------

    def advance(self, *, completed: bool = True, skip: bool = False) -> QueueEntry[T] | None:
        """Finish the current entry and return the one to play now (None: nothing left).

        `completed` records whether the current one was sung to the end; `skip` (切歌)
        leaves a RepeatSingle loop.
        """
        finished = self._current
        if finished is not None:
            self._remember(HistoryEntry(finished.item, completed))
            if self.mode is PlayMode.REPEAT_SINGLE and not skip:
                return finished
            if self.mode is PlayMode.REPEAT_PLAYLIST:
                self._upcoming.append(finished)
        self._current = self._take()
        return self._current

    def _take(self) -> QueueEntry[T] | None:
        if not self._upcoming:
            return None
        if self.mode is PlayMode.SHUFFLE:
            return self._upcoming.pop(self._rng.randrange(len(self._upcoming)))
        return self._upcoming.pop(0)

    def _remember(self, entry: HistoryEntry[T]) -> None:
        self._history.append(entry)
        if len(self._history) > self._history_limit:
            del self._history[: len(self._history) - self._history_limit]

    def _new_entry(self, item: T) -> QueueEntry[T]:
        entry = QueueEntry(self._next_id, item)
        self._next_id += 1
        return entry

    def _index(self, entry_id: int) -> int:
        for index, entry in enumerate(self._upcoming):
            if entry.entry_id == entry_id:
                return index
        raise KeyError(entry_id)
