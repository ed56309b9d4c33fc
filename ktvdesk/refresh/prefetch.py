"""Which queued songs to resolve and keep fresh now: a pure decision, no I/O.

The song playing and the next one are resolved eagerly so "next" starts at once, plus a few
more after them (`eager_count`). Items a little further down that are already resolved are
kept registered at BACKGROUND priority (`keep_count`) so shuffling the top of the queue does
not throw away work; everything beyond is released and resolved again when it comes near.
Keeping fresh at most `1 + keep_count` items is what bounds the work for a 300-song queue:
links there would expire many times over before they are sung.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ktvdesk.refresh.scheduler import Priority


@dataclass(frozen=True, slots=True)
class PrefetchPlan:
    resolve_now: tuple[str, ...]  # not resolved yet and wanted now, most urgent first
    keep_fresh: dict[str, Priority]  # resolved or about to be: register/reprioritise with these
    release: tuple[str, ...]  # resolved but no longer worth refreshing: unregister


@dataclass(frozen=True, slots=True)
class PrefetchPolicy:
    eager_count: int = 2  # upcoming items resolved ahead (the first is NEXT)
    keep_count: int = 5  # upcoming items kept fresh if already resolved (>= eager_count)

    def __post_init__(self) -> None:
        if self.eager_count < 0 or self.keep_count < self.eager_count:
            raise ValueError("need 0 <= eager_count <= keep_count")

    def plan(self, current: str | None, upcoming: Sequence[str], resolved: Collection[str]) -> PrefetchPlan:
        """`upcoming` is the queue after the current song, in play order; keys are unique ids."""
        wanted: dict[str, Priority] = {}
        if current is not None:
            wanted[current] = Priority.PLAYING
        position = 0
        for key in upcoming:
            if position >= self.keep_count:
                break
            if key in wanted:
                continue  # the same queue entry twice: its first place decides
            if position == 0:
                priority = Priority.NEXT
            elif position < self.eager_count:
                priority = Priority.QUEUED
            else:
                priority = Priority.BACKGROUND
            position += 1
            if priority is Priority.BACKGROUND and key not in resolved:
                continue  # lazy: not worth a request until it comes closer
            wanted[key] = priority
        resolve_now = tuple(key for key in wanted if key not in resolved)
        release = tuple(key for key in resolved if key not in wanted)
        return PrefetchPlan(resolve_now=resolve_now, keep_fresh=wanted, release=release)
