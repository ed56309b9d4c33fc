"""MIDI karaoke (`.kar`, `.mid`): syllables from lyric/text events, the melody from a track.

* Soft Karaoke files (an FF01 text `@KMIDI…`) keep their syllables in FF01 text events
  not starting with `@`, wherever the track; `@T` headers give title and credits, `@L`
  the language. A syllable starting with `\\` opens a paragraph, `/` a line.
* Other files use FF05 lyric events; there a CR or LF inside a syllable breaks the line.
* Text is UTF-8 when it decodes as such (modern editors), CP1252 otherwise (old files).
* The melody is the track the syllables sit on if it has notes, otherwise the track whose
  note starts meet the most syllables (the sung line), never the drum channel.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ktvdesk.lyrics.common import finish_lines
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord
from ktvdesk.lyrics.smf import (
    META_LYRIC,
    META_TEXT,
    META_TRACK_NAME,
    MetaEvent,
    MidiData,
    NoteEvent,
    TempoMap,
    read_midi,
)
from ktvdesk.singing.melody import Melody, MelodySource, Note

DRUM_CHANNEL = 9
# A syllable and a note start "together" within this (tick rounding in editors).
_ONSET_TOLERANCE_MS = 60
# The last syllable of a line lasts until the next one, but never longer than this.
_MAX_LAST_SYLLABLE_MS = 2000
_LINE_MARKS = "/\\"


@dataclass(frozen=True, slots=True)
class Syllable:
    start_ms: int
    text: str  # marks removed
    new_line: bool  # a line starts here
    new_paragraph: bool
    track: int


@dataclass(frozen=True, slots=True)
class KaraokeMidi:
    syllables: list[Syllable]
    soft_karaoke: bool
    headers: list[str]
    duration_ms: int
    melody: Melody | None


def decode_midi_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_karaoke(data: bytes) -> KaraokeMidi:
    midi = read_midi(data)
    tempo = TempoMap(midi)
    texts = [m for m in midi.metas if m.kind == META_TEXT]
    soft = any(m.data.startswith(b"@KMIDI") for m in texts)
    if soft:
        events = [m for m in texts if not m.data.startswith(b"@")]
    else:
        events = [m for m in midi.metas if m.kind == META_LYRIC]
        if not events:
            # Some old .kar files skip the @KMIDI header but still sing from text events.
            events = [m for m in texts if not m.data.startswith(b"@") and m.tick > 0]
    events.sort(key=lambda m: m.tick)  # stable: same-tick events keep track and file order
    syllables = _syllables(events, tempo, soft)
    headers = [decode_midi_text(m.data) for m in texts if m.data.startswith(b"@")]
    end_tick = max(midi.end_ticks, default=0)
    melody = _melody(midi, tempo, syllables)
    return KaraokeMidi(syllables, soft, headers, tempo.ms(end_tick), melody)


def _syllables(events: list[MetaEvent], tempo: TempoMap, soft: bool) -> list[Syllable]:
    out: list[Syllable] = []
    break_next = True
    for event in events:
        text = decode_midi_text(event.data)
        new_line, new_paragraph = break_next, break_next
        break_next = False
        while text and text[0] in _LINE_MARKS:
            new_line = True
            new_paragraph = new_paragraph or text[0] == "\\"
            text = text[1:]
        if not soft:
            # General MIDI lyrics: LF opens a paragraph, CR a line, at either end.
            stripped = text.lstrip("\r\n")
            if stripped != text:
                new_line, new_paragraph = True, new_paragraph or "\n" in text[: len(text) - len(stripped)]
            text = stripped
            trimmed = text.rstrip("\r\n")
            if trimmed != text:
                break_next = True
            text = trimmed
        text = text.replace("\r", "").replace("\n", " ")
        if not text:
            break_next = break_next or new_line
            continue
        out.append(Syllable(tempo.ms(event.tick), text, new_line, new_paragraph, event.track))
    return out


def _melody(midi: MidiData, tempo: TempoMap, syllables: list[Syllable]) -> Melody | None:
    by_track: dict[int, list[NoteEvent]] = {}
    for event in midi.notes:
        if event.channel != DRUM_CHANNEL:
            by_track.setdefault(event.track, []).append(event)
    if not by_track:
        return None
    lyric_tracks = {s.track for s in syllables}
    candidates = [t for t in lyric_tracks if t in by_track]
    if len(candidates) == 1:
        track = candidates[0]
    else:
        starts = sorted(s.start_ms for s in syllables)
        track = max(by_track, key=lambda t: (_agreement(by_track[t], tempo, starts), -t))
    notes = _paired_notes(by_track[track], tempo)
    if not notes:
        return None
    return Melody(tuple(_attach_text(notes, syllables)), MelodySource.MIDI)


def _agreement(events: list[NoteEvent], tempo: TempoMap, syllable_starts: list[int]) -> float:
    """How well a track's note starts and the syllables coincide (F1 of both matchings).

    Recall alone would pick an accompaniment that plays on every beat; precision alone a
    track with three notes that happen to fall on syllables.
    """
    onsets = sorted(tempo.ms(e.tick) for e in events if e.velocity)
    if not onsets or not syllable_starts:
        return 0.0
    precision = _matched(onsets, syllable_starts) / len(onsets)
    recall = _matched(syllable_starts, onsets) / len(syllable_starts)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _matched(times: list[int], targets: list[int]) -> int:
    hits = 0
    for at in times:
        i = bisect.bisect_left(targets, at - _ONSET_TOLERANCE_MS)
        if i < len(targets) and targets[i] <= at + _ONSET_TOLERANCE_MS:
            hits += 1
    return hits


def _paired_notes(events: list[NoteEvent], tempo: TempoMap) -> list[Note]:
    """Note-on/off pairs made monophonic: a new note cuts the one still sounding."""
    open_notes: dict[tuple[int, int], int] = {}
    spans: list[tuple[int, int, int]] = []
    for event in events:
        sounding = (event.channel, event.key)
        started = open_notes.pop(sounding, None)
        if started is not None:
            spans.append((started, event.tick, event.key))
        if event.velocity:
            open_notes[sounding] = event.tick
    spans.sort()
    notes: list[Note] = []
    for i, (start_tick, end_tick, key) in enumerate(spans):
        start, end = tempo.ms(start_tick), tempo.ms(end_tick)
        if i + 1 < len(spans):
            end = min(end, tempo.ms(spans[i + 1][0]))
        # A chord on the melody track cuts all but its highest note to nothing.
        if end > start:
            notes.append(Note(start, end, float(key)))
    return notes


def _attach_text(notes: list[Note], syllables: list[Syllable]) -> list[Note]:
    """Each note gets the syllable starting with it and the index of its lyric line."""
    line_starts: list[int] = []
    for s in syllables:
        if s.new_line or not line_starts:
            line_starts.append(s.start_ms)
    by_start = {s.start_ms: s.text for s in reversed(syllables)}
    starts = sorted(by_start)
    out: list[Note] = []
    for note in notes:
        i = bisect.bisect_left(starts, note.start_ms - _ONSET_TOLERANCE_MS)
        text = ""
        if i < len(starts) and starts[i] <= note.start_ms + _ONSET_TOLERANCE_MS:
            text = by_start[starts[i]]
        line = max(0, bisect.bisect_right(line_starts, note.start_ms) - 1)
        out.append(Note(note.start_ms, note.end_ms, note.pitch, note.kind, line, 1, text))
    return out


def parse_midi(data: bytes) -> Lyrics:
    song = read_karaoke(data)
    lines = _lines(song.syllables, song.duration_ms)
    meta = _meta(song.headers)
    meta["duration_ms"] = str(song.duration_ms)
    return Lyrics(lines=finish_lines(lines, 0), meta=meta, format="midi", melody=song.melody)


def _lines(syllables: list[Syllable], duration_ms: int) -> list[LyricLine]:
    groups: list[list[Syllable]] = []
    for s in syllables:
        if s.new_line or not groups:
            groups.append([])
        groups[-1].append(s)
    lines: list[LyricLine] = []
    for k, group in enumerate(groups):
        next_line_ms = groups[k + 1][0].start_ms if k + 1 < len(groups) else duration_ms
        words: list[LyricWord] = []
        for i, s in enumerate(group):
            if i + 1 < len(group):
                end = group[i + 1].start_ms
            else:
                end = min(max(next_line_ms, s.start_ms), s.start_ms + _MAX_LAST_SYLLABLE_MS)
            words.append(LyricWord(s.start_ms, max(end, s.start_ms), s.text))
        text = "".join(w.text for w in words).strip()
        lines.append(LyricLine(words[0].start_ms, words[-1].end_ms, text, words=words))
    return lines


def _meta(headers: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    titles: list[str] = []
    for header in headers:
        key, value = header[1:2], header[2:].strip()
        if key == "T" and value:
            titles.append(value)
        elif key == "L" and value:
            meta["language"] = value
        elif key == "I" and value:
            meta["info"] = f"{meta['info']} / {value}" if "info" in meta else value
    if titles:
        meta["title"] = titles[0]
        if len(titles) > 1:
            meta["credits"] = " / ".join(titles[1:])
    return meta


def track_names(data: bytes) -> list[str]:
    midi = read_midi(data)
    names = [""] * midi.track_count
    for meta in midi.metas:
        if meta.kind == META_TRACK_NAME and meta.track < len(names) and not names[meta.track]:
            names[meta.track] = decode_midi_text(meta.data)
    return names
