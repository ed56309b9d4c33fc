"""The venue database: one schema, applied by `migrate` in numbered steps.

Search keys use the C collation so that a "starts with" query is a B-tree range scan
whatever the database's locale. Substrings: one- and two-character queries read
`song_grams`; longer Chinese ones intersect their character pairs in the `grams` array
(GIN) and longer Latin ones use the trigram index of `haystack` (pg_trgm sees only the
locale's letters, so it cannot serve Chinese under the C locale, nor under three
characters).
"""

from __future__ import annotations

from typing import Any

import psycopg

SCHEMA_VERSION = 2

_STEPS: dict[int, str] = {
    1: """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE songs (
    id BIGSERIAL PRIMARY KEY,
    path BYTEA NOT NULL UNIQUE,
    size BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    signature TEXT NOT NULL,
    title TEXT NOT NULL,
    singers TEXT[] NOT NULL,
    album TEXT,
    genre TEXT,
    language TEXT,
    duration_ms INTEGER,
    replaygain_db REAL,
    container TEXT NOT NULL,
    layout TEXT NOT NULL,
    vocal_channel TEXT NOT NULL,
    original_track INTEGER NOT NULL,
    accompaniment_track INTEGER NOT NULL,
    accompaniment_path BYTEA,
    lyrics_path BYTEA,
    cover_path BYTEA,
    folder TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    haystack TEXT NOT NULL,
    grams TEXT[] NOT NULL,
    request_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX songs_rank ON songs (request_count DESC, sort_key, id);
CREATE INDEX songs_haystack_trgm ON songs USING gin (haystack gin_trgm_ops);
CREATE INDEX songs_grams ON songs USING gin (grams);

CREATE TABLE song_keys (
    key TEXT COLLATE "C" NOT NULL,
    kind SMALLINT NOT NULL,
    song_id BIGINT NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    PRIMARY KEY (key, kind, song_id)
);
CREATE INDEX song_keys_song ON song_keys (song_id);

-- Every character and character pair of a song's texts, for one- and two-character
-- queries: an index-only lookup, and a cheap per-song test when a character is common.
-- The song's rank is kept beside each gram, so the first page of a common character is
-- one index-only range scan in rank order (a request updates its song's rows).
CREATE TABLE song_grams (
    gram TEXT COLLATE "C" NOT NULL,
    song_id BIGINT NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    request_count INTEGER NOT NULL DEFAULT 0,
    sort_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (gram, song_id)
);
CREATE INDEX song_grams_song ON song_grams (song_id);
CREATE INDEX song_grams_rank ON song_grams (gram, request_count DESC, sort_key, song_id);

CREATE TABLE unplayable (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE scans (
    id BIGSERIAL PRIMARY KEY,
    roots TEXT[] NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    added INTEGER, updated INTEGER, unchanged INTEGER, removed INTEGER, skipped INTEGER,
    error TEXT
);

CREATE TABLE rooms (
    name TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    mqtt_hash TEXT NOT NULL,
    opened_at TIMESTAMPTZ,
    closes_at TIMESTAMPTZ,
    volume_cap INTEGER,
    paused BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every song request, for the charts and the audit. A room sends each request with its
-- own id, so a request replayed after an outage is counted once.
CREATE TABLE requests (
    room TEXT NOT NULL REFERENCES rooms (name) ON DELETE CASCADE,
    request_id TEXT NOT NULL,
    song_id BIGINT NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    singer TEXT,
    requested_at TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (room, request_id)
);
CREATE INDEX requests_time ON requests (requested_at);

CREATE TABLE staff (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (name) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL
);
""",
    # The karaoke kinds (UltraStar folders, MP3+G pairs and zips, MIDI/KAR) are served to
    # rooms: a song keeps its kind and the kind's own facts (its audio, video, zip
    # members, medley) as the local library does. The old "not served" notes go.
    2: """
ALTER TABLE songs
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'media',
    ADD COLUMN lyrics_kind TEXT,
    ADD COLUMN extras JSONB NOT NULL DEFAULT '{}'::jsonb;
DELETE FROM unplayable WHERE reason LIKE '% songs are not served to rooms yet';
""",
}


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Bring the database to `SCHEMA_VERSION`; each step commits with its version row."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    current = int(row[0]) if row and row[0] is not None else 0
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with conn.transaction():
            conn.execute(_STEPS[version])
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
    conn.commit()
    return SCHEMA_VERSION
