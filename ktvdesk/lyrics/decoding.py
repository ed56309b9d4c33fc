"""Bytes to text: BOMs, UTF-8, BOM-less UTF-16, and the GB18030 that old Chinese files use.

Decoding never fails: a file that is not valid in any candidate encoding is read as
GB18030 with replacement characters, because a few mojibake characters beat no lyrics.
"""

from __future__ import annotations

import codecs

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Sample size for the BOM-less UTF-16 guess; lyric files put ASCII time tags on every
# line, so their UTF-16 form has a zero in every other byte early on.
_SNIFF_BYTES = 512


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_SNIFF_BYTES]
    half = len(sample) // 2
    if half < 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    # UTF-8 and GB18030 text has no zero bytes; ASCII-heavy UTF-16 has them in one
    # byte column only. CJK-heavy lines dilute them, hence the low threshold.
    if (even_zeros + odd_zeros) * 8 < half:
        return None
    if odd_zeros > even_zeros * 4:
        return "utf-16-le"
    if even_zeros > odd_zeros * 4:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """Decode lyric bytes to text with the BOM removed."""
    text = _decode(data)
    # Files glued together keep their BOMs mid-text, where they would hide a line's tags.
    return text.replace("\ufeff", "") if "\ufeff" in text else text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return data[: len(data) & ~1].decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return data.decode("gb18030", errors="replace")


def split_lines(text: str) -> list[str]:
    """Split on CRLF, lone CR or LF, and nothing else.

    str.splitlines would also split on form feeds, U+2028 and friends, which some
    lyric files carry inside a line.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")
