"""My playlists as a JSON file (every provider): a versioned schema validated with pydantic.

    {"format": "ktvdesk-playlists", "version": 1, "exported_at_ms": 1763780000000,
     "playlists": [{"name": "…", "created_at_ms": …,
                    "songs": [{"song": {<ktvdesk.models.Song>}, "unavailable": null,
                               "unavailable_detail": null}]}]}

A file from a newer ktvdesk (higher version) is refused with its own message rather than
half-read; a bad file changes nothing (the import is one transaction). Imported playlists
are new playlists here: `created_at_ms` is informative, they sort after the existing ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ktvdesk.models import Song
from ktvdesk.storage.database import UserDatabase
from ktvdesk.storage.exchange import check_size, read_import_file, store_imported, write_atomically
from ktvdesk.storage.messages import BAD_PLAYLIST_FILE, NEWER_PLAYLIST_FILE, storage_error
from ktvdesk.storage.playlists import MAX_NAME_CHARS
from ktvdesk.storage.songs import SongEntry, Unavailable

FORMAT = "ktvdesk-playlists"
VERSION = 1
_MAX_ERRORS_SHOWN = 3


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileSong(_Strict):
    song: Song
    unavailable: Unavailable | None = None
    unavailable_detail: str | None = None


class FilePlaylist(_Strict):
    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    created_at_ms: int | None = None
    songs: tuple[FileSong, ...] = ()


class PlaylistFile(_Strict):
    format: Literal["ktvdesk-playlists"] = "ktvdesk-playlists"
    version: Literal[1] = 1
    exported_at_ms: int
    playlists: tuple[FilePlaylist, ...]


def export_json(db: UserDatabase, playlist_ids: Sequence[int] | None = None) -> bytes:
    """UTF-8 JSON of the given playlists (default: all, in the Playlists view order)."""
    with db.reading():
        ids = (
            [summary.id for summary in db.playlists.summaries()]
            if playlist_ids is None
            else list(playlist_ids)
        )
        playlists = []
        for playlist_id in ids:
            loaded = db.playlists.load(playlist_id)
            playlists.append(
                FilePlaylist(
                    name=loaded.name,
                    created_at_ms=loaded.summary.created_at_ms,
                    songs=tuple(
                        FileSong(
                            song=entry.song,
                            unavailable=entry.unavailable,
                            unavailable_detail=entry.unavailable_detail,
                        )
                        for entry in loaded.entries
                    ),
                )
            )
    document = PlaylistFile(exported_at_ms=db.clock_ms(), playlists=tuple(playlists))
    return document.model_dump_json(indent=2).encode("utf-8")


def export_json_file(db: UserDatabase, path: Path, playlist_ids: Sequence[int] | None = None) -> None:
    write_atomically(path, export_json(db, playlist_ids))


def parse_json(data: bytes) -> PlaylistFile:
    """Validate a playlist file; raises StorageError (zh+en) saying what is wrong."""
    check_size(data)
    try:
        raw: Any = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(f"not JSON: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _bad('not a ktvdesk playlist file (no "format": "ktvdesk-playlists")')
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(f"bad version {version!r}")
    if version > VERSION:
        raise storage_error(
            f"playlist file version {version} is newer than supported ({VERSION})",
            NEWER_PLAYLIST_FILE,
            "file_too_new",
        )
    try:
        return PlaylistFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()[:_MAX_ERRORS_SHOWN]
        )
        raise _bad(f"{exc.error_count()} problems: {problems}") from exc


def import_json(db: UserDatabase, data: bytes) -> list[int]:
    """Add every playlist of the file (all or none); returns the new playlist ids in file order."""
    document = parse_json(data)
    with db.transaction():
        return [
            store_imported(
                db,
                playlist.name,
                [SongEntry(item.song, item.unavailable, item.unavailable_detail) for item in playlist.songs],
                fresh_availability=False,
            )
            for playlist in document.playlists
        ]


def import_json_file(db: UserDatabase, path: Path) -> list[int]:
    return import_json(db, read_import_file(path, BAD_PLAYLIST_FILE))


def _bad(detail: str) -> Exception:
    return storage_error(detail, BAD_PLAYLIST_FILE, "bad_playlist_file")
