"""Offset cursors: the one parser of "the item offset as text" for every source that pages
by offset (the local library, ZEGO's catalog file, Yinsuda's playlists, the venue).

Strict on purpose: a cursor is only ever one this code handed out, so anything else is a
bug or a stale page, and the user is told to search again rather than shown page one.
A leaf module: the local library reads it without loading the HTTP stack.
"""

from __future__ import annotations

from ktvdesk.errors import ProviderError, UserMessage

BAD_CURSOR = UserMessage("翻页位置无效，请重新查询。", "That page position is no longer valid. Try again.")


def offset_of(cursor: str | None) -> int:
    """The item offset an offset cursor stands for (0 without one)."""
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise ProviderError(f"bad offset cursor {cursor!r}", user_message=BAD_CURSOR, code="BadCursor")
    return int(cursor)


def next_offset(offset: int, got: int, total: int) -> str | None:
    end = offset + got
    return str(end) if got and end < total else None
