from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ktvdesk.lyrics import LyricLine, Lyrics, LyricWord, encode_krc, parse_lyrics, write_lrc


def test_plain_lrc_output() -> None:
    lyrics = parse_lyrics(
        b"[ti:Song]\n[offset:+100]\n[00:01.10]first\n[00:01.10]translation\n[00:03.00]\n[01:40.05]second\n"
    )
    assert write_lrc(lyrics, enhanced=False) == (
        "[ti:Song]\n[00:01.000]first\n[00:01.000]translation\n[00:02.900]\n[01:39.950]second\n[01:44.950]\n"
    )


def test_enhanced_lrc_output_from_krc() -> None:
    krc = "[ar:歌手]\r\n[hash:abc]\r\n[1000,2000]<0,500,0>春<500,500,0>天<1500,500,0>来\r\n"
    text = write_lrc(parse_lyrics(encode_krc(krc)), enhanced=True)
    # A gap between words gets an end tag; the last word always does.
    assert text == "[ar:歌手]\n[00:01.000]<00:01.000>春<00:01.500>天<00:02.000><00:02.500>来<00:03.000>\n"


def test_plain_output_of_word_timed_lyrics_drops_only_the_words() -> None:
    lyrics = parse_lyrics(b"[00:01.00]<00:01.00>a<00:01.50>b<00:02.00>\n[00:05.00]c\n")
    again = parse_lyrics(write_lrc(lyrics, enhanced=False).encode())
    assert [(ln.start_ms, ln.end_ms, ln.text) for ln in again.lines] == [
        (1000, 2000, "ab"),
        (5000, 10000, "c"),
    ]


def test_meta_values_are_kept_on_one_line() -> None:
    lyrics = Lyrics(lines=[LyricLine(0, 10, "x")], meta={"title": "two\nlines]", "language": "blob"})
    assert write_lrc(lyrics, enhanced=False).startswith("[ti:two lines]]\n[00:00.000]x\n")


_TEXT = st.text(alphabet="abcxyz你好歌词 ", min_size=1, max_size=8).map(str.strip).filter(bool)
_WORD = st.text(alphabet="abxy歌词 ", min_size=1, max_size=4).filter(lambda s: not s.isspace())


@st.composite
def lyrics_models(draw: st.DrawFn, enhanced: bool) -> Lyrics:
    """Models the writer can express: lines apart by more than the translation tolerance,
    words in order, line ends at or after the last word."""
    lines: list[LyricLine] = []
    t = draw(st.integers(0, 10_000))
    for _ in range(draw(st.integers(1, 12))):
        start = t
        words: list[LyricWord] = []
        if enhanced and draw(st.booleans()):
            w = start + draw(st.integers(0, 300))
            for _ in range(draw(st.integers(1, 5))):
                w_start = w + draw(st.sampled_from([0, 0, 40, 250]))
                w_end = w_start + draw(st.integers(0, 900))
                words.append(LyricWord(w_start, w_end, draw(_WORD)))
                w = w_end
            text = "".join(word.text for word in words).strip()
            end = w + draw(st.sampled_from([0, 0, 1, 700]))
        else:
            text = draw(_TEXT)
            end = start + draw(st.integers(1, 8000))
        translation = draw(st.none() | _TEXT)
        lines.append(LyricLine(start, end, text, words, translation))
        t = end + draw(st.sampled_from([0, 0, 30, 2000]))
        # The next line must start more than the translation tolerance after this one.
        t = max(t, start + 25)
    for i, line in enumerate(lines):
        if not line.words:
            line.words.append(LyricWord(line.start_ms, line.end_ms, line.text))
        if i + 1 < len(lines):
            line.end_ms = min(line.end_ms, lines[i + 1].start_ms)
    meta = draw(st.dictionaries(st.sampled_from(["title", "artist", "album", "by"]), _TEXT, max_size=3))
    return Lyrics(lines=lines, meta=meta, format="lrc")


@settings(max_examples=150, deadline=None)
@given(lyrics_models(enhanced=True))
def test_enhanced_lrc_round_trips_lines_and_words(lyrics: Lyrics) -> None:
    again = parse_lyrics(write_lrc(lyrics, enhanced=True).encode())
    assert again.lines == lyrics.lines
    assert again.meta == lyrics.meta


@settings(max_examples=150, deadline=None)
@given(lyrics_models(enhanced=False))
def test_plain_lrc_round_trips_lines(lyrics: Lyrics) -> None:
    again = parse_lyrics(write_lrc(lyrics, enhanced=False).encode())
    assert again.lines == lyrics.lines
    assert again.meta == lyrics.meta
