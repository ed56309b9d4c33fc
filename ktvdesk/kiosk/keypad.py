"""What the kiosk's letter keypad matches: a song's names, never its other text.

A keypad query is the start of a title or singer, of their full pinyin, of their initials
(首字母), or of their pinyin from a later syllable on. Catalog searches also match any
substring of any text, album included, which on a keypad is noise: "SK" found every demo
song through the album "ktvdesk". Results are filtered through `keypad_matches`.
"""

from __future__ import annotations

from ktvdesk.catalog.local.pinyin_keys import pinyin_keys
from ktvdesk.catalog.local.textfold import compact_folded, fold
from ktvdesk.models import Song


def keypad_matches(song: Song, query: str) -> bool:
    wanted = compact_folded(fold(query))
    if not wanted:
        return True
    for name in (song.title, *song.singers):
        folded = fold(name)
        readings = pinyin_keys(folded)
        words = (compact_folded(word) for word in folded.split())
        keys = (compact_folded(folded), *words, *readings.full, *readings.initials, *readings.inside)
        if any(key.startswith(wanted) for key in keys):
            return True
    return False
