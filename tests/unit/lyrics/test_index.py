from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ktvdesk.lyrics import LyricLine, Lyrics, LyricsIndex, LyricWord, parse_lyrics

# Two lines with a gap (interlude) between them; the second has a zero-length word.
LYRICS = parse_lyrics(
    b"[00:02.00]<00:02.00>one <00:02.50>two<00:03.00>\n"
    b"[00:03.50]\n"
    b"[00:06.00]<00:06.00>x<00:06.00>yz<00:07.00>\n"
)
INDEX = LyricsIndex(LYRICS)


def test_before_the_first_line_counts_down_to_it() -> None:
    pos = INDEX.at(500)
    assert (pos.line_index, pos.line, pos.active, pos.word) == (-1, None, False, None)
    assert (pos.next_line_index, pos.until_next_ms) == (0, 1500)
    assert pos.next_line is LYRICS.lines[0]


def test_inside_a_word_gives_the_fraction_sung() -> None:
    pos = INDEX.at(2250)
    assert (pos.line_index, pos.active, pos.word_index) == (0, True, 0)
    assert pos.word is LYRICS.lines[0].words[0]
    assert pos.word_fraction == 0.5
    assert (pos.next_line_index, pos.until_next_ms) == (1, 3750)


def test_word_boundaries() -> None:
    assert INDEX.at(2000)[3:6:2] == (0, 0.0)
    assert INDEX.at(2500)[3:6:2] == (1, 0.0)
    assert INDEX.at(2999).word_fraction == 0.998


def test_after_the_last_word_but_before_the_break_the_word_is_full() -> None:
    pos = INDEX.at(3200)
    assert (pos.line_index, pos.active, pos.word_index, pos.word_fraction) == (0, True, 1, 1.0)


def test_interlude_keeps_the_last_line_inactive_and_counts_down() -> None:
    pos = INDEX.at(4000)
    assert (pos.line_index, pos.active, pos.next_line_index, pos.until_next_ms) == (0, False, 1, 2000)


def test_zero_length_word_is_fully_sung_at_once() -> None:
    pos = INDEX.at(6000)
    assert (pos.line_index, pos.word_index, pos.word_fraction) == (1, 1, 0.0)
    line = LYRICS.lines[1]
    assert line.words[0].start_ms == line.words[0].end_ms == 6000


def test_after_the_last_line_there_is_no_next() -> None:
    pos = INDEX.at(60_000)
    assert (pos.line_index, pos.active, pos.next_line_index, pos.next_line, pos.until_next_ms) == (
        1,
        False,
        -1,
        None,
        -1,
    )


def test_empty_lyrics_and_word_less_lines() -> None:
    empty = LyricsIndex(Lyrics())
    assert empty.at(100).line_index == -1 and len(empty) == 0
    bare = LyricsIndex(Lyrics(lines=[LyricLine(0, 1000, "no words")]))
    pos = bare.at(500)
    assert (pos.line_index, pos.active, pos.word_index, pos.word) == (0, True, -1, None)


def test_word_starting_after_its_line_start() -> None:
    line = LyricLine(1000, 3000, "late", [LyricWord(2000, 2500, "late")])
    pos = LyricsIndex(Lyrics(lines=[line])).at(1500)
    assert (pos.word_index, pos.word_fraction) == (0, 0.0)


def linear_reference(lyrics: Lyrics, t_ms: int) -> tuple[int, bool, int, float, int, int]:
    """The obvious O(n) scan the index must agree with."""
    current = -1
    for i, line in enumerate(lyrics.lines):
        if line.start_ms <= t_ms:
            current = i
    nxt = current + 1 if current + 1 < len(lyrics.lines) else -1
    until = lyrics.lines[nxt].start_ms - t_ms if nxt >= 0 else -1
    if current < 0:
        return (-1, False, -1, 0.0, nxt, until)
    line = lyrics.lines[current]
    word_index = 0
    for j, word in enumerate(line.words):
        if word.start_ms <= t_ms:
            word_index = j
    word = line.words[word_index]
    if t_ms < word.start_ms:
        fraction = 0.0
    elif t_ms >= word.end_ms:
        fraction = 1.0
    else:
        fraction = (t_ms - word.start_ms) / (word.end_ms - word.start_ms)
    return (current, t_ms < line.end_ms, word_index, fraction, nxt, until)


@st.composite
def enhanced_lrc(draw: st.DrawFn) -> bytes:
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, 600_000))
        tags = [start]
        for _ in range(draw(st.integers(0, 4))):
            tags.append(tags[-1] + draw(st.integers(0, 3000)))
        body = "".join(f"<{t // 60000:02d}:{t // 1000 % 60:02d}.{t % 1000:03d}>w" for t in tags)
        rows.append(f"[{start // 60000:02d}:{start // 1000 % 60:02d}.{start % 1000:03d}]{body}")
    return "\n".join(rows).encode()


@settings(max_examples=60, deadline=None)
@given(enhanced_lrc(), st.lists(st.integers(-1000, 700_000), min_size=1, max_size=30))
def test_index_agrees_with_a_linear_scan(data: bytes, times: list[int]) -> None:
    lyrics = parse_lyrics(data)
    index = LyricsIndex(lyrics)
    for t in times:
        pos = index.at(t)
        got = (
            pos.line_index,
            pos.active,
            pos.word_index,
            pos.word_fraction,
            pos.next_line_index,
            pos.until_next_ms,
        )
        assert got == linear_reference(lyrics, t)
