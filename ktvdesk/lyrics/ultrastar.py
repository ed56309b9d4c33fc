"""UltraStar `.txt` songs: headers, notes with pitch, line breaks, duets, relative mode.

The rules follow UltraStar Deluxe (USDX), the reference player: a beat lasts
60000 / (BPM × 4) ms and a note starts at `GAP + beat × that`; pitch 0 is C4 (MIDI 60);
exactly one whitespace character after the pitch is eaten and the rest of the line,
spaces included, is the syllable; empty lines (a leading `- 0`, a break just before `E`)
are dropped; in relative mode each player keeps an offset that a break `- a b` moves on
by `b`. A `B beat bpm` line (legacy, mid-song tempo change) sets a new BPM from that beat
on: times after it follow the new tempo, continuing from where the old one left off. Headers
are kept in `Lyrics.meta` under their lower-case names (the tempo changes under
`bpmchanges`, as `beat:bpm` pairs), and the typed values a library needs come from
`song_header`.
"""

from __future__ import annotations

import codecs
import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ktvdesk.lyrics.common import finish_lines
from ktvdesk.lyrics.decoding import split_lines
from ktvdesk.lyrics.errors import CORRUPT, lyrics_error
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord
from ktvdesk.singing.melody import Melody, MelodySource, Note, NoteKind

NOTE_KINDS = {
    ":": NoteKind.NORMAL,
    "*": NoteKind.GOLDEN,
    "F": NoteKind.FREESTYLE,
    "R": NoteKind.RAP,
    "G": NoteKind.GOLDEN_RAP,
}
KIND_CHARS = {kind: char for char, kind in NOTE_KINDS.items()}
MIDI_C4 = 60  # USDX pitch 0

# Header names as files spell them (upper case) → the key kept in `Lyrics.meta`.
_META_ALIASES = {"DUETSINGERP1": "p1", "DUETSINGERP2": "p2"}
# A beat number larger than this is no song (about 9 hours at 300 BPM), only hostile input.
_MAX_BEAT = 10_000_000
_MAX_BPM = 1_000_000.0


@dataclass(frozen=True, slots=True)
class UltraStarHeader:
    """What a library and the player need from the headers, times already in ms."""

    title: str
    artist: str
    bpm: float
    gap_ms: int
    audio: str | None  # #AUDIO (format 1.1+) or #MP3
    vocals: str | None
    instrumental: str | None
    video: str | None
    video_gap_ms: int
    cover: str | None
    background: str | None
    start_ms: int  # #START (seconds in the file)
    end_ms: int | None  # #END (ms in the file)
    medley_start_ms: int | None
    medley_end_ms: int | None
    language: str | None
    genre: str | None
    year: str | None
    relative: bool


def decode_ultrastar(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM first, then strict UTF-8, then #ENCODING or CP1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-bom"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_encoding(data)
    return data.decode(declared, errors="replace"), declared


def _declared_encoding(data: bytes) -> str:
    head = data[:4096].upper()
    marker = head.find(b"#ENCODING:")
    if marker >= 0:
        name = head[marker + 10 :].split(b"\n", 1)[0].strip().decode("ascii", "replace").lower()
        try:
            return codecs.lookup(name).name
        except LookupError:
            pass
    # USDX's fallback for files that are not UTF-8: old Windows editors wrote CP1252.
    return "cp1252"


def looks_like_ultrastar(text: str) -> bool:
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if not head.startswith("#"):
        return False
    upper = head.upper()
    return "#BPM:" in upper and ("#TITLE:" in upper or "#ARTIST:" in upper)


def parse_ultrastar(data: bytes) -> Lyrics:
    text, encoding = decode_ultrastar(data)
    lyrics = parse_ultrastar_text(text)
    lyrics.meta["encoding_detected"] = encoding
    return lyrics


class TempoMap:
    """Beats to milliseconds: `#GAP`, then `#BPM` until the first `B` change, and so on.

    USDX's rule: a beat lasts 60000 / (BPM × 4) ms; each change starts a new segment that
    begins at the time the previous segment reached at the change's beat.
    """

    __slots__ = ("_segments", "_starts")

    def __init__(self, bpm: float, gap_ms: float, changes: Sequence[tuple[int, float]] = ()) -> None:
        segments: list[tuple[float, float, float]] = [(0.0, gap_ms, 60000.0 / (bpm * 4.0))]
        for beat, new_bpm in sorted(changes, key=lambda change: change[0]):
            start_beat, start_ms, per_beat = segments[-1]
            if beat <= start_beat:
                # A change at (or before) the segment's own start replaces its tempo.
                segments[-1] = (start_beat, start_ms, 60000.0 / (new_bpm * 4.0))
                continue
            segments.append(
                (float(beat), start_ms + (beat - start_beat) * per_beat, 60000.0 / (new_bpm * 4.0))
            )
        self._segments = segments
        self._starts = [segment[0] for segment in segments]

    def ms(self, beat: float) -> int:
        # Beats before the first change (negative ones too) use the first segment.
        start_beat, start_ms, per_beat = self._segments[max(0, bisect_right(self._starts, beat) - 1)]
        return round(start_ms + (beat - start_beat) * per_beat)


@dataclass(slots=True)
class _Track:
    """One player's notes in beats while reading; lines are lists of (kind, beat, length, pitch, text)."""

    lines: list[list[tuple[NoteKind, int, int, int, str]]]
    rel: int = 0


def parse_ultrastar_text(text: str) -> Lyrics:
    meta: dict[str, str] = {}
    rows = split_lines(text)
    index = _read_headers(rows, meta)
    bpm = _bpm(meta)
    gap = _number(meta.get("gap", "0"), "GAP")
    relative = meta.get("relative", "").strip().lower() in ("yes", "true", "1")
    changes: list[tuple[int, float]] = []
    meta.pop("bpmchanges", None)  # ours, from the `B` lines; never a header of the file
    tracks = _read_body(rows[index:], relative, changes)
    if changes:
        meta["bpmchanges"] = " ".join(f"{beat}:{new_bpm!r}" for beat, new_bpm in changes)
    lyrics = _build(tracks, TempoMap(bpm, gap, changes), meta)
    lyrics.meta.update(meta)
    return lyrics


def _read_headers(rows: list[str], meta: dict[str, str]) -> int:
    for index, row in enumerate(rows):
        stripped = row.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return index
        key, sep, value = stripped[1:].partition(":")
        if not sep:
            continue
        name = key.strip().upper()
        meta.setdefault(_META_ALIASES.get(name, name.lower()), value.strip())
    return len(rows)


def _read_body(rows: list[str], relative: bool, changes: list[tuple[int, float]]) -> dict[int, _Track]:
    """The notes of each player; `B` tempo changes are appended to `changes`."""
    tracks: dict[int, _Track] = {}
    current = [_track(tracks, 1)]
    for row in rows:
        stripped = row.lstrip(" \t")
        if not stripped:
            continue
        tag = stripped[0]
        if tag in NOTE_KINDS:
            beat, length, pitch, syllable = _note_fields(stripped)
            for track in current:
                track.lines[-1].append((NOTE_KINDS[tag], beat + track.rel, length, pitch, syllable))
        elif tag == "-":
            numbers = _ints(stripped[1:], 2)
            if not numbers:
                raise lyrics_error(f"line break without a beat: {row[:40]!r}", CORRUPT)
            for track in current:
                track.lines.append([])
                if relative:
                    # A break without its second number restarts the count at the break.
                    track.rel += numbers[1] if len(numbers) > 1 else numbers[0]
        elif tag == "P":
            players = _ints(stripped[1:], 1)
            player = players[0] if players else 0
            if player not in (1, 2, 3):
                raise lyrics_error(f"unknown duet player {row[:40]!r}", CORRUPT)
            # P3 is "both singers" in UltraStar Play and Vocaluxe files.
            current = [_track(tracks, 1), _track(tracks, 2)] if player == 3 else [_track(tracks, player)]
        elif tag == "B":
            changes.append(_tempo_change(stripped, current[0].rel))
        elif tag == "E":
            break
        # Anything else (stray `#` lines, editor comments) carries no timing: skip it.
    return tracks


def _track(tracks: dict[int, _Track], player: int) -> _Track:
    track = tracks.get(player)
    if track is None:
        track = tracks[player] = _Track([[]])
    return track


# USDX's ParseLyricIntParam: optional blanks before each number; after the pitch exactly
# one blank is eaten and the rest of the row, spaces included, is the syllable.
_NOTE_RE = re.compile(
    r".[ \t]*([+-]?\d{1,9})(?!\d)[ \t]*([+-]?\d{1,9})(?!\d)[ \t]*([+-]?\d{1,9})(?!\d)[ \t]?(.*)", re.S
)


def _note_fields(row: str) -> tuple[int, int, int, str]:
    """`T start length pitch text` as USDX reads it."""
    m = _NOTE_RE.match(row)
    if m is None:
        raise lyrics_error(f"bad note line {row[:40]!r}", CORRUPT)
    beat, length, pitch = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if abs(beat) > _MAX_BEAT or not 0 <= length <= _MAX_BEAT:
        raise lyrics_error(f"note out of range {row[:40]!r}", CORRUPT)
    return beat, length, pitch, m.group(4)


def _tempo_change(row: str, rel: int) -> tuple[int, float]:
    """`B beat bpm`: the beat (moved by the relative offset, as USDX does) and the new BPM."""
    parts = row[1:].split()
    beats = _ints(parts[0], 1) if parts else []
    if len(parts) < 2 or not beats or abs(beats[0]) > _MAX_BEAT:
        raise lyrics_error(f"bad BPM change line {row[:40]!r}", CORRUPT)
    new_bpm = _number(parts[1], "BPM change")
    if not 0 < new_bpm <= _MAX_BPM:
        raise lyrics_error(f"BPM change out of range {row[:40]!r}", CORRUPT)
    return beats[0] + rel, new_bpm


def _ints(text: str, limit: int) -> list[int]:
    out: list[int] = []
    for part in text.split()[:limit]:
        if not part.lstrip("+-").isdigit() or not part.lstrip("+-").isascii() or len(part) > 10:
            break
        out.append(int(part))
    return out


def _bpm(meta: dict[str, str]) -> float:
    raw = meta.get("bpm")
    if raw is None:
        raise lyrics_error("UltraStar file without #BPM", CORRUPT)
    bpm = _number(raw, "BPM")
    if not 0 < bpm <= _MAX_BPM:
        raise lyrics_error(f"UltraStar #BPM out of range: {raw!r}", CORRUPT)
    return bpm


def _number(raw: str, name: str) -> float:
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        raise lyrics_error(f"UltraStar #{name} is not a number: {raw[:40]!r}", CORRUPT) from None
    if not math.isfinite(value) or abs(value) > 1e12:
        raise lyrics_error(f"UltraStar #{name} out of range: {raw[:40]!r}", CORRUPT)
    return value


def tempo_map(meta: dict[str, str]) -> TempoMap:
    """The tempo of a parsed file (`Lyrics.meta`), `B` changes included."""
    changes: list[tuple[int, float]] = []
    for pair in meta.get("bpmchanges", "").split():
        beat, _, new_bpm = pair.partition(":")
        try:
            changes.append((int(beat), float(new_bpm)))
        except ValueError:
            raise lyrics_error(f"bad BPM change {pair[:40]!r}", CORRUPT) from None
    return TempoMap(_bpm(meta), _number(meta.get("gap", "0"), "GAP"), changes)


def _build(tracks: dict[int, _Track], tempo: TempoMap, meta: dict[str, str]) -> Lyrics:
    duet = len(tracks) > 1
    lines: list[tuple[LyricLine, int, list[tuple[NoteKind, int]]]] = []
    for player in sorted(tracks):
        for raw_line in tracks[player].lines:
            if not raw_line:
                continue  # USDX drops empty lines
            words: list[LyricWord] = []
            extra: list[tuple[NoteKind, int]] = []
            for kind, beat, length, pitch, syllable in raw_line:
                words.append(LyricWord(tempo.ms(beat), tempo.ms(beat + length), syllable))
                extra.append((kind, pitch))
            line = LyricLine(
                start_ms=words[0].start_ms,
                end_ms=max(word.end_ms for word in words),
                text="".join([word.text for word in words]).strip(),
                words=words,
                player=player if duet else None,
            )
            lines.append((line, player, extra))
    # Lines of both singers interleave in time; a note's `line` is its index after sorting.
    lines.sort(key=lambda entry: (entry[0].start_ms, entry[1]))
    finish_lines([line for line, _, _ in lines], 0)  # stable: keeps the order just made
    notes = [
        Note(word.start_ms, word.end_ms, float(pitch + MIDI_C4), kind, number, player, word.text)
        for number, (line, player, extra) in enumerate(lines)
        for word, (kind, pitch) in zip(line.words, extra, strict=True)
    ]
    if duet:
        notes.sort(key=lambda n: (n.start_ms, n.player))
    title = meta.get("title", "")
    return Lyrics(
        lines=[line for line, _, _ in lines],
        meta={"title": title} if title else {},
        format="ultrastar",
        melody=Melody(tuple(notes), MelodySource.NOTES),
    )


def song_header(meta: dict[str, str]) -> UltraStarHeader:
    """Typed headers of a parsed UltraStar file (`Lyrics.meta`)."""
    bpm = _bpm(meta)
    gap = _number(meta.get("gap", "0"), "GAP")
    tempo = tempo_map(meta)  # medley beats follow `B` tempo changes too

    def optional(key: str) -> str | None:
        value = meta.get(key, "").strip()
        return value or None

    def beats(key: str) -> int | None:
        value = optional(key)
        return None if value is None else tempo.ms(_number(value, key.upper()))

    end = optional("end")
    return UltraStarHeader(
        title=meta.get("title", ""),
        artist=meta.get("artist", ""),
        bpm=bpm,
        gap_ms=round(gap),
        audio=optional("audio") or optional("mp3"),
        vocals=optional("vocals"),
        instrumental=optional("instrumental"),
        video=optional("video"),
        video_gap_ms=round(_number(meta.get("videogap", "0") or "0", "VIDEOGAP") * 1000),
        cover=optional("cover"),
        background=optional("background"),
        start_ms=round(_number(meta.get("start", "0") or "0", "START") * 1000),
        end_ms=None if end is None else round(_number(end, "END")),
        medley_start_ms=beats("medleystartbeat"),
        medley_end_ms=beats("medleyendbeat"),
        language=optional("language"),
        genre=optional("genre"),
        year=optional("year"),
        relative=meta.get("relative", "").strip().lower() in ("yes", "true", "1"),
    )
