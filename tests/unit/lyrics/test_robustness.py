"""Whatever the bytes, the package raises its own LyricsError or returns lyrics."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import FORMATS, LyricsIndex, encode_krc, parse_lyrics, to_json_dict, write_lrc

FORMAT_CHOICES = ("auto", *FORMATS)

# Characters and fragments that drive the parsers into their interesting branches.
_TOKENS = [
    *"[]<>():,.-+ \t\r\n0123456789=/a歌\x00\ufeff",
    "[00:01.00]", "<00:01.50>", "[01:02:03]", "[offset:-9]", "[language:e30=]", "[ti:x]",
    "[1000,200]", "<0,100,0>", "(1000,50)", "-->", "WEBVTT\n\n", "00:00:01.000 --> 00:00:02.000",
    "<00:00:01.500>", "LyricContent=\"", "<QrcInfos", "krc1", "NOTE", "&amp;",
]  # fmt: skip
_LYRICISH = st.lists(st.sampled_from(_TOKENS), max_size=120).map("".join)


def check(data: bytes, fmt: str) -> None:
    try:
        lyrics = parse_lyrics(data, fmt)
    except LyricsError as exc:
        assert exc.user_message.zh and exc.user_message.en
        return
    # Whatever parsed must be usable downstream.
    assert lyrics.lines
    for line in lyrics.lines:
        assert 0 <= line.start_ms <= line.end_ms
        assert line.words
        assert all(w.start_ms <= w.end_ms for w in line.words)
    LyricsIndex(lyrics).at(lyrics.lines[0].start_ms)
    to_json_dict(lyrics)
    write_lrc(lyrics, enhanced=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from(FORMAT_CHOICES))
def test_arbitrary_bytes_raise_only_lyrics_error(data: bytes, fmt: str) -> None:
    check(data, fmt)


@settings(max_examples=300, deadline=None)
@given(_LYRICISH, st.sampled_from(FORMAT_CHOICES))
def test_lyric_like_text_raises_only_lyrics_error(text: str, fmt: str) -> None:
    check(text.encode("utf-8", errors="surrogatepass"), fmt)


@settings(max_examples=100, deadline=None)
@given(_LYRICISH, st.sampled_from(["raw", "base64"]))
def test_arbitrary_text_inside_a_krc_container(text: str, wrap: str) -> None:
    data = encode_krc(text)
    check(base64.b64encode(data) if wrap == "base64" else data, "auto")


@pytest.mark.parametrize("data", [b"krc1", b"krc1\x00\x01", b"a3JjMQ==", b"[99999999:00.00]x", b"[" * 10000])
def test_known_nasty_inputs(data: bytes) -> None:
    check(data, "auto")


@pytest.mark.parametrize(
    "data",
    [
        b'<QrcInfos LyricContent="' * 20000,
        b"WEBVTT\n\n00:01.000 --> 00:02.000\n" + b"<" * 200_000 + b"\n",
        b"[00:01.00]" + b"<00:01" * 100_000,
        b"[ti:" + b"]" * 200_000,
    ],
    ids=["qrc-unclosed-attributes", "vtt-unclosed-tags", "lrc-broken-word-tags", "meta-brackets"],
)
def test_hostile_inputs_finish(data: bytes) -> None:
    # Guards against quadratic regex paths; pytest-timeout fails the test if one hangs.
    check(data, "auto")
