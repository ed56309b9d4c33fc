"""Titles and singers from file and folder names, in the usual KTV naming conventions.

- `歌手 - 歌名` (spaced dash: singer first, the common download convention)
- `歌名-歌手` and `歌名_歌手` (no spaces: title first, the usual KTV-box convention)
- numbered prefixes `01. `, `003 - `, `12_`, `7、` are dropped
- `X_伴奏`, `X-伴奏`, `X(伴奏)`, `X_karaoke`, `X (Instrumental)`, `X_off vocal` mark the
  accompaniment of `X`
Several singers are split on `/ & 、 ,` (and `feat.`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ktvdesk.catalog.local.textfold import is_cjk

_NUMBER_PREFIX = re.compile(r"^\s*\d{1,5}\s*(?:[.)、_]|-(?!\S*$)|\s)\s*")
_ACCOMPANIMENT = re.compile(
    r"[\s_\-.]*[(\[【]?\s*(?:伴奏|伴唱|纯伴奏|karaoke|instrumental|off\s*vocal)\s*[)\]】]?\s*$",
    re.IGNORECASE,
)
_SINGER_SPLIT = re.compile(r"\s*(?:/|&|、|,|;|\bfeat\.?\s|\bft\.\s)\s*", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*[(\[【]([^()\[\]【】]+)[)\]】]\s*")


@dataclass(frozen=True, slots=True)
class NameGuess:
    title: str
    singers: tuple[str, ...]


def normalise(text: str) -> str:
    """NFKC turns full-width brackets, dashes and commas into the ASCII forms the rules use."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def split_singers(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in _SINGER_SPLIT.split(normalise(text)):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


def accompaniment_base(stem: str) -> str | None:
    """`X_伴奏` → `X`; None when the name carries no accompaniment marker."""
    text = normalise(stem)
    match = _ACCOMPANIMENT.search(text)
    if match is None or match.start() == 0:
        return None
    return text[: match.start()].strip()


def strip_number(stem: str) -> str:
    stripped = _NUMBER_PREFIX.sub("", stem, count=1)
    return stripped if stripped.strip() else stem


def guess_from_name(stem: str, folder: str | None = None) -> NameGuess:
    """Title and singers from a file stem; `folder` is the parent folder's name, if useful."""
    text = strip_number(normalise(stem))
    if " - " in text:
        singer, _, title = text.partition(" - ")
        return NameGuess(title.strip() or text, split_singers(singer))
    for separator in ("-", "_"):
        if separator in text:
            title, _, singer = text.rpartition(separator)
            if title.strip() and singer.strip():
                return NameGuess(title.strip(), split_singers(singer))
    singers: tuple[str, ...] = ()
    if folder:
        folder_text = strip_number(normalise(folder))
        singers = split_singers(folder_text.partition(" - ")[0])
    return NameGuess(text, singers)


def title_aliases(title: str) -> tuple[str, ...]:
    """`茉莉花 (Jasmine Flower)` → (`茉莉花`, `Jasmine Flower`): each is searchable on its own."""
    text = normalise(title)
    inner = [part.strip() for part in _BRACKETED.findall(text) if part.strip()]
    if not inner:
        return ()
    base = _BRACKETED.sub(" ", text).strip()
    return tuple(part for part in (base, *inner) if part and part != text)


def title_length(title: str) -> int:
    """字数: Chinese characters count one each; otherwise words count (English titles)."""
    base = _BRACKETED.sub(" ", normalise(title)).strip() or normalise(title)
    cjk = sum(1 for ch in base if is_cjk(ch))
    if cjk:
        return cjk
    return len([word for word in re.split(r"[^\w']+", base) if word])


# Karaoke disc ids in MP3+G names: `SC8123-05`, `SF001-01`, `CB 30045-03`, `DK-0123-04`.
_DISC_ID = re.compile(r"^\s*([A-Za-z]{2,6}[\s-]?\d{2,6}(?:[-_ ]\d{1,3})?)\s+-\s+(.+?)\s+-\s+(.+?)\s*$")


def karaoke_disc_name(stem: str) -> tuple[str, NameGuess] | None:
    """`SC8123-05 - Artist - Title` → ("SC8123-05", Title by Artist); None without a disc id."""
    match = _DISC_ID.match(normalise(stem))
    if match is None:
        return None
    disc_id, artist, title = match.groups()
    return disc_id, NameGuess(title, split_singers(artist))
