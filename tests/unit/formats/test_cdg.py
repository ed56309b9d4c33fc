"""CD+G streams: measured like the corpus says, and our own encoder's output recognised."""

from __future__ import annotations

from typing import Any

import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.lyrics.cdg import GRAPHICS_ONLY, read_cdg_info
from tests.unit.formats.cdg_encoder import make_cdg
from tests.unit.formats.wild import corpus_paths, wild_bytes


@pytest.mark.parametrize("path", corpus_paths("cdg"))
def test_wild_stream_measures_as_expected(path: str, expected: dict[str, Any]) -> None:
    entry = expected[path]
    info = read_cdg_info(wild_bytes(path, entry))
    assert info.packets == entry["packets"]
    assert info.duration_ms == entry["duration_ms"]
    assert info.command_packets == entry["cdg_command_packets"]
    assert info.instructions == entry["instruction_histogram"]


def test_own_encoder_output_is_cdg() -> None:
    drawing = make_cdg(seconds=3.0)
    info = read_cdg_info(drawing.data)
    assert info.duration_ms == 3000
    assert info.instructions["tile_block"] == len(drawing.title_tiles)
    assert info.instructions["tile_block_xor"] == len(drawing.wipe_tiles)


@pytest.mark.parametrize("data", [b"", bytes(24 * 300), b"ID3" + bytes(5000)])
def test_not_cdg(data: bytes) -> None:
    with pytest.raises(LyricsError):
        read_cdg_info(data)


@pytest.mark.parametrize("path", corpus_paths("cdg"))
def test_cdg_as_lyrics_says_the_lyrics_are_graphics(path: str, expected: dict[str, Any]) -> None:
    with pytest.raises(LyricsError) as caught:
        parse_lyrics(wild_bytes(path, expected[path]))
    assert caught.value.user_message == GRAPHICS_ONLY
