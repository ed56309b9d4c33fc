"""Shared helpers for the lyrics tests. Every fixture text here is written for these tests.

Helpers are fixtures because `--import-mode=importlib` makes conftest unimportable.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ktvdesk.lyrics import LyricLine, Lyrics

Span = tuple[int, int, str]


def _spans(lyrics: Lyrics) -> list[Span]:
    return [(line.start_ms, line.end_ms, line.text) for line in lyrics.lines]


def _word_spans(line: LyricLine) -> list[Span]:
    return [(word.start_ms, word.end_ms, word.text) for word in line.words]


@pytest.fixture
def spans() -> Callable[[Lyrics], list[Span]]:
    """(start_ms, end_ms, text) per line: the shape most assertions compare."""
    return _spans


@pytest.fixture
def word_spans() -> Callable[[LyricLine], list[Span]]:
    return _word_spans
