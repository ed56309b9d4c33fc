"""Which format a lyric file is in, from its bytes; and the one entry point that parses."""

from __future__ import annotations

import binascii
import logging
import re
import zlib
from collections.abc import Callable

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics.ass import looks_like_ass, parse_ass_text
from ktvdesk.lyrics.cdg import GRAPHICS_ONLY, is_cdg
from ktvdesk.lyrics.decoding import decode_text
from ktvdesk.lyrics.errors import BAD_FORMAT_NAME, ENCRYPTED_QRC, NO_LINES, UNRECOGNISED, lyrics_error
from ktvdesk.lyrics.krc import KRC_MAGIC, decrypt_krc, parse_krc_text
from ktvdesk.lyrics.lrc import parse_lrc_text
from ktvdesk.lyrics.midi import parse_midi
from ktvdesk.lyrics.model import Lyrics
from ktvdesk.lyrics.qrc import parse_qrc_text
from ktvdesk.lyrics.smf import is_midi
from ktvdesk.lyrics.ultrastar import looks_like_ultrastar, parse_ultrastar
from ktvdesk.lyrics.vtt import parse_vtt_text

logger = logging.getLogger(__name__)

FORMATS = ("lrc", "krc", "qrc", "vtt", "ultrastar", "ass", "midi")
_ALIASES = {
    "webvtt": "vtt",
    "elrc": "lrc",
    "enhanced-lrc": "lrc",
    "txt": "ultrastar",
    "usdx": "ultrastar",
    "ssa": "ass",
    "kar": "midi",
    "mid": "midi",
}

_BASE64_RE = re.compile(rb"[A-Za-z0-9+/_-]+={0,2}")

# The first timed line decides between KRC/QRC `[start,dur]` and LRC `[mm:ss]`, so
# sniffing stops early instead of scanning a whole file for each candidate.
_FIRST_TIMED_RE = re.compile(r"^[ \t\ufeff]*\[\s*(?:(\d{1,10},\d{1,10}\])|\d{1,6}:\d{1,2})", re.M)
_KRC_WORD_RE = re.compile(r"<\d{1,10},\d{1,10},-?\d{1,10}>")
_QRC_WORD_RE = re.compile(r"\(\d{1,10},\d{1,10}\)")
_LRC_TAG_RE = re.compile(r"\[\s*\d{1,6}:\d{1,2}")
# How far past the first `[start,dur]` line to look for word tags.
_WORD_SNIFF_CHARS = 4096
_VTT_TIMING_RE = re.compile(r"\d:\d{1,2}[.,]\d{1,3}\s*-->")

_PARSERS: dict[str, Callable[[str], Lyrics]] = {
    "lrc": parse_lrc_text,
    "krc": parse_krc_text,
    "qrc": parse_qrc_text,
    "vtt": parse_vtt_text,
    "ass": parse_ass_text,
}
# Formats read from the bytes: binary MIDI, and UltraStar with its own CP1252 fallback.
_BYTE_PARSERS: dict[str, Callable[[bytes], Lyrics]] = {"midi": parse_midi, "ultrastar": parse_ultrastar}


def parse_lyrics(data: bytes, fmt: str = "auto") -> Lyrics:
    """Parse lyric bytes of any supported format and encoding.

    Raises LyricsError (with a zh + en user message) and nothing else.
    """
    name = _ALIASES.get(fmt.lower(), fmt.lower())
    if name != "auto" and name not in _PARSERS and name not in _BYTE_PARSERS:
        raise lyrics_error(f"unknown lyrics format {fmt!r}", BAD_FORMAT_NAME)
    try:
        lyrics = _parse(bytes(data), name)
    except LyricsError:
        raise
    except (ValueError, IndexError, KeyError, TypeError, OverflowError, RecursionError, zlib.error) as exc:
        # A parser bug must not take the player down on a bad file; log it loudly.
        logger.warning("lyrics parser failed unexpectedly: %r", exc)
        raise lyrics_error(f"lyrics could not be parsed: {exc}") from exc
    if not lyrics.lines:
        raise lyrics_error(f"no timed lines found in {lyrics.format.upper()} lyrics", NO_LINES)
    return lyrics


def _parse(data: bytes, name: str) -> Lyrics:
    if name in _BYTE_PARSERS:
        return _BYTE_PARSERS[name](data)
    if is_midi(data):
        if name != "auto":
            raise lyrics_error(f"MIDI file given as {name}", UNRECOGNISED)
        return parse_midi(data)
    if data.startswith(KRC_MAGIC):
        if name not in ("auto", "krc"):
            raise lyrics_error(f"KRC container given as {name}", UNRECOGNISED)
        return parse_krc_text(decode_text(decrypt_krc(data)))
    unwrapped = _unbase64(data)
    # Base64 is unwrapped when it holds lyrics (or the caller says it does).
    if unwrapped is not None and (
        unwrapped.startswith(KRC_MAGIC) or name != "auto" or sniff_text(decode_text(unwrapped))
    ):
        return _parse(unwrapped, name)
    text = decode_text(data)
    if name == "auto":
        detected = sniff_text(text)
        if detected is None:
            if is_cdg(data):
                raise lyrics_error("CD+G graphics: the lyrics are pictures, with no text", GRAPHICS_ONLY)
            raise lyrics_error("the lyrics format is not recognised", UNRECOGNISED)
        name = detected
        if name in _BYTE_PARSERS:
            return _BYTE_PARSERS[name](data)
    if name == "qrc" and "<QrcInfos" not in text and "[" not in text and text.strip():
        raise lyrics_error("encrypted or unknown QRC content", ENCRYPTED_QRC)
    return _PARSERS[name](text)


def _unbase64(data: bytes) -> bytes | None:
    """The decoded bytes if `data` is nothing but base64 (as APIs deliver KRC)."""
    compact = data.translate(None, b" \t\r\n")
    if len(compact) < 8 or _BASE64_RE.fullmatch(compact) is None:
        return None
    if b"-" in compact or b"_" in compact:
        compact = compact.replace(b"-", b"+").replace(b"_", b"/")
    try:
        return binascii.a2b_base64(compact + b"=" * (-len(compact) % 4))
    except binascii.Error:
        return None


def sniff_text(text: str) -> str | None:
    """The format of decoded lyric text, or None."""
    if looks_like_ultrastar(text):
        return "ultrastar"
    if looks_like_ass(text):
        return "ass"
    if text[:256].lstrip().startswith("WEBVTT"):
        return "vtt"
    if "<QrcInfos" in text or "LyricContent=" in text:
        return "qrc"
    first = _FIRST_TIMED_RE.search(text)
    if first is not None:
        if first.group(1) is None:
            return "lrc"
        window = text[first.start() : first.start() + _WORD_SNIFF_CHARS]
        if _KRC_WORD_RE.search(window):
            return "krc"
        if _QRC_WORD_RE.search(window):
            return "qrc"
        return "krc"
    if _LRC_TAG_RE.search(text):
        return "lrc"
    if _VTT_TIMING_RE.search(text):
        return "vtt"
    return None
