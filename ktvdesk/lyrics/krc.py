"""KRC (Kugou, delivered by ZEGO): the `krc1` container and the text inside it.

Container: `krc1`, then every byte XORed with a 16-byte key (index from 0 after the
magic), then zlib. Text: `[start_ms,dur_ms]` lines with `<offset_ms,dur_ms,flag>word`
words whose times are relative to the line start; `[language:]` holds base64 JSON with
romanization (type 0, per word) and translation (type 1, per line), indexed by line.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from typing import Any

from ktvdesk.lyrics.common import finish_lines, offset_from_meta, parse_meta_line
from ktvdesk.lyrics.decoding import split_lines
from ktvdesk.lyrics.errors import CORRUPT, lyrics_error
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord

KRC_MAGIC = b"krc1"
_KEY = bytes((0x40, 0x47, 0x61, 0x77, 0x5E, 0x32, 0x74, 0x47, 0x51, 0x36, 0x31, 0x2D, 0xCE, 0xD2, 0x6E, 0x69))
# Lyrics are kilobytes; refuse to inflate a hostile stream into gigabytes.
MAX_DECODED_BYTES = 8 * 1024 * 1024

LINE_RE = re.compile(r"\[(\d{1,10}),(\d{1,10})\]")
_WORD_RE = re.compile(r"<(\d{1,10}),(\d{1,10}),-?\d{1,10}>")

_ROMANIZATION_TYPE = 0
_TRANSLATION_TYPE = 1


def _xor(data: bytes) -> bytes:
    # One big-integer XOR instead of a Python loop per byte: ~100x faster on real files.
    if not data:
        return b""
    reps, rest = divmod(len(data), len(_KEY))
    key = _KEY * reps + _KEY[:rest]
    return (int.from_bytes(data, "little") ^ int.from_bytes(key, "little")).to_bytes(len(data), "little")


def decrypt_krc(data: bytes) -> bytes:
    """The inflated KRC text bytes of a `krc1` file."""
    if not data.startswith(KRC_MAGIC):
        raise lyrics_error("not a krc1 container", CORRUPT)
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(_xor(data[len(KRC_MAGIC) :]), MAX_DECODED_BYTES)
    except zlib.error as exc:
        raise lyrics_error(f"KRC container does not inflate: {exc}", CORRUPT) from exc
    if inflater.unconsumed_tail:
        raise lyrics_error("KRC text is implausibly large", CORRUPT)
    if not inflater.eof:
        raise lyrics_error("KRC container is truncated", CORRUPT)
    return out


def encode_krc(text: str, *, bom: bool = True) -> bytes:
    """Build an encrypted `krc1` file from KRC text (UTF-8 with BOM, like Kugou's)."""
    raw = text.encode("utf-8")
    if bom and not text.startswith("\ufeff"):
        raw = b"\xef\xbb\xbf" + raw
    return KRC_MAGIC + _xor(zlib.compress(raw))


def parse_krc_text(text: str) -> Lyrics:
    meta: dict[str, str] = {}
    lines: list[LyricLine] = []
    line_match = LINE_RE.match
    for raw in split_lines(text):
        line = raw.strip()
        if not line:
            continue
        m = line_match(line)
        if m is None:
            if line[0] == "[":
                parse_meta_line(line, meta)
            continue
        start = int(m.group(1))
        end = start + int(m.group(2))
        body = line[m.end() :]
        # [head, offset, duration, text, offset, duration, text, …], scanned in C.
        parts = _WORD_RE.split(body) if "<" in body else None
        if parts is not None and len(parts) > 1:
            words = []
            head = parts[0]
            if head:
                # Text before the first word tag: sung from the line start.
                words.append(LyricWord(start, start + int(parts[1]), head))
            for k in range(1, len(parts), 3):
                w_start = start + int(parts[k])
                words.append(LyricWord(w_start, w_start + int(parts[k + 1]), parts[k + 2]))
            line_text = "".join(parts[::3]).strip()
        else:
            words = []
            line_text = body.strip()
        # Keep empty lines until the language arrays are attached: they index lines in
        # file order, empty ones included.
        lines.append(LyricLine(start, end, line_text, words))
    language = meta.get("language")
    if language:
        _attach_language(lines, language)
    lines = [sung for sung in lines if sung.text]
    for sung in lines:
        sung.words = [w for w in sung.words if w.text]
    offset_ms = offset_from_meta(meta)
    return Lyrics(lines=finish_lines(lines, offset_ms), meta=meta, offset_ms=offset_ms, format="krc")


def _attach_language(lines: list[LyricLine], blob: str) -> None:
    """Attach translations and romanization; a malformed blob is ignored, not fatal."""
    try:
        doc = json.loads(base64.b64decode(blob + "=" * (-len(blob) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return
    content = doc.get("content") if isinstance(doc, dict) else None
    if not isinstance(content, list):
        return
    for item in content:
        if not isinstance(item, dict):
            continue
        rows = item.get("lyricContent")
        if not isinstance(rows, list):
            continue
        kind = item.get("type")
        for line, row in zip(lines, rows, strict=False):
            parts = _strings(row)
            if not parts:
                continue
            if kind == _TRANSLATION_TYPE:
                line.translation = " ".join(p.strip() for p in parts if p.strip()) or None
            elif kind == _ROMANIZATION_TYPE:
                # Per word when the counts match; otherwise still useful per line.
                if len(parts) == len(line.words):
                    for word, part in zip(line.words, parts, strict=True):
                        word.romanization = part.strip() or None
                line.romanization = " ".join(p.strip() for p in parts if p.strip()) or None


def _strings(row: Any) -> list[str]:
    if isinstance(row, str):
        return [row]
    if isinstance(row, list):
        return [p for p in row if isinstance(p, str)]
    return []
