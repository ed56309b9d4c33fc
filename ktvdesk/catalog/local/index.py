"""The library index: SQLite (WAL) tables that answer every keystroke at 100,000 songs.

Three structures, each serving one kind of match (see `search.py` for the ranking):

- `keys` (a WITHOUT ROWID B-tree on key): per song the folded compact title, aliases and
  singers, their full pinyin (polyphonic variants too), their initials, and the pinyin
  from every later syllable on ("lixiang" for 七里香). Exact, prefix, initials and
  pinyin-inside matches are index range scans, whatever the query length.
- `fts_tri` (FTS5 trigram): substring matches of three characters or more in the folded
  text (title, aliases, singers, album). Pinyin stays out of it on purpose: pinyin is so
  repetitive ("ang", "ing") that its trigram lists made every long query slow, and the
  syllable-suffix keys above answer pinyin-inside queries with one range scan.
- `fts_short` (FTS5, detail=none): every character and every pair of adjacent characters
  of the folded text as a token, so a one- or two-character substring query (which
  trigram cannot answer) is a single posting-list read.

Neither FTS table keeps a copy of its text: `fts_tri` reads `songs.haystack` (external
content) and `fts_short` is contentless; both derive what a delete needs from the
song's haystack, which is removed last.

`songs_order` (id, play_count, sort_key, haystack, name_keys) lets the ranking sort
thousands of candidates, and test the other words of a multi-word query on each, without
reading the wide song rows: `haystack` is the compact text joined by "|", `name_keys` the
full pinyin and initials of every name, space-separated ("starts with" = `instr(' ' || q)`).

Connections are per thread (the provider runs queries in worker threads); WAL lets a
scan write while searches read.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ktvdesk.catalog.local.names import title_length
from ktvdesk.catalog.local.pinyin_keys import pinyin_keys
from ktvdesk.catalog.local.textfold import compact, compact_folded, fold, short_grams
from ktvdesk.errors import StorageError, UserMessage
from ktvdesk.models import Channel, Song, VocalLayout

if TYPE_CHECKING:  # the scanner (media probes, karaoke formats) loads with the first scan
    from ktvdesk.catalog.local.scanner import KnownFiles, SongRecord

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5  # 5: karaoke kinds (issue 18): kind, lyrics_kind, unplayable, extras
WRITE_BATCH = 2000
KIND_TEXT, KIND_PINYIN, KIND_INITIALS, KIND_PINYIN_INSIDE = 0, 1, 2, 3
FIELD_SEPARATOR = "|"  # never inside a compact query: stops trigrams spanning two fields

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS songs (
    id INTEGER PRIMARY KEY,
    path BLOB NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    signature TEXT NOT NULL,
    title TEXT NOT NULL,
    singers TEXT NOT NULL,
    album TEXT,
    genre TEXT,
    language TEXT,
    aliases TEXT NOT NULL,
    duration_ms INTEGER,
    replaygain_db REAL,
    container TEXT NOT NULL,
    layout TEXT NOT NULL,
    vocal_channel TEXT NOT NULL,
    original_track INTEGER NOT NULL,
    accompaniment_track INTEGER NOT NULL,
    accompaniment_path BLOB,
    lyrics_path BLOB,
    cover_path BLOB,
    folder TEXT NOT NULL,
    title_len INTEGER NOT NULL,
    sort_key TEXT NOT NULL,
    haystack TEXT NOT NULL,
    name_keys TEXT NOT NULL,
    play_count INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT 'media',
    lyrics_kind TEXT,
    unplayable TEXT,
    extras TEXT NOT NULL DEFAULT '{{}}'
);
CREATE INDEX IF NOT EXISTS songs_rank ON songs(play_count DESC, sort_key);
CREATE INDEX IF NOT EXISTS songs_order ON songs(id, play_count, sort_key, haystack, name_keys);
CREATE INDEX IF NOT EXISTS songs_genre ON songs(genre);
CREATE INDEX IF NOT EXISTS songs_language ON songs(language);
CREATE INDEX IF NOT EXISTS songs_title_len ON songs(title_len);
CREATE INDEX IF NOT EXISTS songs_folder ON songs(folder);
CREATE TABLE IF NOT EXISTS keys (
    key TEXT NOT NULL,
    kind INTEGER NOT NULL,
    song_id INTEGER NOT NULL,
    PRIMARY KEY (key, kind, song_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keys_song ON keys(song_id);
CREATE TABLE IF NOT EXISTS singers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    initial TEXT NOT NULL,
    sort_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS singers_initial ON singers(initial, sort_key);
CREATE TABLE IF NOT EXISTS song_singers (
    song_id INTEGER NOT NULL,
    singer_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (song_id, singer_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS song_singers_singer ON song_singers(singer_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_tri USING fts5(
    haystack, content = 'songs', content_rowid = 'id', tokenize = 'trigram'
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_short USING fts5(
    grams, content = '', tokenize = 'unicode61 remove_diacritics 0', detail = none
);
-- Melodies extracted from original-vocal tracks (ktvdesk.catalog.local.melody_cache), keyed by file state.
CREATE TABLE IF NOT EXISTS vocal_melodies (
    source TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    version INTEGER NOT NULL,
    notes TEXT NOT NULL
) WITHOUT ROWID;
PRAGMA user_version = {SCHEMA_VERSION};
"""

_SONG_COLUMNS = (
    "id, path, title, singers, album, duration_ms, lyrics_path, cover_path, genre, language, play_count, kind"
)
# Song kinds whose lyrics file carries the notes to score against (issue 18).
_KINDS_WITH_NOTES = frozenset({"ultrastar", "midi"})

_DB_ERROR = UserMessage("歌曲库数据库无法读写。", "The song library database cannot be read or written.")


# Browsable facets → their column (the names are part of the tag ids the provider hands out).
_FACETS = {"genre": "genre", "language": "language", "title_len": "title_len", "folder": "folder"}


@dataclass(frozen=True, slots=True)
class ScanReport:
    added: int
    updated: int
    unchanged: int
    removed: int
    skipped: tuple[tuple[str, str], ...]  # (path, reason)
    # Indexed but cannot play: (path, reason). Keyword-only: callers build reports positionally.
    unplayable: tuple[tuple[str, str], ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class LibraryStats:
    songs: int
    singers: int
    with_lyrics: int
    total_duration_ms: int
    layouts: dict[str, int]
    folders: int


@dataclass(frozen=True, slots=True)
class MediaRow:
    """What resolve_media and fetch_lyrics need about one song."""

    path: str
    container: str
    layout: VocalLayout
    vocal_channel: Channel
    original_track: int
    accompaniment_track: int
    accompaniment_path: str | None
    lyrics_path: str | None
    duration_ms: int | None
    replaygain_db: float | None
    kind: str = "media"
    lyrics_kind: str | None = None
    unplayable: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SongKind:
    """What kind of karaoke song a row is, for lists and the library report."""

    kind: str
    lyrics_kind: str | None  # "graphics" for CD+G
    unplayable: str | None


def _search_data(record: SongRecord) -> tuple[set[tuple[str, int]], list[str]]:
    """The match keys of a song, and its compact texts (title, aliases, singers, album)."""
    keys: set[tuple[str, int]] = set()
    fields: dict[str, None] = {}
    for text in (record.title, *record.aliases, *record.singers):
        folded = fold(text)
        key = compact_folded(folded)
        if not key:
            continue
        fields.setdefault(key, None)
        keys.add((key, KIND_TEXT))
        readings = pinyin_keys(folded)
        keys.update((full, KIND_PINYIN) for full in readings.full)
        keys.update((initials, KIND_INITIALS) for initials in readings.initials)
        keys.update((inside, KIND_PINYIN_INSIDE) for inside in readings.inside)
    if record.album:
        fields.setdefault(compact(record.album), None)
    return keys, [text for text in fields if text]


def _decode_path(value: bytes | None) -> str | None:
    return None if value is None else os.fsdecode(value)


class LibraryIndex:
    """The SQLite index. Safe to use from several threads (one connection per thread)."""

    provider_name = "local"

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._conn()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                # The index is a cache of the disks; play counts are the only loss.
                log.warning("library index %s has schema %s: rebuilding", self.db_path, version)
                self._drop_all(conn)
            conn.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            self.close()
            raise StorageError(
                f"cannot open library index {self.db_path}: {exc}", user_message=_DB_ERROR
            ) from exc

    # -- connections ------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, check_same_thread=False, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA journal_size_limit = 16777216")  # truncate the WAL after big scans
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MB: a 100k build keeps its B-trees hot
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @staticmethod
    def _drop_all(conn: sqlite3.Connection) -> None:
        for table in ("songs", "keys", "singers", "song_singers", "fts_tri", "fts_short", "vocal_melodies"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            with suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    def __enter__(self) -> LibraryIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._write_lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"library query failed: {exc}", user_message=_DB_ERROR) from exc

    # -- scanning -----------------------------------------------------------------------

    def scan(
        self,
        roots: Iterable[str | Path] | str | Path,
        *,
        split_folders: dict[Path, Channel] | None = None,
    ) -> ScanReport:
        """Scan folders into the index; unchanged files are not probed again."""
        from ktvdesk.catalog.local.scanner import Scanner, display_path

        if isinstance(roots, str | Path):
            roots = [roots]
        added = updated = unchanged = removed = 0
        skipped: list[tuple[str, str]] = []
        unplayable: list[tuple[str, str]] = []
        for root in roots:
            root_bytes = os.path.abspath(os.fsencode(root))
            if not os.path.isdir(root_bytes):
                # An unplugged disk must not wipe its songs: keep them until it is back.
                skipped.append((display_path(root_bytes), "folder not found"))
                log.warning("library folder %s not found: keeping its songs", display_path(root_bytes))
                continue
            known = self._known_under(root_bytes)
            tree = Scanner(root_bytes, known, split_folders or {}).run()
            gone = [
                path
                for path in known
                if path not in tree.seen and not any(path.startswith(p) for p in tree.kept_prefixes)
            ]
            new, changed = self.write_records(tree.changed, removed=gone)
            added += new
            updated += changed
            unchanged += tree.unchanged
            removed += len(gone)
            skipped.extend((item.path, item.reason) for item in tree.skipped)
            unplayable.extend((item.path, item.reason) for item in tree.unplayable)
        return ScanReport(added, updated, unchanged, removed, tuple(skipped), unplayable=tuple(unplayable))

    def _known_under(self, root: bytes) -> KnownFiles:
        prefix = root.rstrip(b"/") + b"/"
        rows = self._query(
            "SELECT path, size, mtime_ns, signature FROM songs WHERE path >= ? AND path < ?",
            (prefix, prefix[:-1] + b"0"),  # b"0" is the byte after b"/"
        )
        return {bytes(row[0]): (int(row[1]), int(row[2]), str(row[3])) for row in rows}

    def write_records(
        self, records: Iterable[SongRecord], *, removed: Iterable[bytes] = ()
    ) -> tuple[int, int]:
        """Insert or update records (by path) and delete removed paths; returns (added, updated).

        Commits every `WRITE_BATCH` songs: the WAL stays small (one transaction for a
        100,000-song build would write the whole database twice) and searches running
        meanwhile see the library fill up. The index is a cache of the disks, so a scan
        cut short leaves nothing wrong, only unfinished.
        """
        added = updated = 0
        singer_ids: dict[str, int] = {}
        try:
            with self._transaction() as conn:
                for path in removed:
                    row = conn.execute("SELECT id FROM songs WHERE path = ?", (path,)).fetchone()
                    if row is not None:
                        self._delete_song(conn, int(row[0]))
            batch: list[SongRecord] = []
            for record in records:
                batch.append(record)
                if len(batch) >= WRITE_BATCH:
                    new, changed = self._write_batch(batch, singer_ids)
                    added, updated, batch = added + new, updated + changed, []
            new, changed = self._write_batch(batch, singer_ids)
            with self._transaction() as conn:
                conn.execute("DELETE FROM singers WHERE id NOT IN (SELECT singer_id FROM song_singers)")
        except sqlite3.Error as exc:
            raise StorageError(f"cannot write library index: {exc}", user_message=_DB_ERROR) from exc
        return added + new, updated + changed

    def _write_batch(self, records: list[SongRecord], singer_ids: dict[str, int]) -> tuple[int, int]:
        added = updated = 0
        keys: list[tuple[str, int, int]] = []
        trigram: list[tuple[int, str]] = []
        short: list[tuple[int, str]] = []
        links: list[tuple[int, int, int]] = []
        unique = {record.path: record for record in records}  # a path twice: the last one wins
        with self._transaction() as conn:
            for record in unique.values():
                song_keys, texts = _search_data(record)
                values = self._song_values(record, song_keys, texts)
                row = conn.execute("SELECT id FROM songs WHERE path = ?", (record.path,)).fetchone()
                if row is None:
                    song_id = self._insert_song(conn, record.path, values)
                    added += 1
                else:
                    song_id = int(row[0])
                    self._delete_search_rows(conn, song_id)
                    self._update_song(conn, song_id, values)
                    updated += 1
                keys.extend((key, kind, song_id) for key, kind in song_keys)
                trigram.append((song_id, FIELD_SEPARATOR.join(texts)))
                short.append((song_id, short_grams(texts)))
                links.extend(
                    (song_id, self._singer_id(conn, singer, singer_ids), position)
                    for position, singer in enumerate(record.singers)
                )
            keys.sort()  # B-tree inserts in key order touch each page once
            conn.executemany("INSERT OR IGNORE INTO keys (key, kind, song_id) VALUES (?, ?, ?)", keys)
            conn.executemany("INSERT INTO fts_tri (rowid, haystack) VALUES (?, ?)", trigram)
            conn.executemany("INSERT INTO fts_short (rowid, grams) VALUES (?, ?)", short)
            conn.executemany(
                "INSERT OR IGNORE INTO song_singers (song_id, singer_id, position) VALUES (?, ?, ?)", links
            )
        return added, updated

    @staticmethod
    def _singer_id(conn: sqlite3.Connection, singer: str, cache: dict[str, int]) -> int:
        singer_id = cache.get(singer)
        if singer_id is None:
            row = conn.execute("SELECT id FROM singers WHERE name = ?", (singer,)).fetchone()
            if row is None:
                readings = pinyin_keys(fold(singer))
                sort_key = (readings.full[0] if readings.full else "") or compact(singer) or singer
                initial = sort_key[:1].upper()
                if not ("A" <= initial <= "Z"):
                    initial = "#"
                row = conn.execute(
                    "INSERT INTO singers (name, initial, sort_key) VALUES (?, ?, ?) RETURNING id",
                    (singer, initial, sort_key),
                ).fetchone()
            singer_id = cache[singer] = int(row[0])
        return singer_id

    @staticmethod
    def _song_values(
        record: SongRecord, song_keys: set[tuple[str, int]], texts: list[str]
    ) -> tuple[object, ...]:
        keys = pinyin_keys(fold(record.title))
        name_keys = " ".join(sorted(key for key, kind in song_keys if kind in (KIND_PINYIN, KIND_INITIALS)))
        sort_key = (keys.full[0] if keys.full else "") or compact(record.title) or record.title
        return (
            record.size,
            record.mtime_ns,
            record.signature,
            record.title,
            json.dumps(list(record.singers), ensure_ascii=False),
            record.album,
            record.genre,
            record.language,
            json.dumps(list(record.aliases), ensure_ascii=False),
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
            title_length(record.title),
            sort_key,
            FIELD_SEPARATOR.join(texts),
            f" {name_keys} ",
            record.kind,
            record.lyrics_kind,
            record.unplayable,
            json.dumps(record.extras, ensure_ascii=False),
        )

    _VALUE_COLUMNS = (
        "size, mtime_ns, signature, title, singers, album, genre, language, aliases, duration_ms, "
        "replaygain_db, container, layout, vocal_channel, original_track, accompaniment_track, "
        "accompaniment_path, lyrics_path, cover_path, folder, title_len, sort_key, haystack, name_keys, "
        "kind, lyrics_kind, unplayable, extras"
    )

    def _insert_song(self, conn: sqlite3.Connection, path: bytes, values: tuple[object, ...]) -> int:
        placeholders = ", ".join("?" * (len(values) + 1))
        cursor = conn.execute(
            f"INSERT INTO songs (path, {self._VALUE_COLUMNS}) VALUES ({placeholders})", (path, *values)
        )
        return int(cursor.lastrowid or 0)

    def _update_song(self, conn: sqlite3.Connection, song_id: int, values: tuple[object, ...]) -> None:
        assignments = ", ".join(f"{column.strip()} = ?" for column in self._VALUE_COLUMNS.split(","))
        conn.execute(f"UPDATE songs SET {assignments} WHERE id = ?", (*values, song_id))

    @staticmethod
    def _delete_search_rows(conn: sqlite3.Connection, song_id: int) -> None:
        conn.execute("DELETE FROM keys WHERE song_id = ?", (song_id,))
        conn.execute("DELETE FROM song_singers WHERE song_id = ?", (song_id,))
        row = conn.execute("SELECT haystack FROM songs WHERE id = ?", (song_id,)).fetchone()
        if row is not None:
            # External-content and contentless FTS5 tables delete by the indexed values.
            haystack = str(row[0])
            conn.execute(
                "INSERT INTO fts_tri (fts_tri, rowid, haystack) VALUES ('delete', ?, ?)", (song_id, haystack)
            )
            conn.execute(
                "INSERT INTO fts_short (fts_short, rowid, grams) VALUES ('delete', ?, ?)",
                (song_id, short_grams(haystack.split(FIELD_SEPARATOR))),
            )

    def _delete_song(self, conn: sqlite3.Connection, song_id: int) -> None:
        self._delete_search_rows(conn, song_id)
        conn.execute("DELETE FROM songs WHERE id = ?", (song_id,))

    # -- keeping the index in step with the settings ------------------------------------

    def prune_outside(self, roots: Iterable[str | Path]) -> int:
        """Delete the songs under no folder of `roots` (folders removed from the settings,
        an old install's demo library); returns how many. Songs under a configured folder
        that is missing right now (an unplugged disk) stay: `scan` keeps them too."""
        prefixes = [os.path.abspath(os.fsencode(root)).rstrip(b"/") + b"/" for root in roots]
        rows = self._query("SELECT id, path FROM songs")
        doomed = [int(i) for i, path in rows if not any(bytes(path).startswith(p) for p in prefixes)]
        if not doomed:
            return 0
        try:
            with self._transaction() as conn:
                for song_id in doomed:
                    self._delete_song(conn, song_id)
                conn.execute("DELETE FROM singers WHERE id NOT IN (SELECT singer_id FROM song_singers)")
        except sqlite3.Error as exc:
            raise StorageError(f"cannot prune library index: {exc}", user_message=_DB_ERROR) from exc
        return len(doomed)

    def follow_moved_root(self, name: str, root: str | Path) -> int:
        """Remember where the folder called `name` (the bundled demo library) lives; when it
        moved since the last start (the app was moved or upgraded), re-point its songs at
        the new place so they keep their ids (favorites, history and play counts follow)
        instead of coming back as duplicates. Returns how many songs moved."""
        new = os.path.abspath(os.fsencode(root)).rstrip(b"/") + b"/"
        try:
            with self._transaction() as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS roots (name TEXT PRIMARY KEY, path BLOB NOT NULL)")
                row = conn.execute("SELECT path FROM roots WHERE name = ?", (name,)).fetchone()
                conn.execute("INSERT OR REPLACE INTO roots (name, path) VALUES (?, ?)", (name, new))
                old = bytes(row[0]) if row is not None else None
                if old is None or old == new:
                    return 0
                moved = 0
                rows = conn.execute(
                    "SELECT id, path, lyrics_path, cover_path, accompaniment_path FROM songs "
                    "WHERE path >= ? AND path < ?",
                    (old, old[:-1] + b"0"),
                ).fetchall()

                def moved_path(value: object) -> bytes | None:
                    if not isinstance(value, bytes):
                        return None
                    return new + value[len(old) :] if value.startswith(old) else value

                for song_id, path, *sidecars in rows:
                    target = moved_path(path)
                    if conn.execute("SELECT 1 FROM songs WHERE path = ?", (target,)).fetchone():
                        continue  # already indexed at the new place: the prune drops the old row
                    # mtime_ns -1: the next scan probes the file again (and rewrites its folder).
                    conn.execute(
                        "UPDATE songs SET path = ?, lyrics_path = ?, cover_path = ?, "
                        "accompaniment_path = ?, mtime_ns = -1 WHERE id = ?",
                        (target, *(moved_path(value) for value in sidecars), song_id),
                    )
                    moved += 1
        except sqlite3.Error as exc:
            raise StorageError(f"cannot move library folder {name}: {exc}", user_message=_DB_ERROR) from exc
        log.info("library folder %s moved: %d songs follow it", name, moved)
        return moved

    # -- popularity -------------------------------------------------------------------

    def record_play(self, song_id: str | int) -> None:
        try:
            with self._transaction() as conn:
                conn.execute("UPDATE songs SET play_count = play_count + 1 WHERE id = ?", (int(song_id),))
        except (sqlite3.Error, ValueError) as exc:
            raise StorageError(f"cannot record play of {song_id}: {exc}", user_message=_DB_ERROR) from exc

    # -- reading ----------------------------------------------------------------------

    def search(
        self, query: str, limit: int = 50, offset: int = 0, *, with_lyrics: bool = False
    ) -> list[Song]:
        """Songs matching `query`, best first: exact > prefix > initials > substring."""
        from ktvdesk.catalog.local.search import ranked_ids

        try:
            ids = ranked_ids(self._conn(), query, offset + limit, with_lyrics=with_lyrics)[offset:]
        except sqlite3.Error as exc:
            raise StorageError(f"library search failed: {exc}", user_message=_DB_ERROR) from exc
        return self.songs(ids)

    def charts(self, limit: int = 20) -> list[Song]:
        """The most played songs (A–Z among equals): what an empty search shows."""
        rows = self._query("SELECT id FROM songs ORDER BY play_count DESC, sort_key LIMIT ?", (limit,))
        return self.songs([int(row[0]) for row in rows])

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Titles that complete `prefix` (exact, prefix and initials matches; no substrings)."""
        from ktvdesk.catalog.local.search import ranked_ids

        try:
            ids = ranked_ids(self._conn(), prefix, limit * 2, substring=False)
        except sqlite3.Error as exc:
            raise StorageError(f"library suggest failed: {exc}", user_message=_DB_ERROR) from exc
        return list(dict.fromkeys(song.title for song in self.songs(ids)))[:limit]

    def songs(self, ids: Sequence[int | str]) -> list[Song]:
        """Songs by id, in the order given; unknown ids are left out."""
        wanted = [int(i) for i in ids if str(i).isdigit()]
        if not wanted:
            return []
        rows = self._query(
            f"SELECT {_SONG_COLUMNS} FROM songs WHERE id IN ({','.join('?' * len(wanted))})", wanted
        )
        by_id = {int(row[0]): row for row in rows}
        return [self._song(by_id[i]) for i in wanted if i in by_id]

    def song(self, song_id: int | str) -> Song | None:
        found = self.songs([song_id])
        return found[0] if found else None

    def _song(self, row: tuple[object, ...]) -> Song:
        song_id, path, title, singers, album, duration_ms, lyrics_path, cover_path = row[:8]
        covers: dict[str, str] = {}
        if isinstance(cover_path, bytes):
            covers["large"] = os.fsdecode(cover_path)
        return Song(
            provider=self.provider_name,
            id=str(song_id),
            title=str(title),
            singers=tuple(json.loads(str(singers))),
            album=album if isinstance(album, str) else None,
            duration_ms=duration_ms if isinstance(duration_ms, int) else None,
            has_lyrics=lyrics_path is not None,
            has_pitch=lyrics_path is not None and row[11] in _KINDS_WITH_NOTES,
            covers=covers,
            path=os.fsdecode(path) if isinstance(path, bytes) else None,
        )

    def media_row(self, song_id: int | str) -> MediaRow | None:
        if not str(song_id).isdigit():
            return None
        rows = self._query(
            "SELECT path, container, layout, vocal_channel, original_track, accompaniment_track, "
            "accompaniment_path, lyrics_path, duration_ms, replaygain_db, kind, lyrics_kind, unplayable, extras "
            "FROM songs WHERE id = ?",
            (int(song_id),),
        )
        if not rows:
            return None
        row = rows[0]
        return MediaRow(
            path=os.fsdecode(row[0]),
            container=str(row[1]),
            layout=VocalLayout(str(row[2])),
            vocal_channel=Channel(str(row[3])),
            original_track=int(row[4]),
            accompaniment_track=int(row[5]),
            accompaniment_path=_decode_path(row[6]),
            lyrics_path=_decode_path(row[7]),
            duration_ms=row[8] if isinstance(row[8], int) else None,
            replaygain_db=float(row[9]) if isinstance(row[9], float | int) else None,
            kind=str(row[10]),
            lyrics_kind=row[11] if isinstance(row[11], str) else None,
            unplayable=row[12] if isinstance(row[12], str) else None,
            extras=json.loads(str(row[13])),
        )

    def song_kinds(self, ids: Sequence[int | str]) -> dict[str, SongKind]:
        """Kind, lyrics kind and unplayable reason of songs by id (unknown ids left out)."""
        wanted = [int(i) for i in ids if str(i).isdigit()]
        if not wanted:
            return {}
        rows = self._query(
            f"SELECT id, kind, lyrics_kind, unplayable FROM songs WHERE id IN ({','.join('?' * len(wanted))})",
            wanted,
        )
        return {str(row[0]): SongKind(str(row[1]), row[2], row[3]) for row in rows}

    def song_facets(self, song_id: int | str) -> tuple[str | None, str | None]:
        """(genre, language) of one song."""
        rows = self._query("SELECT genre, language FROM songs WHERE id = ?", (int(song_id),))
        if not rows:
            return None, None
        genre, language = rows[0]
        return (genre if isinstance(genre, str) else None, language if isinstance(language, str) else None)

    # -- browsing ---------------------------------------------------------------------

    def singer_initials(self) -> list[tuple[str, int]]:
        """A–Z (and `#`) with the number of singers under each letter."""
        rows = self._query("SELECT initial, COUNT(*) FROM singers GROUP BY initial ORDER BY initial")
        return [(str(letter), int(count)) for letter, count in rows]

    def singers(
        self, initial: str | None = None, *, offset: int = 0, limit: int = 100
    ) -> list[tuple[str, int]]:
        """Singers (optionally of one initial) with their song counts, A–Z by pinyin."""
        where, params = ("WHERE s.initial = ?", [initial.upper()]) if initial else ("", [])
        rows = self._query(
            "SELECT s.name, (SELECT COUNT(*) FROM song_singers x WHERE x.singer_id = s.id) "
            f"FROM singers s {where} ORDER BY s.sort_key, s.name LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [(str(name), int(count)) for name, count in rows]

    def songs_of_singer(self, singer: str, *, offset: int = 0, limit: int = 50) -> list[Song]:
        rows = self._query(
            "SELECT x.song_id FROM song_singers x JOIN singers s ON s.id = x.singer_id "
            "JOIN songs g ON g.id = x.song_id WHERE s.name = ? "
            "ORDER BY g.play_count DESC, g.sort_key LIMIT ? OFFSET ?",
            (singer, limit, offset),
        )
        return self.songs([int(row[0]) for row in rows])

    def songs_of_initial(self, initial: str, *, offset: int = 0, limit: int = 50) -> list[Song]:
        """Songs whose first singer's name starts with `initial` (A–Z by pinyin, `#` for others)."""
        rows = self._query(
            "SELECT x.song_id FROM song_singers x JOIN singers s ON s.id = x.singer_id "
            "JOIN songs g ON g.id = x.song_id WHERE s.initial = ? AND x.position = 0 "
            "ORDER BY s.sort_key, g.play_count DESC, g.sort_key LIMIT ? OFFSET ?",
            (initial.upper(), limit, offset),
        )
        return self.songs([int(row[0]) for row in rows])

    def facet_counts(self, facet: str) -> list[tuple[str, int]]:
        """Values of one facet (genre, language, title_len = 字数, folder) with song counts."""
        column = _FACETS[facet]
        rows = self._query(
            f"SELECT {column}, COUNT(*) FROM songs WHERE {column} IS NOT NULL AND {column} != '' "
            f"GROUP BY {column} ORDER BY {column}"
        )
        return [(str(value), int(count)) for value, count in rows]

    def songs_by_facet(self, facet: str, value: str, *, offset: int = 0, limit: int = 50) -> list[Song]:
        column = _FACETS[facet]
        param: object = int(value) if facet == "title_len" and value.isdigit() else value
        rows = self._query(
            f"SELECT id FROM songs WHERE {column} = ? ORDER BY play_count DESC, sort_key LIMIT ? OFFSET ?",
            (param, limit, offset),
        )
        return self.songs([int(row[0]) for row in rows])

    def stats(self) -> LibraryStats:
        row = self._query(
            "SELECT COUNT(*), COALESCE(SUM(duration_ms), 0), COUNT(lyrics_path), COUNT(DISTINCT folder) FROM songs"
        )[0]
        layouts = {
            str(k): int(v) for k, v in self._query("SELECT layout, COUNT(*) FROM songs GROUP BY layout")
        }
        singers = int(self._query("SELECT COUNT(*) FROM singers")[0][0])
        return LibraryStats(
            songs=int(row[0]),
            singers=singers,
            with_lyrics=int(row[2]),
            total_duration_ms=int(row[1]),
            layouts=layouts,
            folders=int(row[3]),
        )
