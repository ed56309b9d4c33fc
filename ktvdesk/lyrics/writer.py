"""LRC and enhanced-LRC output, written so that parsing it gives the same model back.

Times are written as `mm:ss.xxx` (exact ms), the offset is already applied so no
`[offset:]` is written, a translation follows its line with the same time, and an
empty timed line marks a line end that the next line's start would not imply.
Romanization has no LRC form and is not written.

UltraStar output needs notes (an UltraStar or MIDI/KAR source): a song read from
UltraStar keeps its BPM and GAP, so its beats come back unchanged; other melodies are
written at BPM 1500, where a beat is 10 ms.
"""

from __future__ import annotations

from itertools import groupby

from ktvdesk.errors import UserMessage
from ktvdesk.lyrics.common import META_NAMES
from ktvdesk.lyrics.errors import lyrics_error
from ktvdesk.lyrics.lrc_tags import format_tag
from ktvdesk.lyrics.model import LyricLine, Lyrics
from ktvdesk.lyrics.ultrastar import KIND_CHARS, MIDI_C4
from ktvdesk.singing.melody import Note

# Header tags that describe the source file rather than the song.
_SKIPPED_META = frozenset({"offset", "language", "hash", "sign", "total", "id", "qq"})
_LRC_TAGS = {name: tag for tag, name in META_NAMES.items()}
# Formats whose headers are no LRC tags (file names, BPM, encodings): only these go over.
_FOREIGN_FORMATS = frozenset({"ultrastar", "ass", "midi"})
_PORTABLE_META = ("title", "artist", "album", "language")
# UltraStar headers that describe the song and its files, written back as they came.
_ULTRASTAR_HEADERS = (
    "language", "genre", "year", "edition", "creator", "mp3", "audio", "vocals", "instrumental",
    "cover", "background", "video", "videogap", "start", "end", "medleystartbeat", "medleyendbeat",
    "p1", "p2",
)  # fmt: skip
_DEFAULT_BPM = 1500.0  # 10 ms beats for melodies that have no BPM of their own
NO_NOTES = UserMessage(
    "这首歌没有音符，不能写成 UltraStar。", "These lyrics have no notes to write as UltraStar."
)


def write_lrc(lyrics: Lyrics, enhanced: bool) -> str:
    out: list[str] = []
    meta = lyrics.meta
    if lyrics.format in _FOREIGN_FORMATS:
        meta = {key: meta[key] for key in _PORTABLE_META if meta.get(key)}
    for key, value in meta.items():
        if key in _SKIPPED_META or not key or not key[0].isalpha():
            continue
        out.append(f"[{_LRC_TAGS.get(key, key)}:{_one_line(value).strip()}]")
    lines = lyrics.lines
    count = len(lines)
    for i, line in enumerate(lines):
        tag = format_tag(line.start_ms)
        word_timed = enhanced and not _spans_line(line)
        if word_timed:
            out.append(f"[{tag}]{_word_text(line)}")
        else:
            out.append(f"[{tag}]{_one_line(line.text)}")
        if line.translation:
            out.append(f"[{tag}]{_one_line(line.translation)}")
        next_start = lines[i + 1].start_ms if i + 1 < count else None
        implied_end = line.words[-1].end_ms if word_timed else next_start
        if line.end_ms != implied_end and (next_start is None or line.end_ms <= next_start):
            out.append(f"[{format_tag(line.end_ms)}]")
    return "\n".join(out) + "\n"


def _spans_line(line: LyricLine) -> bool:
    words = line.words
    if not words:
        return True
    if len(words) > 1:
        return False
    word = words[0]
    # A zero-length line needs its word tags: a plain line's end is never its start.
    return (
        line.end_ms > line.start_ms
        and word.start_ms == line.start_ms
        and word.end_ms == line.end_ms
        and word.text == line.text
    )


def _word_text(line: LyricLine) -> str:
    parts: list[str] = []
    words = line.words
    last = len(words) - 1
    for k, word in enumerate(words):
        parts.append(f"<{format_tag(word.start_ms)}>{_one_line(word.text)}")
        # An explicit end tag where the next word does not start right away; the last
        # word always gets one (the A2 trailing tag).
        if k == last or words[k + 1].start_ms > word.end_ms:
            parts.append(f"<{format_tag(word.end_ms)}>")
    return "".join(parts)


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def write_ultrastar(lyrics: Lyrics) -> str:
    melody = lyrics.melody
    if melody is None or not melody.notes:
        raise lyrics_error("no notes to write as UltraStar", NO_NOTES)
    meta = lyrics.meta
    # One BPM cannot say the beats of a file with `B` tempo changes: those get 10 ms beats.
    from_ultrastar = lyrics.format == "ultrastar" and "bpm" in meta and "bpmchanges" not in meta
    if from_ultrastar:
        bpm = float(meta["bpm"].replace(",", "."))
        gap = float(meta.get("gap", "0").replace(",", ".") or 0)
    else:
        bpm, gap = _DEFAULT_BPM, float(melody.notes[0].start_ms)
    per_ms = bpm * 4.0 / 60000.0

    def beat(ms: int) -> int:
        return round((ms - gap) * per_ms)

    out = [f"#TITLE:{_one_line(meta.get('title', ''))}", f"#ARTIST:{_one_line(meta.get('artist', ''))}"]
    if from_ultrastar:
        out += [f"#{key.upper()}:{_one_line(meta[key])}" for key in _ULTRASTAR_HEADERS if meta.get(key)]
    out += [f"#BPM:{bpm:g}", f"#GAP:{gap:g}"]
    players = melody.players
    for player in players:
        if len(players) > 1:
            out.append(f"P{player}")
        previous_end: int | None = None
        for _, line_notes in groupby(melody.for_player(player).notes, key=_note_line):
            notes = list(line_notes)
            first = beat(notes[0].start_ms)
            if previous_end is not None:
                out.append(f"- {min(previous_end, first)}")
            for note in notes:
                start = beat(note.start_ms)
                length = max(0, beat(note.end_ms) - start)
                pitch = round(note.pitch) - MIDI_C4
                # A MIDI note with no syllable of its own continues the last one: UltraStar's `~`.
                text = note.text if note.text or from_ultrastar else "~"
                out.append(f"{KIND_CHARS[note.kind]} {start} {length} {pitch} {_one_line(text)}")
            previous_end = beat(notes[-1].end_ms)
    out.append("E")
    return "\n".join(out) + "\n"


def _note_line(note: Note) -> int:
    return note.line
