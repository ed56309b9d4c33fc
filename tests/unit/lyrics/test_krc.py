from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import LyricLine, Lyrics, decrypt_krc, encode_krc, parse_lyrics
from ktvdesk.lyrics.errors import CORRUPT
from ktvdesk.lyrics.krc import KRC_MAGIC, MAX_DECODED_BYTES

SpansFn = Callable[[Lyrics], list[tuple[int, int, str]]]
WordSpansFn = Callable[[LyricLine], list[tuple[int, int, str]]]


def language_blob(content: object) -> str:
    return base64.b64encode(json.dumps({"content": content, "version": 1}).encode()).decode()


# Own fixture text; word times are relative to the line start.
KRC_TEXT = (
    "[id:$00000000]\r\n"
    "[ar:测试歌手]\r\n"
    "[ti:小河淌水]\r\n"
    "[by:]\r\n"
    "[hash:0123456789abcdef]\r\n"
    "[total:12000]\r\n"
    "[offset:0]\r\n"
    "[1000,2400]<0,600,0>小<600,600,0>河<1200,500,0>流<1700,700,0>水\r\n"
    "[4000,3000]<0,1000,0>Over <1000,0,0>the <1000,2000,0>hill\r\n"
)
EXPECTED_WORDS = [
    [(1000, 1600, "小"), (1600, 2200, "河"), (2200, 2700, "流"), (2700, 3400, "水")],
    [(4000, 5000, "Over "), (5000, 5000, "the "), (5000, 7000, "hill")],
]


def test_krc_round_trip_through_the_encrypted_container(spans: SpansFn, word_spans: WordSpansFn) -> None:
    data = encode_krc(KRC_TEXT)
    assert data.startswith(KRC_MAGIC)
    assert "小河".encode() not in data  # actually encrypted, not stored
    lyrics = parse_lyrics(data)
    assert lyrics.format == "krc"
    assert spans(lyrics) == [(1000, 3400, "小河流水"), (4000, 7000, "Over the hill")]
    assert [word_spans(line) for line in lyrics.lines] == EXPECTED_WORDS
    assert lyrics.meta["title"] == "小河淌水"
    assert lyrics.meta["artist"] == "测试歌手"


def test_decrypt_gives_back_the_bom_prefixed_text() -> None:
    assert decrypt_krc(encode_krc(KRC_TEXT)) == b"\xef\xbb\xbf" + KRC_TEXT.encode()


@pytest.mark.parametrize(
    "wrap",
    [
        encode_krc,
        lambda text: base64.b64encode(encode_krc(text)),
        lambda text: base64.encodebytes(encode_krc(text)),  # wrapped at 76 columns
        lambda text: base64.urlsafe_b64encode(encode_krc(text)).rstrip(b"="),
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: base64.b64encode(text.encode("utf-8")),
    ],
    ids=["krc1", "base64-krc1", "base64-lines", "base64url-unpadded", "plain", "plain-bom", "base64-plain"],
)
def test_every_krc_delivery_form(wrap: Callable[[str], bytes], word_spans: WordSpansFn) -> None:
    lyrics = parse_lyrics(wrap(KRC_TEXT))
    assert [word_spans(line) for line in lyrics.lines] == EXPECTED_WORDS
    assert parse_lyrics(wrap(KRC_TEXT), "krc").lines == lyrics.lines


def test_language_translation_and_romanization_attach_to_lines_and_words() -> None:
    blob = language_blob(
        [
            {"language": 0, "type": 1, "lyricContent": [["Little river flows"], ["越过山岗"]]},
            {"language": 0, "type": 0, "lyricContent": [["xiao", "he", "liu", "shui"], ["", "", ""]]},
        ]
    )
    text = KRC_TEXT.replace("[offset:0]", f"[offset:0]\r\n[language:{blob}]")
    lines = parse_lyrics(encode_krc(text)).lines
    assert [ln.translation for ln in lines] == ["Little river flows", "越过山岗"]
    assert lines[0].romanization == "xiao he liu shui"
    assert [w.romanization for w in lines[0].words] == ["xiao", "he", "liu", "shui"]
    assert lines[1].romanization is None


@pytest.mark.parametrize(
    "content",
    [
        # Fewer rows than lines, per-word arrays of the wrong length, junk rows.
        [{"type": 1, "lyricContent": [["只有第一句"]]}, {"type": 0, "lyricContent": [["xiao", "he"]]}],
        [{"type": 1, "lyricContent": [["只有第一句"], 5, None]}, {"type": 0, "lyricContent": "nope"}],
        [{"type": 1, "lyricContent": [["只有第一句"]]}, "not a dict", {"type": 7, "lyricContent": [["?"]]}],
    ],
)
def test_language_arrays_that_do_not_match_are_tolerated(content: object) -> None:
    text = KRC_TEXT + f"[language:{language_blob(content)}]\r\n"
    lines = parse_lyrics(text.encode()).lines
    assert lines[0].translation == "只有第一句"
    assert lines[1].translation is None
    # Mismatched per-word romanization still gives the line a romanization, never words.
    assert all(w.romanization is None for w in lines[0].words)
    assert len(lines) == 2


@pytest.mark.parametrize("blob", ["", "!!!notbase64", base64.b64encode(b"[1,2]").decode(), "e30="])
def test_broken_language_blob_is_ignored(blob: str) -> None:
    lines = parse_lyrics((KRC_TEXT + f"[language:{blob}]\r\n").encode()).lines
    assert [ln.translation for ln in lines] == [None, None]


def test_language_rows_index_lines_in_file_order_even_when_lines_are_not_sorted() -> None:
    text = "[5000,1000]<0,1000,0>后\r\n[1000,1000]<0,1000,0>前\r\n"
    blob = language_blob([{"type": 1, "lyricContent": [["later"], ["earlier"]]}])
    lines = parse_lyrics((text + f"[language:{blob}]").encode()).lines
    assert [(ln.text, ln.translation) for ln in lines] == [("前", "earlier"), ("后", "later")]


def test_krc_offset_applies_to_lines_and_words() -> None:
    lyrics = parse_lyrics(KRC_TEXT.replace("[offset:0]", "[offset:-500]").encode())
    assert lyrics.offset_ms == -500
    assert lyrics.lines[0].start_ms == 1500
    assert lyrics.lines[0].words[0].end_ms == 2100


def test_krc_line_without_word_tags_and_text_before_first_tag(word_spans: WordSpansFn) -> None:
    lines = parse_lyrics(b"[1000,2000]\xe6\x95\xb4\xe5\x8f\xa5\n[4000,1000]ah<200,300,0>ha\n").lines
    assert word_spans(lines[0]) == [(1000, 3000, "整句")]
    assert word_spans(lines[1]) == [(4000, 4200, "ah"), (4200, 4500, "ha")]


def test_equal_start_times_keep_file_order(spans: SpansFn) -> None:
    lyrics = parse_lyrics(b"[1000,500]<0,500,0>A\n[1000,500]<0,500,0>B\n[200,100]<0,100,0>C\n")
    assert [t for _, _, t in spans(lyrics)] == ["C", "A", "B"]


def test_corrupted_container_is_a_lyrics_error() -> None:
    data = bytearray(encode_krc(KRC_TEXT))
    data[10] ^= 0xFF
    with pytest.raises(LyricsError) as info:
        parse_lyrics(bytes(data))
    assert info.value.user_message == CORRUPT


def test_truncated_container_is_a_lyrics_error() -> None:
    with pytest.raises(LyricsError, match="truncated"):
        parse_lyrics(encode_krc(KRC_TEXT)[:-10])


def test_decompression_bomb_is_refused() -> None:
    bomb = encode_krc(" " * (MAX_DECODED_BYTES + 1024))
    with pytest.raises(LyricsError, match="implausibly large"):
        parse_lyrics(bomb)


def test_krc_container_given_as_another_format_is_refused() -> None:
    with pytest.raises(LyricsError):
        parse_lyrics(encode_krc(KRC_TEXT), "lrc")
