"""The venue's licensed song list: ZEGO has no search API in the seeds.

A JSON file (`catalog_file`) of `{"song_id", "title", "singers", "album", "duration_ms",
"tags"}` objects — what a venue exports from its ZEGO console / backend — is searched
locally by title and singer. Without one, search only resolves song ids typed in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ktvdesk.errors import ConfigError, UserMessage

_BAD_FILE = UserMessage("ZEGO 歌曲目录文件无法读取。", "The ZEGO song list file cannot be read.")


@dataclass(frozen=True, slots=True)
class VenueSong:
    song_id: str
    title: str
    singers: tuple[str, ...] = ()
    album: str | None = None
    duration_ms: int | None = None
    tags: tuple[str, ...] = ()

    def matches(self, needle: str) -> bool:
        return needle in self.title.casefold() or any(needle in s.casefold() for s in self.singers)


class VenueCatalog:
    def __init__(self, songs: list[VenueSong]) -> None:
        self.songs = songs
        self.by_id = {s.song_id: s for s in songs}

    @classmethod
    def load(cls, path: Path | None) -> VenueCatalog:
        if path is None:
            return cls([])
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"zego catalog {path}: {exc}", user_message=_BAD_FILE) from None
        entries = raw.get("songs", raw) if isinstance(raw, dict) else raw
        if not isinstance(entries, list):
            raise ConfigError(f"zego catalog {path}: expected a list of songs", user_message=_BAD_FILE)
        songs = []
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("song_id"):
                continue
            singers = entry.get("singers") or ()
            duration = entry.get("duration_ms")
            songs.append(
                VenueSong(
                    song_id=str(entry["song_id"]),
                    title=str(entry.get("title") or entry["song_id"]),
                    singers=tuple(str(s) for s in singers) if isinstance(singers, list) else (str(singers),),
                    album=str(entry["album"]) if entry.get("album") else None,
                    duration_ms=int(duration) if isinstance(duration, int | float) else None,
                    tags=tuple(str(t) for t in entry.get("tags") or ()),
                )
            )
        return cls(songs)

    def search(self, query: str) -> list[VenueSong]:
        needle = query.strip().casefold()
        return [s for s in self.songs if s.matches(needle)] if needle else []

    def tags(self) -> list[str]:
        return sorted({t for s in self.songs for t in s.tags})

    def by_tag(self, tag: str) -> list[VenueSong]:
        return [s for s in self.songs if tag in s.tags]
