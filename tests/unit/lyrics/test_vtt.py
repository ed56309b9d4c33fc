from __future__ import annotations

from collections.abc import Callable

from ktvdesk.lyrics import LyricLine, Lyrics, parse_lyrics

SpansFn = Callable[[Lyrics], list[tuple[int, int, str]]]
WordSpansFn = Callable[[LyricLine], list[tuple[int, int, str]]]

# Own fixture: settings, ids, NOTE, STYLE, REGION, markup, entities, both time forms.
VTT = """WEBVTT - 练习曲
Kind: captions
Language: zh-CN

STYLE
::cue(.hl) { color: yellow }

REGION
id:lyrics width:80%

NOTE 这是一段注释
它可以有好几行

intro-1
00:00:01.000 --> 00:00:04.000 align:center line:85% position:50%
<00:00:01.000>门<00:00:01.500>前<c.hl><00:00:02.000>大桥</c><00:00:03.000>下<00:00:03.600>

00:05.000 --> 00:07.500
<v 合唱>游过一群鸭</v>

NOTE trailing comment

01:00:10.250 --> 01:00:12.000
Ducks &amp; geese
swim by

00:00:20.000 --> 00:00:21.000

"""


def test_cues_become_lines(spans: SpansFn) -> None:
    lyrics = parse_lyrics(VTT.encode())
    assert lyrics.format == "vtt"
    assert spans(lyrics) == [
        (1000, 4000, "门前大桥下"),
        (5000, 7500, "游过一群鸭"),
        (3_610_250, 3_612_000, "Ducks & geese swim by"),
    ]


def test_header_metadata() -> None:
    meta = parse_lyrics(VTT.encode()).meta
    assert meta == {"webvtt": "- 练习曲", "kind": "captions", "language": "zh-CN"}


def test_inline_timestamps_are_word_timing(word_spans: WordSpansFn) -> None:
    line = parse_lyrics(VTT.encode()).lines[0]
    # The tag at 3.6 s ends "下" without starting a word.
    assert word_spans(line) == [
        (1000, 1500, "门"),
        (1500, 2000, "前"),
        (2000, 3000, "大桥"),
        (3000, 3600, "下"),
    ]


def test_cue_without_inline_timestamps_has_one_word(word_spans: WordSpansFn) -> None:
    assert word_spans(parse_lyrics(VTT.encode()).lines[1]) == [(5000, 7500, "游过一群鸭")]


def test_crlf_bom_and_comma_decimal(spans: SpansFn) -> None:
    data = "\ufeffWEBVTT\r\n\r\n00:01,500 --> 00:02,000\r\n逗号\r\n".encode()
    assert spans(parse_lyrics(data)) == [(1500, 2000, "逗号")]


def test_text_before_first_inline_timestamp_starts_at_cue(word_spans: WordSpansFn) -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:03.000\nla <00:02.000>di\n"
    assert word_spans(parse_lyrics(data).lines[0]) == [(1000, 2000, "la "), (2000, 3000, "di")]


def test_bilingual_cues_at_the_same_time_become_a_translation(spans: SpansFn) -> None:
    data = "WEBVTT\n\n00:01.000 --> 00:03.000\nSing along\n\n00:01.000 --> 00:03.000\n一起唱\n".encode()
    lyrics = parse_lyrics(data)
    assert spans(lyrics) == [(1000, 3000, "Sing along")]
    assert lyrics.lines[0].translation == "一起唱"
