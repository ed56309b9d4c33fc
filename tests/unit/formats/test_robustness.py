"""Whatever the bytes, each new parser returns usable lyrics or raises LyricsError."""

from __future__ import annotations

import io

import mido
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import LyricsIndex, parse_lyrics, to_json_dict, write_lrc
from ktvdesk.lyrics.cdg import read_cdg_info
from ktvdesk.lyrics.writer import write_ultrastar

_ULTRASTAR_TOKENS = [
    *"#:*FRGEP-+ \t\r\n0123456789,.aß\x00\ufeff",
    "#TITLE:", "#ARTIST:", "#BPM:", "#GAP:", "#RELATIVE:yes\n", "#BPM:300\n", "#BPM:0,5\n",
    ": 0 4 0 la\n", "* 4 2 -3 da\n", "- 8\n", "- 8 12\n", "P1\n", "P2\n", "P3\n", "E\n", "99999999999",
]  # fmt: skip
_ASS_TOKENS = [
    *"{}\\,:[] \t\r\n0123456789kKfo.-aあ",
    "[Script Info]\n", "[Events]\n", "Format: Layer, Start, End, Style, Text\n", "Format: Text, Start, End\n",
    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,", "Comment: 0,0:00:00.00,9:99:99.99,Default,",
    "{\\k10}", "{\\kf99999999}", "{\\ko5\\K7}", "\\N", "|", "#|", "{\\fad(1,2)",
]  # fmt: skip


def check(data: bytes, fmt: str) -> None:
    try:
        lyrics = parse_lyrics(data, fmt)
    except LyricsError as exc:
        assert exc.user_message.zh and exc.user_message.en
        return
    assert lyrics.lines
    for line in lyrics.lines:
        assert 0 <= line.start_ms <= line.end_ms and line.words
    starts = [line.start_ms for line in lyrics.lines]
    assert starts == sorted(starts)
    LyricsIndex(lyrics).at(lyrics.lines[0].start_ms)
    to_json_dict(lyrics)
    write_lrc(lyrics, enhanced=True)
    if lyrics.melody is not None and lyrics.melody.notes:
        write_ultrastar(lyrics)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["auto", "ultrastar", "ass", "midi"]))
def test_arbitrary_bytes(data: bytes, fmt: str) -> None:
    check(data, fmt)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ULTRASTAR_TOKENS), max_size=80).map("".join))
def test_ultrastar_like_text(text: str) -> None:
    check(text.encode("utf-8"), "ultrastar")
    check(("#TITLE:t\n#BPM:120\n" + text).encode("cp1252", "replace"), "auto")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ASS_TOKENS), max_size=60).map("".join))
def test_ass_like_text(text: str) -> None:
    check(("[Script Info]\n[Events]\n" + text).encode(), "ass")


def _kar() -> bytes:
    song = mido.MidiFile(type=1, ticks_per_beat=96)
    track = mido.MidiTrack([mido.MetaMessage("text", text="@KMIDI KARAOKE FILE")])
    for k, text in enumerate(["\\La", "la ", "/lu"]):
        track.append(mido.MetaMessage("text", text=text, time=48))
        track.append(mido.Message("note_on", note=60 + k, velocity=90, time=0))
        track.append(mido.Message("note_off", note=60 + k, velocity=0, time=40))
    song.tracks.append(track)
    buffer = io.BytesIO()
    song.save(file=buffer)
    return buffer.getvalue()


KAR = _kar()


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(KAR) - 1), st.integers(0, 255), st.integers(0, len(KAR)))
def test_damaged_kar(position: int, value: int, cut: int) -> None:
    data = bytearray(KAR)
    data[position] = value
    check(bytes(data[:cut] if cut > 14 else data), "midi")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2400))
def test_cdg_reader(data: bytes) -> None:
    try:
        info = read_cdg_info(data)
    except LyricsError:
        return
    assert info.packets == len(data) // 24 and info.command_packets >= 1
