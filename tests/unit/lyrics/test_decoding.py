from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest

from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.lyrics.decoding import decode_text, split_lines

SpansFn = Callable[[Lyrics], list[tuple[int, int, str]]]

# Own fixture text: Chinese and ASCII mixed like real files.
LRC_TEXT = "[ti:夜航船]\n[00:01.00]灯火照着江面\n[00:04.50]Row the little boat\n[00:08.00]船歌轻轻唱\n"
EXPECTED = [
    (1000, 4500, "灯火照着江面"),
    (4500, 8000, "Row the little boat"),
    (8000, 13000, "船歌轻轻唱"),
]


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (LRC_TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + LRC_TEXT.encode("utf-8"), "utf-8 BOM"),
        (codecs.BOM_UTF16_LE + LRC_TEXT.encode("utf-16-le"), "utf-16-le BOM"),
        (codecs.BOM_UTF16_BE + LRC_TEXT.encode("utf-16-be"), "utf-16-be BOM"),
        (LRC_TEXT.encode("utf-16-le"), "utf-16-le without BOM"),
        (LRC_TEXT.encode("utf-16-be"), "utf-16-be without BOM"),
        (codecs.BOM_UTF32_LE + LRC_TEXT.encode("utf-32-le"), "utf-32-le BOM"),
        (LRC_TEXT.encode("gbk"), "gbk"),
        (LRC_TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_every_encoding_gives_the_same_lyrics(encoded: bytes, label: str, spans: SpansFn) -> None:
    lyrics = parse_lyrics(encoded)
    assert spans(lyrics) == EXPECTED, label
    assert lyrics.meta["title"] == "夜航船"


def test_gb18030_only_characters_survive() -> None:
    # 𠀀 (U+20000) exists in GB18030 but not GBK: the fallback must be GB18030.
    text = "[00:01.00]生僻字𠀀在这里\n"
    assert parse_lyrics(text.encode("gb18030")).lines[0].text == "生僻字𠀀在这里"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline: str, spans: SpansFn) -> None:
    data = LRC_TEXT.replace("\n", newline).encode("utf-8")
    assert spans(parse_lyrics(data)) == EXPECTED


def test_mixed_line_endings_in_one_file(spans: SpansFn) -> None:
    data = b"[00:01.00]one\r\n[00:02.00]two\r[00:03.00]three\n[00:04.00]four"
    assert [t for _, _, t in spans(parse_lyrics(data))] == ["one", "two", "three", "four"]


def test_split_lines_keeps_form_feed_and_line_separator_inside_a_line() -> None:
    assert split_lines("a\x0cb\u2028c\r\nd\re") == ["a\x0cb\u2028c", "d", "e"]


def test_decode_strips_bom_and_never_fails_on_garbage() -> None:
    assert decode_text(codecs.BOM_UTF8 + "歌".encode()) == "歌"
    garbage = bytes(range(256))
    assert isinstance(decode_text(garbage), str)


def test_odd_length_utf16_does_not_crash() -> None:
    data = "[00:01.00]abc\n".encode("utf-16-le") + b"\x00"
    assert parse_lyrics(data).lines[0].text == "abc"


def test_bom_in_the_middle_of_glued_files_does_not_hide_a_line() -> None:
    data = "[00:01.00]前半\n".encode() + codecs.BOM_UTF8 + "[00:02.00]后半\n".encode()
    assert [ln.text for ln in parse_lyrics(data).lines] == ["前半", "后半"]
