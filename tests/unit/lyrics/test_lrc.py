from __future__ import annotations

from collections.abc import Callable

import pytest

from ktvdesk.lyrics import LyricLine, Lyrics, parse_lyrics
from ktvdesk.lyrics.lrc import LAST_LINE_MS

SpansFn = Callable[[Lyrics], list[tuple[int, int, str]]]
WordSpansFn = Callable[[LyricLine], list[tuple[int, int, str]]]


def lrc(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.mark.parametrize(
    ("tag", "ms"),
    [
        ("[00:12.3]", 12300),
        ("[00:12.34]", 12340),
        ("[00:12.345]", 12345),
        ("[00:12:34]", 12340),
        ("[00:12]", 12000),
        ("[0:05.5]", 5500),
        ("[02:03.04]", 123040),
        ("[100:00.00]", 6_000_000),
        ("[123:45.678]", 123 * 60000 + 45678),
        ("[ 01:02.50 ]", 62500),
    ],
)
def test_time_tag_forms(tag: str, ms: int) -> None:
    line = parse_lyrics(lrc(f"{tag}风吹过山岗\n")).lines[0]
    assert line.start_ms == ms
    assert line.text == "风吹过山岗"


def test_several_tags_on_one_line_expand_and_sort(spans: SpansFn) -> None:
    data = lrc("[00:10.00][00:30.00]副歌在这里\n[00:20.00]主歌\n")
    assert spans(parse_lyrics(data)) == [
        (10000, 20000, "副歌在这里"),
        (20000, 30000, "主歌"),
        (30000, 30000 + LAST_LINE_MS, "副歌在这里"),
    ]


def test_out_of_order_tags_are_sorted(spans: SpansFn) -> None:
    data = lrc("[00:09.00]third\n[00:01.00]first\n[00:05.00]second\n")
    assert [t for _, _, t in spans(parse_lyrics(data))] == ["first", "second", "third"]


@pytest.mark.parametrize(
    ("offset_tag", "effective_ms", "offset_ms"),
    [
        ("[offset:+500]", 9500, 500),
        ("[offset:500]", 9500, 500),
        ("[offset:-250]", 10250, -250),
        ("[offset: -250 ]", 10250, -250),
        ("[offset:0]", 10000, 0),
        ("[offset:soon]", 10000, 0),
    ],
)
def test_offset_with_sign(offset_tag: str, effective_ms: int, offset_ms: int) -> None:
    lyrics = parse_lyrics(lrc(f"{offset_tag}\n[00:10.00]<00:10.00>早<00:10.40>安<00:11.00>\n"))
    line = lyrics.lines[0]
    assert lyrics.offset_ms == offset_ms
    assert line.start_ms == effective_ms
    # Words and ends move with the line.
    assert [w.start_ms for w in line.words] == [effective_ms, effective_ms + 400]
    assert line.end_ms == effective_ms + 1000


def test_offset_never_makes_times_negative() -> None:
    line = parse_lyrics(lrc("[offset:+3000]\n[00:01.00]开场\n[00:05.00]下一句\n")).lines[0]
    assert line.start_ms == 0
    assert line.end_ms == 2000


def test_metadata_tags_are_kept_under_readable_names() -> None:
    data = lrc("[ti:晚风]\n[AR:无名氏]\n[al:自制专辑]\n[by:测试]\n[length: 03:20]\n[00:01.00]一句\n")
    meta = parse_lyrics(data).meta
    assert meta == {"title": "晚风", "artist": "无名氏", "album": "自制专辑", "by": "测试", "length": "03:20"}


def test_translation_sharing_a_timestamp(spans: SpansFn) -> None:
    data = lrc("[00:01.00]Stars above the hill\n[00:01.00]山上的星星\n[00:04.00]Night is long\n")
    lyrics = parse_lyrics(data)
    assert spans(lyrics) == [
        (1000, 4000, "Stars above the hill"),
        (4000, 4000 + LAST_LINE_MS, "Night is long"),
    ]
    assert lyrics.lines[0].translation == "山上的星星"
    assert lyrics.lines[1].translation is None


def test_translations_a_few_ms_off_and_listed_after_all_lines() -> None:
    data = lrc(
        "[00:01.00]Stars above the hill\n"
        "[00:04.00]Night is long\n"
        "[00:00.99]山上的星星\n"  # 10 ms early, later in the file
        "[00:04.02]夜很长\n"  # 20 ms late
    )
    lines = parse_lyrics(data).lines
    assert [(ln.start_ms, ln.text, ln.translation) for ln in lines] == [
        (1000, "Stars above the hill", "山上的星星"),
        (4000, "Night is long", "夜很长"),
    ]


def test_lines_further_apart_than_the_tolerance_stay_separate() -> None:
    lines = parse_lyrics(lrc("[00:01.00]快\n[00:01.05]板\n")).lines
    assert [(ln.text, ln.translation) for ln in lines] == [("快", None), ("板", None)]


def test_empty_timed_lines_are_breaks_that_end_the_line(spans: SpansFn) -> None:
    data = lrc("[00:01.00]第一句\n[00:03.00]\n[00:10.00]间奏之后\n[00:14.00]\n")
    assert spans(parse_lyrics(data)) == [(1000, 3000, "第一句"), (10000, 14000, "间奏之后")]


def test_plain_lines_end_at_next_line_and_the_last_gets_a_default(spans: SpansFn) -> None:
    assert spans(parse_lyrics(lrc("[00:01.00]a\n[00:02.00]b\n"))) == [
        (1000, 2000, "a"),
        (2000, 2000 + LAST_LINE_MS, "b"),
    ]


def test_line_without_word_timing_has_one_word_spanning_it(word_spans: WordSpansFn) -> None:
    line = parse_lyrics(lrc("[00:01.00]整句 没有逐字\n[00:03.00]next\n")).lines[0]
    assert word_spans(line) == [(1000, 3000, "整句 没有逐字")]


def test_a2_enhanced_words_with_trailing_tag(word_spans: WordSpansFn) -> None:
    data = lrc("[00:05.00]<00:05.00>Moon <00:05.50>on <00:06.00>water<00:07.20>\n[00:09.00]next\n")
    line = parse_lyrics(data).lines[0]
    assert line.text == "Moon on water"
    assert word_spans(line) == [(5000, 5500, "Moon "), (5500, 6000, "on "), (6000, 7200, "water")]
    # The trailing tag ends the line, not the next line's start.
    assert line.end_ms == 7200


def test_a2_enhanced_without_trailing_tag_ends_at_next_line(word_spans: WordSpansFn) -> None:
    data = lrc("[00:05.00]<00:05.00>月<00:05.50>亮\n[00:08.00]next\n")
    line = parse_lyrics(data).lines[0]
    assert word_spans(line) == [(5000, 5500, "月"), (5500, 8000, "亮")]
    assert line.end_ms == 8000


def test_a2_text_before_first_word_tag_starts_at_the_line() -> None:
    line = parse_lyrics(lrc("[00:05.00]嗯<00:05.30>啊<00:06.00>\n")).lines[0]
    assert [(w.start_ms, w.text) for w in line.words] == [(5000, "嗯"), (5300, "啊")]


def test_a2_gap_between_words_and_space_only_segments(word_spans: WordSpansFn) -> None:
    # "<t>word<t2> <t3>word": the space belongs to the first word, which ends at t2.
    data = lrc("[00:01.00]<00:01.00>Hey<00:01.40> <00:02.00>you<00:02.50>\n")
    line = parse_lyrics(data).lines[0]
    assert word_spans(line) == [(1000, 1400, "Hey "), (2000, 2500, "you")]
    assert line.text == "Hey you"


def test_eslyric_word_timing(word_spans: WordSpansFn) -> None:
    data = lrc("[00:02.00]一[00:02.30]闪[00:02.60]一[00:02.90]闪[00:03.40]\n")
    line = parse_lyrics(data).lines[0]
    assert line.text == "一闪一闪"
    assert word_spans(line) == [
        (2000, 2300, "一"),
        (2300, 2600, "闪"),
        (2600, 2900, "一"),
        (2900, 3400, "闪"),
    ]


def test_zero_length_words_are_kept(word_spans: WordSpansFn) -> None:
    data = lrc("[00:01.00]<00:01.00>a<00:01.00>b<00:01.50>c<00:02.00>\n")
    assert word_spans(parse_lyrics(data).lines[0]) == [
        (1000, 1000, "a"),
        (1000, 1500, "b"),
        (1500, 2000, "c"),
    ]


def test_word_tags_going_backwards_give_zero_length_not_negative() -> None:
    line = parse_lyrics(lrc("[00:01.00]<00:01.50>x<00:01.20>y<00:02.00>\n")).lines[0]
    assert all(w.end_ms >= w.start_ms for w in line.words)
    assert [w.start_ms for w in line.words] == sorted(w.start_ms for w in line.words)


def test_word_timed_line_repeated_by_several_leading_tags_shifts_its_words() -> None:
    data = lrc("[00:10.00][00:40.00]<00:10.00>la<00:10.50>la<00:11.00>\n")
    lines = parse_lyrics(data).lines
    assert [[(w.start_ms, w.end_ms) for w in ln.words] for ln in lines] == [
        [(10000, 10500), (10500, 11000)],
        [(40000, 40500), (40500, 41000)],
    ]


def test_square_brackets_that_are_not_times_stay_text() -> None:
    line = parse_lyrics(lrc("[00:01.00][合唱] 一起唱 <笑>\n")).lines[0]
    assert line.text == "[合唱] 一起唱 <笑>"


def test_line_with_only_tags_is_a_break_even_when_word_timed(spans: SpansFn) -> None:
    data = lrc("[00:01.00]唱\n[00:02.00]<00:02.00><00:02.50>\n[00:05.00]再唱\n")
    assert spans(parse_lyrics(data))[0] == (1000, 2000, "唱")


def test_unsynced_lines_and_comments_are_ignored(spans: SpansFn) -> None:
    data = lrc("just a title line\n# comment\n[00:01.00]唯一一句\n")
    assert [t for _, _, t in spans(parse_lyrics(data))] == ["唯一一句"]


def test_third_line_at_the_same_time_joins_the_translation() -> None:
    data = lrc("[00:01.00]原文\n[00:01.00]Original\n[00:01.00]yuan wen\n")
    line = parse_lyrics(data).lines[0]
    assert (line.text, line.translation) == ("原文", "Original / yuan wen")


def test_unknown_header_tags_are_kept_as_they_are() -> None:
    meta = parse_lyrics(lrc("[kana:1あ1い]\n[x-custom:值]\n[00:01.00]a\n")).meta
    assert meta == {"kana": "1あ1い", "x-custom": "值"}
