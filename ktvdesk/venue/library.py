"""The venue's song catalog in PostgreSQL: scanned once for every room, searched by all.

The scan walks folders with the local library's own `Scanner` and folds titles with
its own keys (pinyin, initials, 繁简, width and case), so a room finds exactly what the
local library would find; only the storage differs. Ranking follows the local index:
exact > prefix > initials > substring, then the venue's request count, then title.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from ktvdesk.catalog.local.index import MediaRow
from ktvdesk.catalog.local.index import _search_data as search_keys
from ktvdesk.catalog.local.scanner import KnownFiles, Scanner, SongRecord, display_path
from ktvdesk.catalog.local.textfold import compact, short_grams
from ktvdesk.models import Channel, VocalLayout

log = logging.getLogger(__name__)

WRITE_BATCH = 2000
_END = "\U0010ffff"  # "starts with q" is the range [q, q + _END)
KIND_TEXT, KIND_PINYIN, KIND_INITIALS, KIND_PINYIN_INSIDE = 0, 1, 2, 3

Conn = psycopg.Connection[Any]

_SONG_COLUMNS = (
    "path, size, mtime_ns, signature, title, singers, album, genre, language, duration_ms, "
    "replaygain_db, container, layout, vocal_channel, original_track, accompaniment_track, "
    "accompaniment_path, lyrics_path, cover_path, folder, sort_key, haystack, grams, "
    "kind, lyrics_kind, extras"
)


@dataclass(frozen=True, slots=True)
class ScanSummary:
    added: int
    updated: int
    unchanged: int
    removed: int
    skipped: tuple[tuple[str, str], ...]  # (path, reason)


@dataclass(frozen=True, slots=True)
class VenueSong:
    id: int
    title: str
    singers: tuple[str, ...]
    album: str | None
    duration_ms: int | None
    has_lyrics: bool
    request_count: int


# -- scanning ---------------------------------------------------------------------------


def scan(conn: Conn, roots: Sequence[str | Path]) -> ScanSummary:
    """Index `roots` incrementally (size + mtime, as the local scanner); a missing or
    unreadable root keeps its songs and is reported, never wiped."""
    scan_id = conn.execute(
        "INSERT INTO scans (roots) VALUES (%s) RETURNING id", ([os.fspath(r) for r in roots],)
    ).fetchone()
    conn.commit()
    added = updated = unchanged = removed = 0
    skipped: list[tuple[str, str]] = []
    try:
        for root in roots:
            root_bytes = os.path.abspath(os.fsencode(root))
            if not os.path.isdir(root_bytes) or not os.access(root_bytes, os.R_OK | os.X_OK):
                reason = "folder not found" if not os.path.exists(root_bytes) else "folder not readable"
                skipped.append((display_path(root_bytes), reason))
                log.warning("venue scan: %s %s: keeping its songs", display_path(root_bytes), reason)
                continue
            known = _known_under(conn, root_bytes)
            tree = Scanner(root_bytes, known, {}).run()
            gone = [
                path
                for path in known
                if path not in tree.seen and not any(path.startswith(p) for p in tree.kept_prefixes)
            ]
            # Every kind is offered to the rooms (the karaoke kinds with their parts, see
            # venue/media.py); a song that cannot play is listed on the desk's report
            # with the scanner's reason instead.
            offered = [r for r in tree.changed if r.unplayable is None]
            skipped.extend((display_path(r.path), r.unplayable) for r in tree.changed if r.unplayable)
            gone += [r.path for r in tree.changed if r.path in known and r.unplayable]
            new, changed = write_records(conn, offered, removed=gone)
            added, updated, unchanged = added + new, updated + changed, unchanged + tree.unchanged
            removed += len(gone)
            skipped.extend((item.path, item.reason) for item in tree.skipped)
        _record_unplayable(conn, skipped)
    except Exception as exc:
        conn.rollback()
        conn.execute(
            "UPDATE scans SET finished_at = now(), error = %s WHERE id = %s",
            (str(exc)[:500], scan_id[0] if scan_id else None),
        )
        conn.commit()
        raise
    conn.execute(
        "UPDATE scans SET finished_at = now(), added = %s, updated = %s, unchanged = %s, removed = %s, "
        "skipped = %s WHERE id = %s",
        (added, updated, unchanged, removed, len(skipped), scan_id[0] if scan_id else None),
    )
    conn.commit()
    return ScanSummary(added, updated, unchanged, removed, tuple(skipped))


def _known_under(conn: Conn, root: bytes) -> KnownFiles:
    prefix = root.rstrip(b"/") + b"/"
    rows = conn.execute(
        "SELECT path, size, mtime_ns, signature FROM songs WHERE path >= %s AND path < %s",
        (prefix, prefix[:-1] + b"0"),  # b"0" is the byte after b"/"
    ).fetchall()
    return {bytes(row[0]): (int(row[1]), int(row[2]), str(row[3])) for row in rows}


def write_records(
    conn: Conn, records: Iterable[SongRecord], *, removed: Iterable[bytes] = ()
) -> tuple[int, int]:
    """Upsert records by path and delete removed paths, committing every `WRITE_BATCH`
    songs so that rooms searching meanwhile see the catalog fill up."""
    gone = list(removed)
    if gone:
        conn.execute("DELETE FROM songs WHERE path = ANY(%s)", (gone,))
        conn.commit()
    added = updated = 0
    for batch in _batches(records, WRITE_BATCH):
        new, changed = _write_batch(conn, batch)
        # A song mended since an earlier scan leaves the desk's unplayable report.
        conn.execute("DELETE FROM unplayable WHERE path = ANY(%s)", ([display_path(r.path) for r in batch],))
        added, updated = added + new, updated + changed
        conn.commit()
    return added, updated


def _batches(records: Iterable[SongRecord], size: int) -> Iterator[list[SongRecord]]:
    batch: list[SongRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(conn: Conn, records: list[SongRecord]) -> tuple[int, int]:
    paths = [record.path for record in records]
    existing = {
        bytes(row[0])
        for row in conn.execute("SELECT path FROM songs WHERE path = ANY(%s)", (paths,)).fetchall()
    }
    placeholders = ", ".join(["%s"] * len(_SONG_COLUMNS.split(", ")))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _SONG_COLUMNS.split(", ")[1:])
    keys_rows: list[tuple[str, int, int]] = []
    with conn.cursor() as cur:
        cur.executemany(
            f"INSERT INTO songs ({_SONG_COLUMNS}) VALUES ({placeholders}) "
            f"ON CONFLICT (path) DO UPDATE SET {updates} RETURNING id",
            [_song_values(record) for record in records],
            returning=True,
        )
        song_ids: list[int] = []
        while True:
            row = cur.fetchone()
            song_ids.append(int(row[0]))  # type: ignore[index]
            if not cur.nextset():
                break
        cur.execute("DELETE FROM song_keys WHERE song_id = ANY(%s)", (song_ids,))
        for song_id, record in zip(song_ids, records, strict=True):
            keys, _ = search_keys(record)
            keys_rows.extend((key, kind, song_id) for key, kind in keys)
        with cur.copy("COPY song_keys (key, kind, song_id) FROM STDIN") as copy:
            for item in set(keys_rows):
                copy.write_row(item)
        cur.execute("DELETE FROM song_grams WHERE song_id = ANY(%s)", (song_ids,))
        with cur.copy("COPY song_grams (gram, song_id, sort_key) FROM STDIN") as copy:
            for song_id, record in zip(song_ids, records, strict=True):
                sort_key = _sort_key(record)
                for gram in short_grams(search_keys(record)[1]).split():
                    copy.write_row((gram, song_id, sort_key))
        # A changed file keeps its song's requests: so do its new gram rows.
        cur.execute(
            "UPDATE song_grams SET request_count = songs.request_count FROM songs "
            "WHERE songs.id = song_grams.song_id AND songs.id = ANY(%s) AND songs.request_count > 0",
            (song_ids,),
        )
    changed = sum(1 for path in paths if path in existing)
    return len(records) - changed, changed


def _song_values(record: SongRecord) -> tuple[object, ...]:
    _, fields = search_keys(record)
    return (
        record.path,
        record.size,
        record.mtime_ns,
        record.signature,
        record.title,
        list(record.singers),
        record.album,
        record.genre,
        record.language,
        record.duration_ms,
        record.replaygain_db,
        record.container,
        record.layout.value,
        record.vocal_channel.value,
        record.original_track,
        record.accompaniment_track,
        record.accompaniment_path,
        record.lyrics_path,
        record.cover_path,
        record.folder,
        _sort_key(record),
        "|".join(fields),
        short_grams(fields).split(),
        record.kind,
        record.lyrics_kind,
        Jsonb(record.extras),
    )


def _sort_key(record: SongRecord) -> str:
    return compact(record.title) or record.title


def _record_unplayable(conn: Conn, skipped: list[tuple[str, str]]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO unplayable (path, reason) VALUES (%s, %s) "
            "ON CONFLICT (path) DO UPDATE SET reason = EXCLUDED.reason, seen_at = now()",
            skipped,
        )
    conn.commit()


# -- reading ----------------------------------------------------------------------------

_ORDER = "ORDER BY request_count DESC, sort_key, id"


# Above this many matches, walking the songs in rank order and testing each beats
# collecting the matches and sorting them (the local index makes the same choice).
MANY_MATCHES = 1500


@dataclass(frozen=True, slots=True)
class _Tier:
    ids: str  # the matching song ids, as a query
    test: str  # the same condition as a test on a `songs` row
    params: tuple[object, ...]
    ranked: str | None = None  # the matches already in rank order, when an index gives them


def _keys_tier(condition: str, params: tuple[object, ...]) -> _Tier:
    return _Tier(
        f"SELECT song_id FROM song_keys WHERE {condition}",
        f"EXISTS (SELECT 1 FROM song_keys WHERE song_keys.song_id = songs.id AND {condition})",
        params,
    )


def _tiers(key: str) -> list[_Tier]:
    prefix = (key, key + _END)
    tiers = [
        _keys_tier("key = %s AND kind IN (0, 1)", (key,)),
        _keys_tier("key > %s AND key < %s AND kind IN (0, 1)", prefix),
        _keys_tier("key = %s AND kind = 2", (key,)),
        _keys_tier("key > %s AND key < %s AND kind = 2", prefix),
    ]
    # Substrings. pg_trgm sees only letters and digits of the database's locale (none of
    # Chinese under the C locale), so Chinese goes through the `grams` array: every
    # character pair of the query must be in the song, then the text is checked whole.
    like = f"%{_like_escape(key)}%"
    if key.isascii() and len(key) >= 3:
        text = _Tier("SELECT id FROM songs WHERE haystack LIKE %s", "haystack LIKE %s", (like,))
    elif len(key) <= 2:
        text = _Tier(
            "SELECT song_id FROM song_grams WHERE gram = %s",
            "EXISTS (SELECT 1 FROM song_grams WHERE gram = %s AND song_grams.song_id = songs.id)",
            (key,),
            ranked="SELECT song_id FROM song_grams WHERE gram = %s ORDER BY request_count DESC, sort_key, song_id",
        )
    else:
        pairs = sorted({key[i : i + 2] for i in range(len(key) - 1)})
        condition = "grams @> %s AND haystack LIKE %s"
        text = _Tier(f"SELECT id FROM songs WHERE {condition}", f"({condition})", (pairs, like))
    if key.isascii():  # pinyin from any syllable on ("lixiang" in 七里香)
        inside = _keys_tier("key >= %s AND key < %s AND kind IN (1, 3)", prefix)
        text = _Tier(
            f"{text.ids} UNION {inside.ids}", f"({text.test} OR {inside.test})", text.params + prefix
        )
    return [*tiers, text]


def ranked_ids(conn: Conn, query: str, wanted: int) -> list[int]:
    """Ids of the best `wanted` songs for a query typed in a room: tiers best first, each
    tier in rank order; later tiers run only while the page is not full."""
    key = compact(query)
    if not key or wanted <= 0:
        return []
    found: list[int] = []
    taken: set[int] = set()
    for tier in _tiers(key):
        need = wanted - len(found)
        if need <= 0:
            break
        for song_id in _tier_ids(conn, tier, need + len(taken)):
            if song_id not in taken:
                taken.add(song_id)
                found.append(song_id)
                if len(found) >= wanted:
                    break
    return found


def _tier_ids(conn: Conn, tier: _Tier, limit: int) -> list[int]:
    """Few matches: collect and sort them. Many (one letter, a common character): walk the
    songs in rank order and keep the first that match, which stops after a page.
    PostgreSQL's planner cannot tell these apart from its statistics (it walked the rank
    index for a rare character: 77 ms at 30,000 songs instead of 1)."""
    if tier.ranked is not None:
        rows = conn.execute(f"{tier.ranked} LIMIT %s", (*tier.params, limit)).fetchall()
        return [int(row[0]) for row in rows]
    ids = [
        int(row[0]) for row in conn.execute(f"{tier.ids} LIMIT {MANY_MATCHES + 1}", tier.params).fetchall()
    ]
    if len(ids) <= MANY_MATCHES:
        if not ids:
            return []
        rows = conn.execute(
            f"SELECT id FROM songs WHERE id = ANY(%s) {_ORDER} LIMIT %s", (ids, limit)
        ).fetchall()
    else:
        rows = conn.execute(
            f"SELECT id FROM songs WHERE {tier.test} {_ORDER} LIMIT %s", (*tier.params, limit)
        ).fetchall()
    return [int(row[0]) for row in rows]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_SONG_SELECT = (
    "SELECT id, title, singers, album, duration_ms, lyrics_path IS NOT NULL, request_count FROM songs"
)


def _venue_song(row: Sequence[Any]) -> VenueSong:
    return VenueSong(int(row[0]), str(row[1]), tuple(row[2]), row[3], row[4], bool(row[5]), int(row[6]))


def songs(conn: Conn, ids: Sequence[int]) -> list[VenueSong]:
    """Songs in the order of `ids` (unknown ids are left out)."""
    rows = conn.execute(f"{_SONG_SELECT} WHERE id = ANY(%s)", (list(ids),)).fetchall()
    by_id = {int(row[0]): _venue_song(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def search(conn: Conn, query: str, *, offset: int = 0, limit: int = 30) -> list[VenueSong]:
    ids = ranked_ids(conn, query, offset + limit)
    return songs(conn, ids[offset:])


def songs_of_singer(conn: Conn, singer: str, *, offset: int = 0, limit: int = 50) -> list[VenueSong]:
    rows = conn.execute(
        f"{_SONG_SELECT} WHERE %s = ANY(singers) {_ORDER} OFFSET %s LIMIT %s", (singer, offset, limit)
    ).fetchall()
    return [_venue_song(row) for row in rows]


def singers(conn: Conn, *, offset: int = 0, limit: int = 100) -> list[tuple[str, int]]:
    rows = conn.execute(
        "SELECT singer, count(*) FROM songs, unnest(singers) AS singer GROUP BY singer "
        "ORDER BY count(*) DESC, singer OFFSET %s LIMIT %s",
        (offset, limit),
    ).fetchall()
    return [(str(row[0]), int(row[1])) for row in rows]


def chart(
    conn: Conn, *, days: int, limit: int = 50, now: datetime | None = None
) -> list[tuple[VenueSong, int]]:
    """The venue's most requested songs over the last `days` days (1 = today's chart)."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    rows = conn.execute(
        "SELECT song_id, count(*) FROM requests WHERE requested_at >= %s GROUP BY song_id "
        "ORDER BY count(*) DESC, song_id LIMIT %s",
        (since, limit),
    ).fetchall()
    counts = {int(row[0]): int(row[1]) for row in rows}
    return [(song, counts[song.id]) for song in songs(conn, list(counts))]


def media_row(conn: Conn, song_id: int) -> MediaRow | None:
    """What the media endpoint needs about one song, as the local index gives it to the
    local player (the same row type: the venue serves what the local provider plays)."""
    row = conn.execute(
        "SELECT path, container, layout, vocal_channel, original_track, accompaniment_track, "
        "accompaniment_path, lyrics_path, duration_ms, replaygain_db, kind, lyrics_kind, extras "
        "FROM songs WHERE id = %s",
        (song_id,),
    ).fetchone()
    if row is None:
        return None

    def decode(value: bytes | None) -> str | None:
        return None if value is None else os.fsdecode(bytes(value))

    return MediaRow(
        path=os.fsdecode(bytes(row[0])),
        container=str(row[1]),
        layout=VocalLayout(row[2]),
        vocal_channel=Channel(row[3]),
        original_track=int(row[4]),
        accompaniment_track=int(row[5]),
        accompaniment_path=decode(row[6]),
        lyrics_path=decode(row[7]),
        duration_ms=row[8],
        replaygain_db=row[9],
        kind=str(row[10]),
        lyrics_kind=row[11],
        extras=dict(row[12]),
    )


def scan_status(conn: Conn) -> dict[str, Any]:
    last = conn.execute(
        "SELECT started_at, finished_at, added, updated, unchanged, removed, skipped, error "
        "FROM scans ORDER BY id DESC LIMIT 1"
    ).fetchone()
    total = conn.execute("SELECT count(*) FROM songs").fetchone()
    bad = conn.execute("SELECT path, reason FROM unplayable ORDER BY seen_at DESC LIMIT 200").fetchall()
    return {
        "songs": int(total[0]) if total else 0,
        "last_scan": None
        if last is None
        else {
            "started_at": last[0].isoformat(),
            "finished_at": last[1].isoformat() if last[1] else None,
            "added": last[2],
            "updated": last[3],
            "unchanged": last[4],
            "removed": last[5],
            "skipped": last[6],
            "error": last[7],
        },
        "unplayable": [{"path": str(p), "reason": str(r)} for p, r in bad],
    }
