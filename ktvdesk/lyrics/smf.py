"""A small Standard MIDI File reader: just what karaoke needs, nothing that plays.

Events come out with absolute ticks; the tempo map (merged from every track, as players
merge it) turns ticks into milliseconds. Truncated or malformed files raise LyricsError:
a library scan must be able to say "damaged" instead of guessing.
"""

from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass, field

from ktvdesk.lyrics.errors import CORRUPT, lyrics_error

META_TEXT = 0x01
META_TRACK_NAME = 0x03
META_LYRIC = 0x05
META_TEMPO = 0x51
DEFAULT_TEMPO_US = 500_000  # 120 BPM
_DATA_BYTES = {0x80: 2, 0x90: 2, 0xA0: 2, 0xB0: 2, 0xC0: 1, 0xD0: 1, 0xE0: 2}
_MAX_TRACKS = 1024


@dataclass(frozen=True, slots=True)
class MetaEvent:
    tick: int
    track: int
    kind: int
    data: bytes


@dataclass(frozen=True, slots=True)
class NoteEvent:
    tick: int
    track: int
    channel: int
    key: int
    velocity: int  # 0 ends the note, as does a note-off


@dataclass(slots=True)
class MidiData:
    format: int
    division: int  # ticks per quarter note, or negative SMPTE
    track_count: int
    metas: list[MetaEvent] = field(default_factory=list)
    notes: list[NoteEvent] = field(default_factory=list)
    end_ticks: list[int] = field(default_factory=list)  # per track


def is_midi(data: bytes) -> bool:
    return data.startswith(b"MThd") or (data.startswith(b"RIFF") and data[8:12] == b"RMID")


def read_midi(data: bytes) -> MidiData:
    if data.startswith(b"RIFF"):
        data = _unwrap_rmid(data)
    if len(data) < 14 or not data.startswith(b"MThd"):
        raise lyrics_error("not a MIDI file", CORRUPT)
    (header_len,) = struct.unpack_from(">I", data, 4)
    if header_len < 6 or 8 + header_len > len(data):
        raise lyrics_error("MIDI header is truncated", CORRUPT)
    fmt, ntracks, division = struct.unpack_from(">HHh", data, 8)
    if division == 0 or ntracks > _MAX_TRACKS:
        raise lyrics_error("MIDI header is invalid", CORRUPT)
    midi = MidiData(fmt, division, ntracks)
    pos = 8 + header_len
    track = 0
    while track < ntracks:
        if pos + 8 > len(data):
            raise lyrics_error(f"MIDI file is truncated: {track} of {ntracks} tracks", CORRUPT)
        chunk_id = data[pos : pos + 4]
        (length,) = struct.unpack_from(">I", data, pos + 4)
        body_start = pos + 8
        pos = body_start + length
        if pos > len(data):
            raise lyrics_error(f"MIDI file is truncated in track {track}", CORRUPT)
        if chunk_id != b"MTrk":
            continue  # unknown chunks are skipped, as the standard says
        midi.end_ticks.append(_read_track(data, body_start, pos, track, midi))
        track += 1
    return midi


def _unwrap_rmid(data: bytes) -> bytes:
    pos = 12
    while pos + 8 <= len(data):
        (length,) = struct.unpack_from("<I", data, pos + 4)
        if data[pos : pos + 4] == b"data":
            return data[pos + 8 : pos + 8 + length]
        pos += 8 + length + (length & 1)
    raise lyrics_error("RMID file without MIDI data", CORRUPT)


def _read_track(data: bytes, pos: int, end: int, track: int, midi: MidiData) -> int:
    tick = 0
    status = 0
    while pos < end:
        delta, pos = _varlen(data, pos, end)
        tick += delta
        if pos >= end:
            raise lyrics_error(f"MIDI track {track} ends inside an event", CORRUPT)
        byte = data[pos]
        if byte & 0x80:
            pos += 1
            if byte < 0xF0:
                status = byte  # running status only for channel messages
        elif status == 0:
            raise lyrics_error(f"MIDI track {track}: data byte without a status", CORRUPT)
        else:
            byte = status
        if byte == 0xFF:
            if pos >= end:
                raise lyrics_error(f"MIDI track {track} ends inside a meta event", CORRUPT)
            kind = data[pos]
            length, pos = _varlen(data, pos + 1, end)
            if pos + length > end:
                raise lyrics_error(f"MIDI track {track}: meta event runs past the track", CORRUPT)
            if kind == 0x2F:
                return tick
            midi.metas.append(MetaEvent(tick, track, kind, data[pos : pos + length]))
            pos += length
        elif byte in (0xF0, 0xF7):
            length, pos = _varlen(data, pos, end)
            pos += length
        elif byte >= 0xF0:
            raise lyrics_error(f"MIDI track {track}: unexpected status {byte:#x}", CORRUPT)
        else:
            size = _DATA_BYTES[byte & 0xF0]
            if pos + size > end:
                raise lyrics_error(f"MIDI track {track} ends inside an event", CORRUPT)
            kind = byte & 0xF0
            if kind in (0x80, 0x90):
                velocity = data[pos + 1] if kind == 0x90 else 0
                midi.notes.append(NoteEvent(tick, track, byte & 0x0F, data[pos] & 0x7F, velocity))
            pos += size
    if pos > end:
        raise lyrics_error(f"MIDI track {track}: event runs past the track", CORRUPT)
    # No end-of-track event: tolerated, as every player does.
    return tick


def _varlen(data: bytes, pos: int, end: int) -> tuple[int, int]:
    value = 0
    for _ in range(4):
        if pos >= end:
            raise lyrics_error("MIDI file is truncated inside a number", CORRUPT)
        byte = data[pos]
        pos += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, pos
    raise lyrics_error("MIDI variable-length number is too long", CORRUPT)


class TempoMap:
    """Ticks to milliseconds through every tempo change of the file."""

    def __init__(self, midi: MidiData) -> None:
        changes: dict[int, int] = {}
        for meta in sorted(midi.metas, key=lambda m: m.tick):
            if meta.kind == META_TEMPO and len(meta.data) == 3:
                tempo = int.from_bytes(meta.data, "big")
                if tempo > 0:
                    changes[meta.tick] = tempo
        self._division = midi.division
        self._ticks = [0]
        self._tempos = [changes.pop(0, DEFAULT_TEMPO_US)]
        self._us = [0.0]
        for tick in sorted(changes):
            self._us.append(self._us[-1] + (tick - self._ticks[-1]) * self._tempos[-1] / self._ppq)
            self._ticks.append(tick)
            self._tempos.append(changes[tick])

    @property
    def _ppq(self) -> float:
        return float(self._division) if self._division > 0 else 1.0

    def ms_float(self, tick: int) -> float:
        if self._division < 0:
            # SMPTE: -frames per second in the high byte, ticks per frame in the low byte.
            fps = -(self._division >> 8)
            per_frame = self._division & 0xFF
            return tick * 1000.0 / (fps * per_frame) if fps and per_frame else 0.0
        i = bisect.bisect_right(self._ticks, tick) - 1
        return (self._us[i] + (tick - self._ticks[i]) * self._tempos[i] / self._ppq) / 1000.0

    def ms(self, tick: int) -> int:
        return round(self.ms_float(tick))

    def changes(self) -> list[tuple[int, float]]:
        return [(tick, 60_000_000 / tempo) for tick, tempo in zip(self._ticks, self._tempos, strict=True)]
