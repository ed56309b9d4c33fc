"""Folding that makes 繁體/简体, full/half width and upper/lower case compare equal.

Index and query go through the same `fold`, so the match rules live in one place. The
compact form drops spaces and punctuation: "Twinkle, Twinkle" and "twinkle twinkle" both
become "twinkletwinkle", and a KTV user never has to type punctuation.

OpenCC's converter is built at the first traditional text met, not at import: building
it is a third of a second of start-up.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import opencc


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.cache
def _traditional_chars() -> frozenset[str]:
    """Characters the t2s table changes: text without any of them skips OpenCC (40 µs a call)."""
    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars: set[str] = set()
    try:
        with table.open(encoding="utf-8") as handle:
            for line in handle:
                key = line.split("\t", 1)[0]
                if len(key) == 1:
                    chars.add(key)
    except OSError:
        return frozenset()
    return frozenset(chars)


def to_simplified(text: str) -> str:
    table = _traditional_chars()
    if table and table.isdisjoint(text):
        return text
    return str(_converter().convert(text))


@functools.lru_cache(maxsize=65536)  # singer names and title words repeat across a catalog
def fold(text: str) -> str:
    """NFKC (full width → half width), casefold, traditional → simplified, single spaces."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(to_simplified(normal).split())


def compact(text: str) -> str:
    """The folded text with only letters and digits: the form every match key uses."""
    return compact_folded(fold(text))


_NOT_WORD = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


def compact_folded(folded: str) -> str:
    return folded if folded.isalnum() else _NOT_WORD.sub("", folded)


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
    )


def short_grams(fields: list[str]) -> str:
    """Every character and adjacent pair of each compact field, space-separated: the
    tokens of the short-query index. Pairs never span two fields."""
    grams: dict[str, None] = {}
    for text in fields:
        grams.update(dict.fromkeys(text))
        grams.update(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))
    return " ".join(grams)
