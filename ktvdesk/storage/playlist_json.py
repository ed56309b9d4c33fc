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
import os
import pickle
import subprocess
import sys
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
    return store_playlists(db, [(p.name, p.songs) for p in parse_json(data).playlists])


def store_playlists(db: UserDatabase, playlists: Sequence[tuple[str, Sequence[FileSong]]]) -> list[int]:
    with db.transaction():
        return [
            store_imported(
                db,
                name,
                [SongEntry(item.song, item.unavailable, item.unavailable_detail) for item in songs],
                fresh_availability=False,
            )
            for name, songs in playlists
        ]


def import_json_file(db: UserDatabase, path: Path, *, isolated: bool = False) -> list[int]:
    """`isolated`: parse in a child process (see `parse_json_file_isolated`); for the app,
    whose GUI thread must keep running while a large file is read."""
    if isolated:
        return store_playlists(db, parse_json_file_isolated(path))
    return import_json(db, read_import_file(path, BAD_PLAYLIST_FILE))


def parse_json_file_isolated(path: Path) -> list[tuple[str, list[FileSong]]]:
    """`parse_json` of the file in a child process: each playlist's name and songs.

    Why a process and not just a thread: `json.loads` and pydantic's validation are each
    one C call that holds the GIL for the whole document (0.55 s for 10,000 songs here,
    seconds for a 64 MB file), and the GUI thread needs the GIL to run at all. The child
    (our own module, `python -m`) reads and validates the file and answers with every
    song as its own small JSON text; here each is read back by its own short call, so
    the GIL changes hands between songs.
    """
    done = subprocess.run([sys.executable, "-m", __name__, os.fspath(path)], capture_output=True, check=False)
    try:
        kind, value = pickle.loads(done.stdout)  # our own child's answer, nothing from the file
    except Exception as exc:
        stderr = done.stderr.decode("utf-8", "replace").strip()[-500:]
        raise _bad(f"the import helper process failed ({done.returncode}): {stderr or exc}") from exc
    if kind == "error":
        raise value
    return [(name, [FileSong.model_validate_json(song) for song in songs]) for name, songs in value]


def _child_main(path: str) -> int:
    answer: tuple[str, object]
    try:
        document = parse_json(read_import_file(Path(path), BAD_PLAYLIST_FILE))
        answer = ("ok", [(p.name, [song.model_dump_json() for song in p.songs]) for p in document.playlists])
    except Exception as exc:  # handed to the parent, which raises it
        answer = ("error", exc)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


def _bad(detail: str) -> Exception:
    return storage_error(detail, BAD_PLAYLIST_FILE, "bad_playlist_file")


if __name__ == "__main__":
    # Through the module's real name: the document must pickle as its classes, not __main__'s.
    from ktvdesk.storage.playlist_json import _child_main as child_main

    sys.exit(child_main(sys.argv[1]))
