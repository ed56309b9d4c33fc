"""Ranked free-text search over the index: exact > prefix > initials > substring.

Tiers run best first and stop as soon as enough songs are collected, so a one-letter
query that fills the page from title prefixes never pays for a substring pass. Inside a
tier songs are ordered by play count, then title (pinyin order for Chinese).
"Substring" covers the folded text and the pinyin from any syllable on. A query of
several words also matches when every word is in the text or starts the pinyin or
initials of the title, an alias or a singer ("zhou 晴天", "zjl 晴天"), ranked with the
substring tier; its rarest word drives the lookup and the others are tested on the
candidates.

Each tier picks one of two plans, after counting its matches up to a bound:
- few matches: collect them from the index and sort them (through the narrow
  `songs_order` index, never the wide song rows);
- many matches (one letter, a common character): walk the songs in rank order
  (`songs_rank`) and keep the first that match, which stops after a page.
Either plan costs milliseconds at 100,000 songs; sorting 20,000 matches would not.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ktvdesk.catalog.local.textfold import compact, fold

Params = dict[str, str]

# Above this many matches the rank-order walk beats collecting and sorting.
MANY_MATCHES = 1500
# Upper bound for "starts with": no key contains U+10FFFF.
_END = "\U0010ffff"


@dataclass(frozen=True, slots=True)
class Match:
    """One condition on a song, as a set (`ids`: a subquery) and as a row test (`test`)."""

    ids: str
    test: str


def _keys_match(condition: str) -> Match:
    return Match(
        ids=f"SELECT song_id FROM keys WHERE {condition}",
        test=f"EXISTS (SELECT 1 FROM keys WHERE keys.song_id = songs.id AND {condition})",
    )


_EXACT = _keys_match("key = :q AND kind IN (0, 1)")
_PREFIX = _keys_match("key > :q AND key < :q || :end AND kind IN (0, 1)")
_INITIALS_EXACT = _keys_match("key = :q AND kind = 2")
_INITIALS_PREFIX = _keys_match("key > :q AND key < :q || :end AND kind = 2")


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def substring_match(term: str, name: str, *, inside: bool = True) -> tuple[Match, Params]:
    """Songs whose folded text contains `term`, or whose pinyin has it from a syllable on
    (`inside`); or else whose title, alias or singer pinyin or initials start with it."""
    table = "fts_tri" if len(term) >= 3 else "fts_short"  # trigram needs three characters
    text_ids = f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}"
    params = {name: _fts_phrase(term), f"{name}k": term}
    # Words after the first of several are tested on the covering index's own columns:
    # no subquery per candidate row.
    text_test = f"instr(songs.haystack, :{name}k) > 0"
    if not term.isascii():
        return Match(text_ids, f"songs.id IN ({text_ids})" if inside else text_test), params
    if inside:
        pinyin = _keys_match(f"key >= :{name}k AND key < :{name}k || :end AND kind IN (1, 3)")
        test = f"(songs.id IN ({text_ids}) OR {pinyin.test})"
    else:
        pinyin = _keys_match(f"key >= :{name}k AND key < :{name}k || :end AND kind IN (1, 2)")
        test = f"({text_test} OR instr(songs.name_keys, ' ' || :{name}k) > 0)"
    # UNION ALL streams (a bounded count stops early); `IN (…)` removes the duplicates.
    return Match(f"{text_ids} UNION ALL {pinyin.ids}", test), params


def _selectivity(term: str) -> tuple[int, int]:
    """Most selective first: Chinese words, then long words, then one or two letters."""
    return (0 if not term.isascii() else 1 if len(term) >= 4 else 2, -len(term))


def ranked_ids(
    conn: sqlite3.Connection, query: str, wanted: int, *, with_lyrics: bool = False, substring: bool = True
) -> list[int]:
    """Ids of the best `wanted` songs; `substring=False` keeps completions only (suggest)."""
    key = compact(query)
    if not key or wanted <= 0:
        return []
    params: Params = {"q": key, "end": _END}
    tiers: list[list[Match]] = [[_EXACT], [_PREFIX], [_INITIALS_EXACT], [_INITIALS_PREFIX]]
    if substring:
        match, extra = substring_match(key, "s")
        tiers.append([match])
        params.update(extra)
        terms = sorted(
            dict.fromkeys(t for t in (compact(w) for w in fold(query).split()) if t), key=_selectivity
        )
        if len(terms) > 1:
            every: list[Match] = []
            for number, term in enumerate(terms):
                # Each word of several is a substring or starts a name's pinyin or initials
                # ("zhou 晴天", "zjl 晴天"):
                # pinyin syllables inside names ("yu" in every 雨, 鱼, 语…) would match
                # a quarter of the library and make the conjunction slow and noisy.
                match, extra = substring_match(term, f"t{number}", inside=False)
                every.append(match)
                params.update(extra)
            tiers.append(every)
    condition = " AND songs.lyrics_path IS NOT NULL" if with_lyrics else ""
    found: list[int] = []
    taken: set[int] = set()
    for tier in tiers:
        need = wanted - len(found)
        if need <= 0:
            break
        # Over-fetch by what is already taken: those rows may come back and get dropped.
        for song_id in _tier_ids(conn, tier, params, need + len(taken), condition):
            if song_id not in taken:
                taken.add(song_id)
                found.append(song_id)
                if len(found) >= wanted:
                    break
    return found


def _tier_ids(
    conn: sqlite3.Connection, tier: list[Match], params: Params, limit: int, condition: str
) -> list[int]:
    # The rarest condition drives the plan ("feng dj" is driven by "dj"). Several words
    # rarely match together even when each is common, so their walk threshold is higher.
    # Conditions come most selective first; each later count stops at the smallest so far.
    bound = MANY_MATCHES if len(tier) == 1 else MANY_MATCHES * 10
    counts: list[int] = []
    for match in tier:
        smallest = min(counts, default=bound)
        counts.append(
            conn.execute(f"SELECT count(*) FROM ({match.ids} LIMIT {smallest + 1})", params).fetchone()[0]
        )
    driver = min(range(len(tier)), key=counts.__getitem__)
    if counts[driver] == 0:
        return []
    # The other words are tested on each candidate (cheap: columns of the covering index).
    filters = "".join(f" AND {match.test}" for i, match in enumerate(tier) if i != driver) + condition
    if counts[driver] <= bound:
        sql = f"SELECT id FROM songs INDEXED BY songs_order WHERE id IN ({tier[driver].ids}){filters}"
    else:
        sql = f"SELECT id FROM songs INDEXED BY songs_rank WHERE {tier[driver].test}{filters}"
    rows = conn.execute(f"{sql} ORDER BY play_count DESC, sort_key, id LIMIT {limit}", params).fetchall()
    return [int(row[0]) for row in rows]
