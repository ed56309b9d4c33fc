"""Units that cloud payloads get wrong: seconds documented, milliseconds sent."""

from __future__ import annotations

# No karaoke song lasts 10 000 s (2 h 46 min): below this a time value can only be seconds.
SECONDS_LIMIT = 10_000


def seconds_or_ms(value: int | float | None, seconds_limit: int = SECONDS_LIMIT) -> int | None:
    """Milliseconds from a value that may be either; None for missing or non-positive."""
    if value is None or value <= 0:
        return None
    return int(value * 1000) if value < seconds_limit else int(value)


def span_ms(begin: int | None, end: int | None) -> tuple[int, int] | None:
    """A (begin, end) pair in one unit: the end decides it, since 0 s = 0 ms at the start."""
    if end is None or end <= 0:
        return None
    scale = 1000 if end < SECONDS_LIMIT else 1
    start = max(0, begin or 0) * scale
    stop = end * scale
    return (start, stop) if start < stop else None
