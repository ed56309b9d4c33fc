"""Who sings each queued song, and where a new request goes: fair turns among singers.

Pure data, no I/O: the session owns one `SingerBook` and consults it on every named
request, so the desktop window, the stage and every phone see the same order.

Fair order is round robin with a "just sang" penalty (OpenKJ's fair rotation plus the
fading penalty KaraKara uses): walking the upcoming list, a singer's n-th song belongs to
round n, and the singer on stage right now starts one round later. A new request of
singer S is placed after the last queued song whose round is not later than S's next
round. So a guest who queued five songs in a row cannot hold the microphone while a
newcomer waits: the newcomer's first song lands right after the first round.

Only the new entry is ever placed: entries already queued keep the order they have, so
a drag by the host (or a 优先) is never undone by the next request. Entries queued
without a singer (the host at the desktop) count as one more singer, `HOST`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from enum import StrEnum

HOST = ""  # the singer of entries queued without a name
SINGER_MAX_CHARS = 24
KEY_MEMORY_LIMIT = 2000  # (singer, song) pairs remembered; the oldest go first


class TurnOrder(StrEnum):
    FAIR = "fair"  # round robin among singers, the one on stage waits a round
    FIRST_COME = "first_come"  # every request at the end


def clean_singer(name: str) -> str:
    """A display name: NFC, inner whitespace collapsed, control characters dropped, capped."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:SINGER_MAX_CHARS]


def singer_id(name: str) -> str:
    """Identity of a singer: "Lin" and "lin " are the same person."""
    return clean_singer(name).casefold()


def fair_index(queued: Sequence[str], singer: str, *, on_stage: str | None = None) -> int:
    """Where a new request of `singer` goes among the `queued` entries' singers (ids)."""
    seen: Counter[str] = Counter()
    rounds: list[int] = []
    for name in queued:
        rounds.append(seen[name] + (1 if name == on_stage else 0))
        seen[name] += 1
    mine = seen[singer] + (1 if singer == on_stage else 0)
    for index in range(len(rounds) - 1, -1, -1):
        if rounds[index] <= mine:
            return index + 1
    return 0


class SingerBook:
    """The singer of every queued entry, the turn order, and each singer's last key per song."""

    def __init__(self, order: TurnOrder = TurnOrder.FAIR) -> None:
        self.order = order
        self._singers: dict[int, str] = {}
        self._keys: OrderedDict[tuple[str, str], int] = OrderedDict()

    def singer_of(self, entry_id: int) -> str | None:
        return self._singers.get(entry_id)

    def assign(self, entry_id: int, singer: str) -> None:
        name = clean_singer(singer)
        if name:
            self._singers[entry_id] = name
        else:
            self._singers.pop(entry_id, None)

    def place(self, singer: str, queued: Iterable[int], on_stage: int | None) -> int | None:
        """The index for a new request of `singer`, or None: append (first come)."""
        if self.order is TurnOrder.FIRST_COME:
            return None
        ids = [singer_id(self._singers.get(entry_id, HOST)) for entry_id in queued]
        stage = singer_id(self._singers.get(on_stage, HOST)) if on_stage is not None else None
        return fair_index(ids, singer_id(singer), on_stage=stage)

    def keep_only(self, live: Iterable[int]) -> None:
        """Forget the singers of entries that are gone (sung, removed, cleared)."""
        alive = set(live)
        for entry_id in [e for e in self._singers if e not in alive]:
            del self._singers[entry_id]

    # ---- 升降调 memory -----------------------------------------------------------------

    def remember_key(self, entry_id: int, song_key: str, semitones: int) -> None:
        singer = self._singers.get(entry_id)
        if singer is None:
            return
        pair = (singer_id(singer), song_key)
        self._keys.pop(pair, None)
        if semitones != 0:
            self._keys[pair] = semitones
            while len(self._keys) > KEY_MEMORY_LIMIT:
                self._keys.popitem(last=False)

    def key_for(self, entry_id: int, song_key: str) -> int | None:
        singer = self._singers.get(entry_id)
        if singer is None:
            return None
        return self._keys.get((singer_id(singer), song_key))
