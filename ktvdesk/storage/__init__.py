"""The user's own data in SQLite: favorites, play history, my playlists, the persisted queue.

Pure Python (no Qt). Open one `UserDatabase` per process with a path in the platform data
dir; its stores are `db.favorites`, `db.history`, `db.playlists`, `db.queue`, `db.songs`.
Playlist files: `playlist_json` (every provider) and `m3u8` (local songs).
"""

from __future__ import annotations

from ktvdesk.storage.database import DEFAULT_FILE_NAME, UserDatabase
from ktvdesk.storage.favorites import FavoriteEntry, Favorites
from ktvdesk.storage.history import (
    History,
    HistoryEntry,
    HistoryPage,
    PlayOutcome,
    SongStats,
    SungSong,
)
from ktvdesk.storage.migrations import SCHEMA_VERSION
from ktvdesk.storage.playlists import Playlist, Playlists, PlaylistSummary
from ktvdesk.storage.queue import QueueSnapshot, QueueStore
from ktvdesk.storage.songs import UNAVAILABLE_MESSAGES, SongEntry, SongStore, Unavailable, reason_for

__all__ = [
    "DEFAULT_FILE_NAME",
    "SCHEMA_VERSION",
    "UNAVAILABLE_MESSAGES",
    "FavoriteEntry",
    "Favorites",
    "History",
    "HistoryEntry",
    "HistoryPage",
    "PlayOutcome",
    "Playlist",
    "PlaylistSummary",
    "Playlists",
    "QueueSnapshot",
    "QueueStore",
    "SongEntry",
    "SongStats",
    "SongStore",
    "SungSong",
    "Unavailable",
    "UserDatabase",
    "reason_for",
]
