"""Lyrics engine: LRC (+ enhanced), KRC, QRC and WebVTT bytes into one word-timed model.

No Qt here: the lyric view, providers and the CLI all build on this package.

Names are imported on first use (PEP 562): the model is what the app's first frame needs,
the parsers of every format (and their tables) wait for the first lyrics (issue 15).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ktvdesk.lyrics.detect import FORMATS, parse_lyrics, sniff_text
    from ktvdesk.lyrics.export import to_json_dict
    from ktvdesk.lyrics.index import LyricsIndex, LyricsPosition
    from ktvdesk.lyrics.krc import decrypt_krc, encode_krc
    from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord
    from ktvdesk.lyrics.writer import write_lrc, write_ultrastar

_HOMES = {
    "FORMATS": "detect",
    "parse_lyrics": "detect",
    "sniff_text": "detect",
    "to_json_dict": "export",
    "LyricsIndex": "index",
    "LyricsPosition": "index",
    "decrypt_krc": "krc",
    "encode_krc": "krc",
    "LyricLine": "model",
    "Lyrics": "model",
    "LyricWord": "model",
    "write_lrc": "writer",
    "write_ultrastar": "writer",
}

__all__ = [
    "FORMATS",
    "LyricLine",
    "LyricWord",
    "Lyrics",
    "LyricsIndex",
    "LyricsPosition",
    "decrypt_krc",
    "encode_krc",
    "parse_lyrics",
    "sniff_text",
    "to_json_dict",
    "write_lrc",
    "write_ultrastar",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once: later look-ups are plain module attributes
    return value
