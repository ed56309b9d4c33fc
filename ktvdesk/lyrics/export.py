"""The JSON shape of `ktvdesk lyrics parse --json` (a stable contract, see ARCHITECTURE)."""

from __future__ import annotations

from typing import Any

from ktvdesk.lyrics.model import Lyrics


def to_json_dict(lyrics: Lyrics, fmt: str | None = None) -> dict[str, Any]:
    return {
        "format": fmt or lyrics.format,
        "meta": dict(lyrics.meta),
        "offset_ms": lyrics.offset_ms,
        "lines": [
            {
                "start_ms": line.start_ms,
                "end_ms": line.end_ms,
                "text": line.text,
                "translation": line.translation,
                "romanization": line.romanization,
                "words": [
                    {"start_ms": word.start_ms, "end_ms": word.end_ms, "text": word.text}
                    for word in line.words
                ],
            }
            for line in lyrics.lines
        ],
    }
