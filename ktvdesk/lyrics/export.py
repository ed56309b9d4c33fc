"""The JSON shape of `ktvdesk lyrics parse --json` (a stable contract, see ARCHITECTURE).

Formats with singers (UltraStar duets) add `"player"` to their lines; formats with a
melody (UltraStar, MIDI/KAR) add `"notes"`, pitch as a MIDI note number.
"""

from __future__ import annotations

from typing import Any

from ktvdesk.lyrics.model import LyricLine, Lyrics
from ktvdesk.singing.melody import Melody


def to_json_dict(lyrics: Lyrics, fmt: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "format": fmt or lyrics.format,
        "meta": dict(lyrics.meta),
        "offset_ms": lyrics.offset_ms,
        "lines": [_line(line) for line in lyrics.lines],
    }
    if lyrics.melody is not None:
        out["notes"] = notes_json(lyrics.melody)
    return out


def _line(line: LyricLine) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start_ms": line.start_ms,
        "end_ms": line.end_ms,
        "text": line.text,
        "translation": line.translation,
        "romanization": line.romanization,
        "words": [
            {"start_ms": word.start_ms, "end_ms": word.end_ms, "text": word.text} for word in line.words
        ],
    }
    if line.player is not None:
        out["player"] = line.player
    return out


def notes_json(melody: Melody) -> list[dict[str, Any]]:
    return [
        {
            "start_ms": note.start_ms,
            "end_ms": note.end_ms,
            "pitch": int(note.pitch) if float(note.pitch).is_integer() else note.pitch,
            "kind": note.kind.value,
            "player": note.player,
            "text": note.text,
        }
        for note in melody.notes
    ]
