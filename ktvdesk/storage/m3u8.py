"""My playlists as M3U8 (local songs): UTF-8 extended M3U other players understand.

    #EXTM3U
    #PLAYLIST:Friday night
    #KTVDESK-SONG:{"provider":"local","id":…}      ← ours; other players skip `#` lines
    #EXTINF:215,Singer A / Singer B - Title
    /music/ktv/title.mkv

`#KTVDESK-SONG` carries the stored Song so that export→import gives back the very same
songs; a foreign file's entries are built from `#EXTINF` and the path (or by the caller's
`resolve`, e.g. the local library's lookup by path). An entry whose file is missing is
imported as an unavailable song, never skipped.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from pydantic import ValidationError

from ktvdesk.models import Song
from ktvdesk.storage.database import UserDatabase
from ktvdesk.storage.exchange import check_size, read_import_file, store_imported, write_atomically
from ktvdesk.storage.messages import BAD_M3U8_FILE, storage_error
from ktvdesk.storage.songs import SINGER_SEPARATOR, SongEntry, Unavailable

log = logging.getLogger(__name__)

HEADER = "#EXTM3U"
LOCAL_PROVIDER = "local"
_EXTINF = "#EXTINF:"
_PLAYLIST = "#PLAYLIST:"
_SONG = "#KTVDESK-SONG:"
_TITLE_SEPARATOR = " - "
DEFAULT_NAME = "M3U8"

# Builds the Song for a local file found in a foreign playlist; None: use the default.
LocalResolver = Callable[[Path], Song | None]


@dataclass(frozen=True, slots=True)
class M3u8Export:
    text: str
    skipped: tuple[SongEntry, ...]  # not local files: M3U8 cannot carry them (use JSON)


@dataclass(frozen=True, slots=True)
class M3u8Entry:
    location: str  # the line as written (path or URL)
    duration_ms: int | None
    display: str | None  # "<singers> - <title>" from #EXTINF
    song_json: str | None  # our #KTVDESK-SONG line


@dataclass(frozen=True, slots=True)
class M3u8Document:
    name: str | None
    entries: tuple[M3u8Entry, ...]


# -- export ---------------------------------------------------------------------------------------


def export_m3u8(db: UserDatabase, playlist_id: int) -> M3u8Export:
    playlist = db.playlists.load(playlist_id)
    lines = [HEADER, f"{_PLAYLIST}{_one_line(playlist.name)}"]
    skipped: list[SongEntry] = []
    for entry in playlist.entries:
        song = entry.song
        if song.provider != LOCAL_PROVIDER or not song.path or "\n" in song.path or "\r" in song.path:
            skipped.append(entry)
            continue
        seconds = -1 if song.duration_ms is None else round(song.duration_ms / 1000)
        display = _one_line(song.title)
        if song.singers:
            display = f"{_one_line(SINGER_SEPARATOR.join(song.singers))}{_TITLE_SEPARATOR}{display}"
        lines += [f"{_SONG}{song.model_dump_json()}", f"{_EXTINF}{seconds},{display}", song.path]
    return M3u8Export("\n".join(lines) + "\n", tuple(skipped))


def export_m3u8_file(db: UserDatabase, playlist_id: int, path: Path) -> M3u8Export:
    result = export_m3u8(db, playlist_id)
    write_atomically(path, result.text.encode("utf-8"))
    return result


# -- import ---------------------------------------------------------------------------------------


def parse_m3u8(data: bytes) -> M3u8Document:
    """Lines of an M3U8 file; raises StorageError for anything that is not one."""
    check_size(data)
    if b"\x00" in data:
        raise _bad("binary data (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad(f"not UTF-8 text: {exc}") from exc
    lines = [line.strip() for line in text.splitlines()]
    content = [line for line in lines if line]
    if not content or content[0] != HEADER:
        raise _bad("missing the #EXTM3U header")
    name: str | None = None
    entries: list[M3u8Entry] = []
    duration_ms: int | None = None
    display: str | None = None
    song_json: str | None = None
    for line in content[1:]:
        if any(ord(char) < 0x20 and char != "\t" for char in line):
            raise _bad(f"control characters in line {line[:40]!r}")
        if line.startswith(_EXTINF):
            duration_ms, display = _parse_extinf(line[len(_EXTINF) :])
        elif line.startswith(_PLAYLIST):
            name = line[len(_PLAYLIST) :].strip() or None
        elif line.startswith(_SONG):
            song_json = line[len(_SONG) :]
        elif line.startswith("#"):
            continue  # other extensions (#EXTGRP, #EXTVLCOPT…) carry nothing we keep
        else:
            entries.append(M3u8Entry(line, duration_ms, display, song_json))
            duration_ms = display = song_json = None
    return M3u8Document(name, tuple(entries))


def import_m3u8(
    db: UserDatabase,
    data: bytes,
    *,
    base_dir: Path,
    name: str | None = None,
    default_name: str = DEFAULT_NAME,
    resolve: LocalResolver | None = None,
) -> int:
    """Create a playlist from M3U8 bytes; relative paths are relative to `base_dir` (the
    file's folder). Name: `name`, else the file's #PLAYLIST, else `default_name`."""
    document = parse_m3u8(data)
    entries = [_entry(item, base_dir, resolve) for item in document.entries]
    return store_imported(db, name or document.name or default_name, entries, fresh_availability=True)


def import_m3u8_file(
    db: UserDatabase, path: Path, *, name: str | None = None, resolve: LocalResolver | None = None
) -> int:
    data = read_import_file(path, BAD_M3U8_FILE)
    return import_m3u8(db, data, base_dir=path.parent, name=name, default_name=path.stem, resolve=resolve)


def _entry(item: M3u8Entry, base_dir: Path, resolve: LocalResolver | None) -> SongEntry:
    path = _local_path(item.location, base_dir)
    song = _own_song(item.song_json)
    if path is None:
        song = song or _default_song(item, item.location, None)
        return SongEntry(song, Unavailable.NOT_LOCAL, item.location)
    if song is None and resolve is not None:
        song = resolve(path)
    song = song or _default_song(item, str(path), path)
    if not path.is_file():
        return SongEntry(song, Unavailable.FILE_MISSING, str(path))
    return SongEntry(song)


def _local_path(location: str, base_dir: Path) -> Path | None:
    """The file an entry names, or None for a non-file URL (http, rtsp…)."""
    if location.lower().startswith("file:"):
        parsed = urlparse(location)
        return Path(url2pathname(unquote(parsed.path)))
    scheme, sep, _ = location.partition("://")
    if sep and scheme.isalpha() and len(scheme) > 1:
        return None
    path = Path(os.path.expanduser(location))
    if not path.is_absolute():
        path = base_dir / path
    return Path(os.path.normpath(path))


def _own_song(song_json: str | None) -> Song | None:
    if song_json is None:
        return None
    try:
        return Song.model_validate_json(song_json)
    except ValidationError as exc:  # hand-edited or from another version: fall back to #EXTINF
        log.warning("ignoring an unreadable #KTVDESK-SONG line (%d errors)", exc.error_count())
        return None


def _default_song(item: M3u8Entry, song_id: str, path: Path | None) -> Song:
    singers: tuple[str, ...] = ()
    title = item.display or ""
    if item.display and _TITLE_SEPARATOR in item.display:
        artists, title = item.display.split(_TITLE_SEPARATOR, 1)
        singers = tuple(s.strip() for s in artists.split(SINGER_SEPARATOR) if s.strip())
    if not title.strip():
        title = path.stem if path is not None else item.location
    return Song(
        provider=LOCAL_PROVIDER,
        id=song_id,
        title=title.strip(),
        singers=singers,
        duration_ms=item.duration_ms,
        path=None if path is None else str(path),
    )


def _parse_extinf(rest: str) -> tuple[int | None, str | None]:
    """`<seconds>[ attributes],<display>`; a malformed duration is dropped, not fatal."""
    head, sep, display = rest.partition(",")
    duration_ms: int | None = None
    try:
        seconds = float(head.split()[0]) if head.split() else -1.0
        if seconds >= 0:
            duration_ms = round(seconds * 1000)
    except ValueError:
        duration_ms = None
    return duration_ms, (display.strip() or None) if sep else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bad(detail: str) -> Exception:
    return storage_error(detail, BAD_M3U8_FILE, "bad_m3u8_file")
