"""The user database schema, as an ordered list of migrations keyed by `PRAGMA user_version`.

Migration N (1-based) takes a database at version N-1 to version N. Each runs in its own
`BEGIN IMMEDIATE` transaction together with the `user_version` bump, so a crash or a
SIGKILL mid-upgrade leaves the database at the previous version, never half-migrated.
Published migrations are frozen: a change to the schema is a new entry at the end.

Statements are executed one by one rather than with `executescript`, which would commit
the surrounding transaction.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence

from ktvdesk.storage.messages import NEWER_SCHEMA, storage_error

log = logging.getLogger(__name__)

Migration = Sequence[str]

_V1_INITIAL: Migration = (
    # One row per song any list refers to; the Song model's JSON lets the views show it
    # offline and the provider resolve it again. `key` is Song.key ("provider:id").
    """CREATE TABLE songs (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        provider TEXT NOT NULL,
        song_id TEXT NOT NULL,
        title TEXT NOT NULL,
        singers TEXT NOT NULL,
        json TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
    )""",
    """CREATE TABLE favorites (
        song INTEGER PRIMARY KEY REFERENCES songs(id),
        added_at_ms INTEGER NOT NULL
    )""",
    """CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        song INTEGER NOT NULL REFERENCES songs(id),
        played_at_ms INTEGER NOT NULL,
        listened_ms INTEGER NOT NULL CHECK (listened_ms >= 0),
        outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'skipped')),
        vocal_mode TEXT NOT NULL
    )""",
    "CREATE INDEX history_song ON history(song)",
    """CREATE TABLE playlists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
    )""",
    # Positions are dense 0..n-1 per playlist; no UNIQUE on them so that shifting a range
    # with one UPDATE never trips over a transient duplicate.
    """CREATE TABLE playlist_items (
        id INTEGER PRIMARY KEY,
        playlist INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        song INTEGER NOT NULL REFERENCES songs(id)
    )""",
    "CREATE INDEX playlist_items_order ON playlist_items(playlist, position)",
    "CREATE INDEX playlist_items_song ON playlist_items(song)",
    """CREATE TABLE queue_items (
        position INTEGER PRIMARY KEY,
        song INTEGER NOT NULL REFERENCES songs(id)
    )""",
    "CREATE INDEX queue_items_song ON queue_items(song)",
    """CREATE TABLE queue_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        current_index INTEGER,
        position_ms INTEGER NOT NULL DEFAULT 0 CHECK (position_ms >= 0),
        updated_at_ms INTEGER NOT NULL
    )""",
)

# A song that can no longer be resolved stays in every list, flagged with why.
_V2_UNAVAILABLE: Migration = (
    "ALTER TABLE songs ADD COLUMN unavailable_reason TEXT",
    "ALTER TABLE songs ADD COLUMN unavailable_detail TEXT",
    "ALTER TABLE songs ADD COLUMN unavailable_at_ms INTEGER",
)

# The History view must open in a few ms with 100,000 plays: aggregating history at read
# time does not scale, so a per-song summary is kept by a trigger (it cannot drift from
# `history`, whoever inserts) and backfilled from the existing rows.
# A play counts as "sung" when it completed or lasted at least 60 s: KTV singers often
# cut (切歌) the outro. Keep in sync with history.SUNG_MIN_LISTENED_MS (tested).
_SUNG = "(outcome = 'completed' OR listened_ms >= 60000)"
_NEW_SUNG = "(NEW.outcome = 'completed' OR NEW.listened_ms >= 60000)"
_V3_HISTORY_VIEWS: Migration = (
    """CREATE TABLE song_stats (
        song INTEGER PRIMARY KEY REFERENCES songs(id),
        play_count INTEGER NOT NULL,
        sung_count INTEGER NOT NULL,
        last_played_ms INTEGER NOT NULL,
        last_sung_ms INTEGER
    )""",
    f"""INSERT INTO song_stats (song, play_count, sung_count, last_played_ms, last_sung_ms)
        SELECT song, count(*), sum({_SUNG}), max(played_at_ms),
               max(CASE WHEN {_SUNG} THEN played_at_ms END)
        FROM history GROUP BY song""",
    f"""CREATE TRIGGER history_stats AFTER INSERT ON history BEGIN
        INSERT INTO song_stats (song, play_count, sung_count, last_played_ms, last_sung_ms)
        VALUES (
            NEW.song, 1,
            {_NEW_SUNG},
            NEW.played_at_ms,
            CASE WHEN {_NEW_SUNG}
                 THEN NEW.played_at_ms END
        )
        ON CONFLICT (song) DO UPDATE SET
            play_count = play_count + 1,
            sung_count = sung_count + excluded.sung_count,
            last_played_ms = max(last_played_ms, excluded.last_played_ms),
            last_sung_ms = CASE
                WHEN excluded.last_sung_ms IS NULL THEN last_sung_ms
                WHEN last_sung_ms IS NULL THEN excluded.last_sung_ms
                ELSE max(last_sung_ms, excluded.last_sung_ms) END;
    END""",
    "CREATE INDEX song_stats_most ON song_stats(sung_count DESC, last_sung_ms DESC) WHERE sung_count > 0",
    "CREATE INDEX song_stats_recent ON song_stats(last_sung_ms DESC) WHERE last_sung_ms IS NOT NULL",
    # History page: newest first, keyset-paginated on (played_at_ms, id).
    "CREATE INDEX history_recent ON history(played_at_ms DESC, id DESC)",
    # Ascending, read backwards: (added_at_ms, rowid) then serves "newest first" with no sort.
    "CREATE INDEX favorites_recent ON favorites(added_at_ms)",
    "CREATE INDEX playlists_order ON playlists(created_at_ms)",
)

# Singing scores (issue 19): one row per scored song; best per song and per singer are
# index range reads.
_V4_SCORES: Migration = (
    """CREATE TABLE scores (
        id INTEGER PRIMARY KEY,
        song INTEGER NOT NULL REFERENCES songs(id),
        singer TEXT NOT NULL,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
        grade TEXT NOT NULL,
        difficulty TEXT NOT NULL,
        reference TEXT NOT NULL,
        sung_at_ms INTEGER NOT NULL
    )""",
    "CREATE INDEX scores_song_best ON scores(song, score DESC)",
    "CREATE INDEX scores_singer_best ON scores(singer, score DESC)",
)

# Who sings each queued song (issue 20): a restored queue keeps the stage banner's and
# the phones' "next: <singer>". NULL: queued without a name (and every older row).
_V5_QUEUE_SINGERS: Migration = ("ALTER TABLE queue_items ADD COLUMN singer TEXT",)

# Duets (issue 19): each part's score is its own row. 0: the song was sung solo; 1, 2:
# the melody's player whose part the row scores. Every older row is a solo's.
_V6_SCORE_PARTS: Migration = (
    "ALTER TABLE scores ADD COLUMN part INTEGER NOT NULL DEFAULT 0 CHECK (part >= 0)",
)

MIGRATIONS: tuple[Migration, ...] = (
    _V1_INITIAL,
    _V2_UNAVAILABLE,
    _V3_HISTORY_VIEWS,
    _V4_SCORES,
    _V5_QUEUE_SINGERS,
    _V6_SCORE_PARTS,
)
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, *, target: int = SCHEMA_VERSION) -> int:
    """Bring the database (autocommit connection) up to `target`; return the version reached.

    Refuses a database newer than this code knows: downgrading would silently lose data.
    """
    if not 0 <= target <= SCHEMA_VERSION:
        raise ValueError(f"target version {target} outside 0..{SCHEMA_VERSION}")
    current = user_version(conn)
    if current > SCHEMA_VERSION:
        raise storage_error(
            f"database schema version {current} is newer than this ktvdesk ({SCHEMA_VERSION})",
            NEWER_SCHEMA,
            "schema_too_new",
        )
    for version in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have upgraded while we waited for the write lock.
            if user_version(conn) >= version:
                conn.execute("COMMIT")
                continue
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("user database migrated to schema version %d", version)
    return user_version(conn)
