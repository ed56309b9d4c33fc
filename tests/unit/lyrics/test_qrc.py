from __future__ import annotations

from collections.abc import Callable

import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import LyricLine, Lyrics, parse_lyrics
from ktvdesk.lyrics.errors import ENCRYPTED_QRC

SpansFn = Callable[[Lyrics], list[tuple[int, int, str]]]
WordSpansFn = Callable[[LyricLine], list[tuple[int, int, str]]]


def qrc_xml(content: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        '<QrcInfos>\r\n<QrcHeadInfo SaveTime="20260101" Version="100"/>\r\n'
        '<LyricInfo LyricCount="1">\r\n'
        f'<Lyric_1 LyricType="1" LyricContent="{content}"/>\r\n'
        "</LyricInfo>\r\n</QrcInfos>\r\n"
    ).encode()


# Own fixture text with raw newlines inside the attribute, as real files have them.
CONTENT = (
    "[ti:云上的歌]\r\n"
    "[ar:测试]\r\n"
    "[offset:0]\r\n"
    "[1000,2000]云(1000,500)上(1500,500)的(2000,400)歌(2400,600)\r\n"
    "[3500,0]\r\n"
    "[4000,1500](Hey)(4000,500)lo(ve)(4500,500) &amp; &quot;you&quot;(5000,500)\r\n"
)


def test_qrc_xml_container_with_absolute_word_times(spans: SpansFn, word_spans: WordSpansFn) -> None:
    lyrics = parse_lyrics(qrc_xml(CONTENT))
    assert lyrics.format == "qrc"
    assert lyrics.meta["title"] == "云上的歌"
    assert spans(lyrics) == [(1000, 3000, "云上的歌"), (4000, 5500, '(Hey)lo(ve) & "you"')]
    assert word_spans(lyrics.lines[0]) == [
        (1000, 1500, "云"),
        (1500, 2000, "上"),
        (2000, 2400, "的"),
        (2400, 3000, "歌"),
    ]


def test_parentheses_inside_words_stay_in_the_word(word_spans: WordSpansFn) -> None:
    line = parse_lyrics(qrc_xml(CONTENT)).lines[1]
    assert word_spans(line) == [(4000, 4500, "(Hey)"), (4500, 5000, "lo(ve)"), (5000, 5500, ' & "you"')]


def test_numbers_in_parentheses_far_from_the_line_are_text(word_spans: WordSpansFn) -> None:
    line = parse_lyrics(b"[60000,1000]track(1,2)(60000,400)end(60400,600)\n").lines[0]
    assert word_spans(line) == [(60000, 60400, "track(1,2)"), (60400, 61000, "end")]


def test_timing_only_lines_are_not_lyrics(spans: SpansFn) -> None:
    lyrics = parse_lyrics(
        b"[1000,500]a(1000,500)\n[2000,800]\n[3000,0](3000,0)\n[4000,500]b(4000,500)\n", "qrc"
    )
    assert [t for _, _, t in spans(lyrics)] == ["a", "b"]


def test_plain_qrc_text_is_detected_from_its_word_times() -> None:
    lyrics = parse_lyrics("[1000,500]字(1000,500)\n".encode())
    assert lyrics.format == "qrc"


def test_qrc_offset_applies(spans: SpansFn) -> None:
    content = CONTENT.replace("[offset:0]", "[offset:200]")
    assert spans(parse_lyrics(qrc_xml(content)))[0] == (800, 2800, "云上的歌")


def test_encrypted_qrc_is_refused_with_its_own_message() -> None:
    # Encrypted QRC files circulate as hex text; they need QQ's non-standard DES.
    with pytest.raises(LyricsError) as info:
        parse_lyrics(b"0A1B2C3D4E5F60718293A4B5C6D7E8F9" * 4, "qrc")
    assert info.value.user_message == ENCRYPTED_QRC
