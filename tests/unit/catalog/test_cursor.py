"""One offset-cursor parser, one behaviour: every offset-paged source refuses a cursor it
did not hand out, with a message, instead of quietly starting over at page one."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktvdesk.catalog.cursor import BAD_CURSOR, next_offset, offset_of
from ktvdesk.catalog.local import LocalLibraryProvider
from ktvdesk.errors import ProviderError


def test_offsets_round_trip() -> None:
    assert offset_of(None) == 0
    assert offset_of(next_offset(0, 30, 100)) == 30
    assert next_offset(90, 10, 100) is None  # the last page
    assert next_offset(0, 0, 100) is None  # nothing came back: no next page


@pytest.mark.parametrize("cursor", ["", "-30", "3.5", "abc", " 30"])
def test_a_cursor_never_handed_out_is_refused(cursor: str) -> None:
    with pytest.raises(ProviderError) as refused:
        offset_of(cursor)
    assert refused.value.user_message == BAD_CURSOR


async def test_the_local_library_refuses_it_too(tmp_path: Path) -> None:
    provider = LocalLibraryProvider(tmp_path / "library.db")
    try:
        assert (await provider.search("x", cursor="0")).items == ()
        with pytest.raises(ProviderError) as refused:
            await provider.search("x", cursor="page-two")
        assert refused.value.user_message == BAD_CURSOR
    finally:
        await provider.aclose()
