"""Page-number paging behind opaque cursors, and batching of id lists.

Yinsuda pages with ScrollTokens; Xiaowei (and any API that pages with `page`/`num`)
pages with numbers and per-call limits. This keeps the number scheme in one place: the
cursor is the next page number as text, and `None` means there is nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from ktvdesk.catalog.cursor import BAD_CURSOR, next_offset, offset_of
from ktvdesk.errors import ProviderError

T = TypeVar("T")

__all__ = ["BAD_CURSOR", "PageNumbers", "batched", "next_offset", "offset_of"]


@dataclass(frozen=True, slots=True)
class PageNumbers:
    """One API's paging rules: first page number, size cap, page cap, item cap."""

    first: int = 1
    max_size: int = 50
    max_page: int | None = None  # the last page number the API serves
    max_items: int | None = None  # e.g. "at most 100 playlists under a tag"

    def page(self, cursor: str | None) -> int:
        if cursor is None:
            return self.first
        text = cursor.strip()
        if not text.lstrip("-").isdigit() or int(text) < self.first:
            raise ProviderError(f"bad page cursor {cursor!r}", user_message=BAD_CURSOR, code="BadCursor")
        return int(text)

    def size(self, limit: int) -> int:
        return max(1, min(self.max_size, limit))

    def next_cursor(self, page: int, size: int, got: int, total: int | None = None) -> str | None:
        """The cursor after `page`, or None when this page was the last one."""
        if got < size:
            return None
        served = (page - self.first + 1) * size
        if total is not None and served >= total:
            return None
        if self.max_items is not None and served >= self.max_items:
            return None
        if self.max_page is not None and page >= self.max_page:
            return None
        return str(page + 1)


def batched(items: Sequence[T], size: int) -> list[list[T]]:
    """`items` in order, in lists of at most `size` (APIs that take ≤ N ids per call)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
