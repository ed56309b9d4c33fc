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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ktvdesk.models import Song
from ktvdesk.storage.database import UserDatabase
from ktvdesk.storage.exchange import (
    ImportedSong,
    check_size,
    read_import_file,
    store_imported_rows,
    write_atomically,
)
from ktvdesk.storage.messages import BAD_PLAYLIST_FILE, NEWER_PLAYLIST_FILE, storage_error
from ktvdesk.storage.playlists import MAX_NAME_CHARS
from ktvdesk.storage.songs import Unavailable, song_row

FORMAT = "ktvdesk-playlists"
VERSION = 1
_MAX_ERRORS_SHOWN = 3
_SONGS_PER_PICKLE = 500  # the child's answer is unpickled this many songs per call


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


def export_json_file(
    db: UserDatabase, path: Path, playlist_ids: Sequence[int] | None = None, *, isolated: bool = False
) -> None:
    """`isolated`: write it from a child process (see `export_json_file_isolated`); for the
    app, whose GUI thread must keep running while a large playlist is written."""
    if isolated:
        export_json_file_isolated(db, path, playlist_ids)
    else:
        write_atomically(path, export_json_chunks(db, playlist_ids))


def export_json_file_isolated(db: UserDatabase, path: Path, playlist_ids: Sequence[int] | None) -> None:
    """`export_json_file` in a child process reading the same database file.

    Why: the export parses every stored song and writes it again (0.3 s of Python for
    10,000 songs here). Even in pieces on a worker thread, that work wants the GIL, and on
    a busy machine the GUI thread waited up to 0.1 s at a time to get it back. The child
    reads its own snapshot (WAL lets it read beside our connection) of what the caller's
    thread has committed so far, writes the file atomically, and answers "ok" or the error.
    """
    ids = ["all"] if playlist_ids is None else [str(int(playlist_id)) for playlist_id in playlist_ids]
    _answer_of_child(["export", os.fspath(db.path), os.fspath(path), *ids], "export")


def export_json_chunks(db: UserDatabase, playlist_ids: Sequence[int] | None = None) -> Iterator[bytes]:
    """UTF-8 JSON of the given playlists (default: all, in the Playlists view order), a
    piece at a time, one song per line.

    Why pieces: one `model_dump_json` of the whole document is one C call that holds the
    GIL until the last song is written (0.1 s for 10,000 songs here, seconds for a large
    file), and the GUI thread cannot run meanwhile. A song at a time, the GIL changes
    hands between songs. The pieces make the same document `PlaylistFile` describes.
    """
    with db.reading():  # one snapshot for every playlist
        ids = (
            [summary.id for summary in db.playlists.summaries()]
            if playlist_ids is None
            else list(playlist_ids)
        )
        yield (
            f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n'
            f'  "exported_at_ms": {db.clock_ms()},\n  "playlists": ['
        ).encode()
        for number, playlist_id in enumerate(ids):
            loaded = db.playlists.load(playlist_id)
            header = FilePlaylist(name=loaded.name, created_at_ms=loaded.summary.created_at_ms)
            yield (
                f'{"," if number else ""}\n    {{"name": {_json_text(header.name)}, '
                f'"created_at_ms": {_json_value(header.created_at_ms)},\n     "songs": ['
            ).encode()
            for index, entry in enumerate(loaded.entries):
                song = FileSong(
                    song=entry.song,
                    unavailable=entry.unavailable,
                    unavailable_detail=entry.unavailable_detail,
                )
                yield (",\n      " if index else "\n      ").encode() + song.model_dump_json().encode()
            yield ("\n     ]}" if loaded.entries else "]}").encode()
    yield b"\n  ]\n}\n"


def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _json_value(value: int | None) -> str:
    return "null" if value is None else str(int(value))


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
    return store_playlist_rows(db, [(name, _rows(songs)) for name, songs in playlists])


def store_playlist_rows(
    db: UserDatabase, playlists: Sequence[tuple[str, Sequence[ImportedSong]]]
) -> list[int]:
    with db.transaction():
        return [store_imported_rows(db, name, songs, fresh_availability=False) for name, songs in playlists]


def _rows(songs: Sequence[FileSong]) -> list[ImportedSong]:
    return [(song_row(item.song), item.unavailable, item.unavailable_detail) for item in songs]


def import_json_file(db: UserDatabase, path: Path, *, isolated: bool = False) -> list[int]:
    """`isolated`: parse in a child process (see `parse_json_file_isolated`); for the app,
    whose GUI thread must keep running while a large file is read."""
    if isolated:
        return store_playlist_rows(db, parse_json_file_isolated(path))
    return import_json(db, read_import_file(path, BAD_PLAYLIST_FILE))


def parse_json_file_isolated(path: Path) -> list[tuple[str, list[ImportedSong]]]:
    """`parse_json` of the file in a child process: each playlist's name and songs, as
    rows ready to store.

    Why a process and not just a thread: `json.loads` and pydantic's validation are each
    one C call that holds the GIL for the whole document (0.55 s for 10,000 songs here,
    seconds for a 64 MB file), and the GUI thread needs the GIL to run at all. The child
    (our own module, `python -m`) reads and validates the file and makes each song the
    row the store writes (`song_row`), so nothing is validated or dumped again here; its
    answer comes in pieces of 500 songs, each unpickled by its own short call, so the GIL
    changes hands between pieces.
    """
    playlists: list[tuple[str, list[bytes]]] = _answer_of_child(["import", os.fspath(path)], "import")
    return [
        (name, [song for piece in pieces for song in pickle.loads(piece)])  # our own child's rows
        for name, pieces in playlists
    ]


def _answer_of_child(args: list[str], what: str) -> Any:
    done = subprocess.run([sys.executable, "-m", __name__, *args], capture_output=True, check=False)
    try:
        kind, value = pickle.loads(done.stdout)  # our own child's answer, nothing from the file
    except Exception as exc:
        stderr = done.stderr.decode("utf-8", "replace").strip()[-500:]
        raise _bad(f"the {what} helper process failed ({done.returncode}): {stderr or exc}") from exc
    if kind == "error":
        raise value
    return value


def _child_main(args: list[str]) -> int:
    answer: tuple[str, object]
    try:
        if args[0] == "import":
            answer = ("ok", _child_import(args[1]))
        else:
            _child_export(*args[1:])
            answer = ("ok", None)
    except Exception as exc:  # handed to the parent, which raises it
        answer = ("error", exc)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


def _child_import(path: str) -> list[tuple[str, list[bytes]]]:
    document = parse_json(read_import_file(Path(path), BAD_PLAYLIST_FILE))
    answer = []
    for playlist in document.playlists:
        rows = _rows(playlist.songs)
        pieces = [
            pickle.dumps(rows[start : start + _SONGS_PER_PICKLE], protocol=pickle.HIGHEST_PROTOCOL)
            for start in range(0, len(rows), _SONGS_PER_PICKLE)
        ]
        answer.append((playlist.name, pieces))
    return answer


def _child_export(db_path: str, path: str, *ids: str) -> None:
    with UserDatabase(db_path) as db:
        export_json_file(db, Path(path), None if ids == ("all",) else [int(i) for i in ids])


def _bad(detail: str) -> Exception:
    return storage_error(detail, BAD_PLAYLIST_FILE, "bad_playlist_file")


if __name__ == "__main__":
    # Through the module's real name: the document must pickle as its classes, not __main__'s.
    from ktvdesk.storage.playlist_json import _child_main as child_main

    sys.exit(child_main(sys.argv[1:]))
