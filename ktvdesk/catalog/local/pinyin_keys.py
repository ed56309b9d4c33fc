"""Full pinyin and initials (首字母) of titles and singer names, polyphonic readings included.

The primary reading comes from a phrase-aware conversion over pypinyin's dictionaries
(重庆 → chongqing). On
top of that every polyphonic character contributes its other readings one at a time
(重庆 also gives zhongqing / zq), so a user who guesses the "wrong" reading still finds the
song. Combinations are capped: a title with many polyphonic characters would otherwise
explode. Readings per character are cached, since a catalog repeats the same few thousand
characters; phrase conversion is cached per distinct string (singers repeat a lot).

pypinyin's tables load at the first reading asked for, not at import: they are most of a
second of start-up, and only an index build or a keypad query needs them (a search of an
existing index does not).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

MAX_VARIANTS = 6
_MAX_PHRASE = 6  # longer dictionary phrases are idioms no title reading depends on


@dataclass(frozen=True, slots=True)
class PinyinKeys:
    full: tuple[str, ...]  # compact full pinyin, primary reading first
    initials: tuple[str, ...]  # first letters, primary first
    inside: tuple[str, ...] = ()  # primary pinyin from the 2nd, 3rd… syllable on: "lixiang", "xiang"


@functools.cache
def _pinyin_dict() -> dict[int, str]:
    from pypinyin.constants import PINYIN_DICT

    return PINYIN_DICT


@functools.cache
def _phrases_dict() -> dict[str, Any]:
    from pypinyin.constants import PHRASES_DICT

    return cast(dict[str, Any], PHRASES_DICT)


@functools.lru_cache(maxsize=4096)
def _strip_tone(reading: str) -> str:
    reading = (
        reading.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v")
    )
    decomposed = unicodedata.normalize("NFD", reading)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65536)
def char_readings(ch: str) -> tuple[str, ...]:
    raw = _pinyin_dict().get(ord(ch))
    if not raw:
        return ()
    seen: dict[str, None] = {}
    for reading in raw.split(","):
        seen.setdefault(_strip_tone(reading), None)
    return tuple(seen)


@functools.cache
def _phrase_starts() -> frozenset[str]:
    """First two characters of every dictionary phrase: most positions fail this one test."""
    return frozenset(phrase[:2] for phrase in _phrases_dict())


@functools.lru_cache(maxsize=65536)
def _cjk_run_readings(run: str) -> tuple[str, ...]:
    """Phrase-aware readings of a run of CJK characters, exactly one per character.

    Forward maximum matching over pypinyin's phrase dictionary (what its own segmenter
    does), with readings from the dictionaries directly: `lazy_pinyin` costs ~130 µs a
    title, this a few µs, and a 100,000-song build converts 200,000 strings.
    """
    starts, phrases = _phrase_starts(), _phrases_dict()
    readings: list[str] = []
    i, size = 0, len(run)
    while i < size:
        if run[i : i + 2] in starts:
            for length in range(min(_MAX_PHRASE, size - i), 1, -1):
                phrase = phrases.get(run[i : i + length])
                if phrase is not None and len(phrase) == length:
                    readings.extend(_strip_tone(options[0]) for options in phrase)
                    i += length
                    break
            else:
                readings.append((char_readings(run[i]) or (run[i],))[0])
                i += 1
        else:
            readings.append((char_readings(run[i]) or (run[i],))[0])
            i += 1
    return tuple(readings)


_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_RUNS = re.compile(f"([{_CJK_CLASS}]+)")
_WORD = f"[^\\W_{_CJK_CLASS}]+"
_LATIN_WORDS = re.compile(f"{_WORD}(?:'{_WORD})*")  # "don't" is one word: initials "dsm"


def _tokens(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Tokens (a reading per CJK character, a word per latin/digit run) and the CJK positions."""
    tokens: list[str] = []
    cjk: list[tuple[int, str]] = []
    for index, part in enumerate(_RUNS.split(text)):
        if index % 2:  # split() with a group alternates: other text, CJK run, other text…
            for ch, reading in zip(part, _cjk_run_readings(part), strict=True):
                cjk.append((len(tokens), ch))
                tokens.append(reading)
        elif part:
            tokens.extend(_words(part))
    return tokens, cjk


def _words(text: str) -> list[str]:
    """Latin/digit words of text that has no CJK character, lower-cased."""
    return [word.lower() for word in _LATIN_WORDS.findall(text)]


@functools.lru_cache(maxsize=131072)
def pinyin_keys(text: str) -> PinyinKeys:
    """Keys of already folded text; empty when the text has no Chinese character."""
    if _RUNS.search(text) is None:
        initials = "".join(word[0] for word in _words(text))
        return PinyinKeys((), (initials,) if len(initials) > 1 else ())
    primary, cjk_positions = _tokens(text)
    variants: list[list[str]] = [primary]
    for position, ch in cjk_positions:
        if len(variants) >= MAX_VARIANTS:
            break
        for reading in char_readings(ch):
            if reading != primary[position] and len(variants) < MAX_VARIANTS:
                alternative = list(primary)
                alternative[position] = reading
                variants.append(alternative)
    full = _unique("".join(tokens) for tokens in variants)
    initials_keys = _unique("".join(token[0] for token in tokens if token) for tokens in variants)
    inside = _unique("".join(primary[start:]) for start in range(1, len(primary)))
    return PinyinKeys(full, initials_keys, inside)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return tuple(seen)
