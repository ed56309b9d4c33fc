"""What a room gets to play one venue song: what the local provider gives the player.

The server reads the song's row (the local index's `MediaRow`, kept in PostgreSQL) and
assembles its source with the local library's own code (`file_source`): an UltraStar
folder's audio with its `#INSTRUMENTAL` and video and its `#START`/`#END` or medley clip,
an MP3+G pair's audio with the `.cdg` as the picture (a zip unpacked once into the
server's cache), a `.kar` for FluidSynth, any other file as it is. Each file of that
source, and the lyrics (the UltraStar `.txt`, the `.kar`, an `.ass` sidecar…), becomes a
*part* the room downloads or streams through a link signed for it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from ktvdesk.catalog.local.chorus import find_chorus
from ktvdesk.catalog.local.index import MediaRow
from ktvdesk.catalog.local.karaoke_media import KARAOKE_KINDS, file_source
from ktvdesk.catalog.venue.wire import LYRICS_PART, SOURCE_PARTS
from ktvdesk.errors import KtvError
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.models import ClipSegment, MediaSource

log = logging.getLogger(__name__)

_MAX_LYRICS_BYTES = 4 * 1024 * 1024
# Requests run in worker threads: two rooms asking for a zipped pair not yet unpacked
# must not unpack it into the same folder at once. Assembling a source is otherwise a
# few stat calls, so one lock costs nothing.
_ASSEMBLY = threading.Lock()


@dataclass(frozen=True, slots=True)
class SongMedia:
    source: MediaSource  # as the local provider gives it, with the server's file paths
    chorus: ClipSegment | None  # what a clip request plays (medley, a chorus in the lyrics)
    parts: dict[str, Path]  # part name → the file streamed for it


def song_parts(row: MediaRow, cache: Path) -> tuple[MediaSource, dict[str, Path]]:
    """The song's source and the files its parts are (the media endpoint serves these
    and nothing else)."""
    source = _assemble(row, want_clip=False, cache=cache)
    files = {part: getattr(source, field) for part, field in SOURCE_PARTS.items()}
    files[LYRICS_PART] = row.lyrics_path
    return source, {part: Path(path) for part, path in files.items() if path}


def song_media(row: MediaRow, cache: Path) -> SongMedia:
    source, parts = song_parts(row, cache)
    if row.kind in KARAOKE_KINDS:
        clipped = _assemble(row, want_clip=True, cache=cache).clip
        chorus = clipped if clipped != source.clip else None  # no medley: no chorus either
    else:
        chorus = _lyrics_chorus(row)
    return SongMedia(source, chorus, parts)


def _assemble(row: MediaRow, *, want_clip: bool, cache: Path) -> MediaSource:
    with _ASSEMBLY:
        return file_source(row, want_clip=want_clip, cache=cache)


def part_name(part: str, path: Path) -> str:
    """The file name a part goes by in links and in a room's cache: its own suffix, which
    libVLC needs (its CD+G demuxer recognises a `.cdg` by name only)."""
    return f"{part}{path.suffix.lower()}"


def _lyrics_chorus(row: MediaRow) -> ClipSegment | None:
    """The chorus the local provider finds in a song's lyrics (the most repeated section)."""
    if row.lyrics_path is None:
        return None
    try:
        with open(row.lyrics_path, "rb") as handle:
            lyrics = parse_lyrics(handle.read(_MAX_LYRICS_BYTES))
    except (OSError, KtvError) as exc:
        log.info("no chorus for %s: %s", row.path, exc)
        return None
    found = find_chorus(lyrics, duration_ms=row.duration_ms)
    return found.clip if found is not None else None
