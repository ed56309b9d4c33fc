"""Which queue rows a save writes: the stored rows that stay, go and come (pure).

The queue is stored one row per entry, ordered by an integer `position` that leaves room
between neighbours (`GAP`). A save compares what is stored with what is wanted and
writes only the difference: a song added is one row inserted, a song removed one row
deleted, a song moved (置顶, a drag) one row deleted and inserted again between its new
neighbours; every other row keeps its position untouched.

Rows are matched by identity (the song's key and its singer), in order, and the rows
that stay are the longest run of matches already in the wanted order (a longest
increasing subsequence, O(n log n)), so a song moved to the top moves one row, not the
299 it jumped over. When no integer is left between two neighbours, or positions drift
too far, the plan rewrites the whole queue with fresh gaps: correct, and rare.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

GAP = 1 << 32  # room for 32 halvings between two neighbours before a rewrite
_LIMIT = 1 << 62  # well inside SQLite's 64-bit integers


@dataclass(frozen=True, slots=True)
class RowPlan:
    """`delete` stored positions, then `insert` (position, index into the wanted list)."""

    delete: tuple[int, ...]
    insert: tuple[tuple[int, int], ...]
    kept: tuple[tuple[int, int], ...]  # (stored position, wanted index) left as they are


def plan_rows(stored: Sequence[tuple[int, Hashable]], wanted: Sequence[Hashable]) -> RowPlan:
    """`stored`: (position, identity) in position order; `wanted`: identities in order."""
    positions = [position for position, _ in stored]
    # The usual edit touches one end or one spot: rows equal at both ends stay as they are,
    # and only what lies between them is matched.
    head = 0
    while head < min(len(stored), len(wanted)) and stored[head][1] == wanted[head]:
        head += 1
    tail = 0
    while tail < min(len(stored), len(wanted)) - head and stored[-1 - tail][1] == wanted[-1 - tail]:
        tail += 1
    kept = {index: positions[index] for index in range(head)}
    kept.update((len(wanted) - 1 - k, positions[len(stored) - 1 - k]) for k in range(tail))
    middle = stored[head : len(stored) - tail]
    matches = _match(middle, wanted[head : len(wanted) - tail])
    staying = _longest_increasing([stored_index for _, stored_index in matches])
    kept.update((head + matches[k][0], positions[head + matches[k][1]]) for k in staying)
    placed = _place(len(wanted), kept)
    if placed is None:
        return RowPlan(tuple(positions), tuple((index * GAP, index) for index in range(len(wanted))), ())
    stays = set(kept.values())
    return RowPlan(
        tuple(p for p in positions if p not in stays),
        tuple(placed),
        tuple((position, index) for index, position in kept.items()),
    )


def _match(stored: Sequence[tuple[int, Hashable]], wanted: Sequence[Hashable]) -> list[tuple[int, int]]:
    """(wanted index, stored index) pairs: each wanted row takes the first stored row with
    its identity not taken yet (a song queued twice matches its rows in order)."""
    free: defaultdict[Hashable, deque[int]] = defaultdict(deque)
    for index, (_, identity) in enumerate(stored):
        free[identity].append(index)
    matches: list[tuple[int, int]] = []
    for index, identity in enumerate(wanted):
        rows = free.get(identity)
        if rows:
            matches.append((index, rows.popleft()))
    return matches


def _longest_increasing(values: list[int]) -> list[int]:
    """Indices into `values` of a longest strictly increasing subsequence."""
    tails: list[int] = []  # the smallest last value of an increasing run of each length
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[length] = value
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else -1
    chain: list[int] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(index)
        index = previous[index]
    return chain[::-1]


def _place(size: int, kept: dict[int, int]) -> list[tuple[int, int]] | None:
    """Positions for the wanted rows that are not kept, between their kept neighbours;
    None when some run does not fit (the caller rewrites everything)."""
    placed: list[tuple[int, int]] = []
    run: list[int] = []
    low: int | None = None
    for index in range(size):
        position = kept.get(index)
        if position is None:
            run.append(index)
            continue
        if run:
            spread = _spread(low, position, len(run))
            if spread is None:
                return None
            placed.extend(zip(spread, run, strict=True))
            run = []
        low = position
    if run:
        spread = _spread(low, None, len(run))
        if spread is None:
            return None
        placed.extend(zip(spread, run, strict=True))
    return placed


def _spread(low: int | None, high: int | None, count: int) -> list[int] | None:
    """`count` increasing integers strictly between `low` and `high` (None: open end)."""
    if low is None and high is None:
        positions = [index * GAP for index in range(count)]
    elif high is None:
        assert low is not None
        positions = [low + GAP * (index + 1) for index in range(count)]
    elif low is None:
        positions = [high - GAP * (count - index) for index in range(count)]
    else:
        step = (high - low) // (count + 1)
        if step < 1:
            return None
        positions = [low + step * (index + 1) for index in range(count)]
    if positions and not (positions[0] > -_LIMIT and positions[-1] < _LIMIT):
        return None
    return positions
