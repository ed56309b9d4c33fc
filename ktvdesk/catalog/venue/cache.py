"""A room's local copy of the songs it is about to sing.

A room must keep singing when the venue server or the network is down: the songs in
its queue are copied here ahead of time, and `resolve_media` prefers the copy. One
folder per song, one file per part of the song (audio, accompaniment, video or CD+G
graphics, lyrics), each under the name the server gave it (its suffix matters to libVLC);
the manifest is written last, so a folder without it is an unfinished download (or one
made before every kind had its parts) and is never used. The cache is bounded: songs that are no longer queued go,
least recently used first, once it is over its size.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "media.v2.json"  # v2: the parts of every karaoke kind (v1 held three fixed ones)


@dataclass(frozen=True, slots=True)
class CachedSong:
    folder: Path
    media: dict[str, Any]  # the server's media reply; each part's file is its "name" here

    def path(self, part: str) -> Path | None:
        found = self.media.get("parts", {}).get(part)
        return self.folder / str(found["name"]) if found else None

    def paths(self) -> list[Path]:
        return [self.folder / str(found["name"]) for found in self.media.get("parts", {}).values()]


class SongCache:
    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        folder.mkdir(parents=True, exist_ok=True)

    def _song_folder(self, song_id: str) -> Path:
        if not song_id.isdigit():
            raise ValueError(f"bad venue song id {song_id!r}")
        return self.folder / song_id

    def get(self, song_id: str) -> CachedSong | None:
        folder = self._song_folder(song_id)
        try:
            media = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        song = CachedSong(folder, media)
        if not all(path.is_file() for path in song.paths()):
            return None
        os.utime(folder / MANIFEST)  # recently used: evicted last
        return song

    def partial(self, song_id: str) -> Path:
        """A clean folder to download into (what was there was unfinished)."""
        folder = self._song_folder(song_id)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def finish(self, song_id: str, media: dict[str, Any]) -> CachedSong:
        folder = self._song_folder(song_id)
        temporary = folder / f".{MANIFEST}.tmp"
        temporary.write_text(json.dumps(media, ensure_ascii=False), encoding="utf-8")
        temporary.replace(folder / MANIFEST)
        return CachedSong(folder, media)

    def evict(self, keep: set[str]) -> list[str]:
        """Drop unfinished downloads, then the least recently used songs not in `keep`
        until the cache fits its size. Returns the ids dropped."""
        entries: list[tuple[float, str, int]] = []
        total = 0
        dropped: list[str] = []
        for folder in self.folder.iterdir():
            if not folder.is_dir():
                continue
            manifest = folder / MANIFEST
            if not manifest.exists() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
                dropped.append(folder.name)
                continue
            size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
            total += size
            used = manifest.stat().st_mtime if manifest.exists() else time.time()
            entries.append((used, folder.name, size))
        for _, song_id, size in sorted(entries):
            if total <= self.max_bytes:
                break
            if song_id in keep:
                continue
            shutil.rmtree(self.folder / song_id, ignore_errors=True)
            total -= size
            dropped.append(song_id)
        return dropped
