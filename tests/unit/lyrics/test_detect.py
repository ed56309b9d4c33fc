from __future__ import annotations

import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import encode_krc, parse_lyrics, sniff_text
from ktvdesk.lyrics.errors import BAD_FORMAT_NAME, NO_LINES, UNRECOGNISED

SAMPLES = {
    "lrc": b"[ti:x]\n[00:01.00]la\n",
    "krc": b"[1000,500]<0,500,0>la\n",
    "qrc": b'<QrcInfos><Lyric_1 LyricContent="[1000,500]la(1000,500)"/></QrcInfos>',
    "vtt": b"WEBVTT\n\n00:01.000 --> 00:02.000\nla\n",
}


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_auto_detection_and_explicit_format_agree(fmt: str) -> None:
    auto = parse_lyrics(SAMPLES[fmt])
    assert auto.format == fmt
    assert parse_lyrics(SAMPLES[fmt], fmt) == auto
    assert [ln.text for ln in auto.lines] == ["la"]


def test_krc_container_is_detected_from_its_magic() -> None:
    assert parse_lyrics(encode_krc("[1000,500]<0,500,0>la\n")).format == "krc"


def test_vtt_without_header_is_still_recognised() -> None:
    assert sniff_text("00:01.000 --> 00:02.000\nla\n") == "vtt"


def test_format_aliases_and_case() -> None:
    assert parse_lyrics(SAMPLES["vtt"], "WebVTT").format == "vtt"


def test_unknown_format_name_is_a_lyrics_error_with_both_languages() -> None:
    with pytest.raises(LyricsError) as info:
        parse_lyrics(SAMPLES["lrc"], "docx")
    assert info.value.user_message == BAD_FORMAT_NAME
    assert info.value.message("zh_CN") != info.value.message("en")


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"hello world\n", b"\x00\x01\x02\x03" * 40])
def test_unrecognised_input(data: bytes) -> None:
    with pytest.raises(LyricsError) as info:
        parse_lyrics(data)
    assert info.value.user_message == UNRECOGNISED
    assert "歌词" in info.value.user_message.zh


def test_metadata_only_file_has_no_lines() -> None:
    with pytest.raises(LyricsError) as info:
        parse_lyrics(b"[ti:only a title]\n[00:01.00]\n")
    assert info.value.user_message == NO_LINES


def test_forcing_the_wrong_format_finds_no_lines() -> None:
    with pytest.raises(LyricsError):
        parse_lyrics(SAMPLES["lrc"], "vtt")
