"""Lyrics engine: LRC (+ enhanced), KRC, QRC and WebVTT bytes into one word-timed model.

No Qt here: the lyric view, providers and the CLI all build on this package.
"""

from __future__ import annotations

from ktvdesk.lyrics.detect import FORMATS, parse_lyrics, sniff_text
from ktvdesk.lyrics.export import to_json_dict
from ktvdesk.lyrics.index import LyricsIndex, LyricsPosition
from ktvdesk.lyrics.krc import decrypt_krc, encode_krc
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord
from ktvdesk.lyrics.writer import write_lrc, write_ultrastar

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
