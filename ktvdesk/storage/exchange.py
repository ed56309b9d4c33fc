"""What the playlist file formats (JSON, M3U8) share: reading a file with a size cap,
writing one atomically, and storing an imported playlist with its unavailable flags."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from ktvdesk.errors import UserMessage
from ktvdesk.storage.database import UserDatabase
from ktvdesk.storage.messages import FILE_TOO_LARGE, storage_error
from ktvdesk.storage.songs import SongEntry, SongRow, SongStore, Unavailable, song_row

MAX_IMPORT_BYTES = 64 * 1024 * 1024  # far above any real playlist file; refuses a wrong pick early


def read_import_file(path: Path, unreadable: UserMessage) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise storage_error(f"{path}: {size} bytes", FILE_TOO_LARGE, "file_too_large")
        return path.read_bytes()
    except OSError as exc:
        raise storage_error(f"cannot read {path}: {exc}", unreadable, "unreadable_file") from exc


def check_size(data: bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise storage_error(f"{len(data)} bytes", FILE_TOO_LARGE, "file_too_large")


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` with `data` (or its pieces, written as they come) so that a crash
    leaves the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles for this."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


ImportedSong = tuple[SongRow, Unavailable | None, str | None]
"""An imported song ready to store: its row, and the unavailable flag and detail it came with."""


def imported_song(entry: SongEntry) -> ImportedSong:
    return (song_row(entry.song), entry.unavailable, entry.unavailable_detail)


def store_imported(
    db: UserDatabase, name: str, entries: Sequence[SongEntry], *, fresh_availability: bool
) -> int:
    """`store_imported_rows` of entries parsed here."""
    return store_imported_rows(
        db, name, [imported_song(entry) for entry in entries], fresh_availability=fresh_availability
    )


def store_imported_rows(
    db: UserDatabase, name: str, songs: Sequence[ImportedSong], *, fresh_availability: bool
) -> int:
    """Create one playlist from imported songs; returns its id.

    `fresh_availability`: the importer has just checked each entry (M3U8: the file exists
    or not), so its verdict replaces the stored flag. Otherwise (JSON) a flag from the file
    applies only to songs this database did not know: our own knowledge is newer.
    """
    with db.transaction() as conn:
        flagged = [song for song in songs if song[1] is not None or fresh_availability]
        known = SongStore.stored_keys(conn, (row[0] for row, _, _ in flagged))
        # An import never makes a second playlist of the same name: "Name (2)", "Name (3)"…
        name = db.playlists.free_name(name)
        playlist_id = db.playlists.create_from_rows(
            name, [row for row, _, _ in songs], refresh_metadata=False
        )
        for (key, *_), reason, detail in flagged:
            if reason is not None and (fresh_availability or key not in known):
                db.songs.mark_unavailable(key, reason, detail)
            elif reason is None and fresh_availability:
                db.songs.mark_available(key)
    return playlist_id
