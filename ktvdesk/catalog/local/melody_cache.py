"""Extracted melodies kept in the library database (`vocal_melodies`, created by the
library index's schema), so a song's vocal track is tracked once, not every time it plays.
It is the library's side of `ktvdesk.singing.reference.MelodyStore`: scoring sits below the
catalog and never opens the library database itself.

A row is valid while the vocal file (and its accompaniment file) keep their size and
modification time and the extractor keeps its version; anything else is a miss.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path

from ktvdesk.catalog.local.index import LibraryIndex
from ktvdesk.singing.extract import EXTRACTOR_VERSION, ExtractedNotes, VocalSource

log = logging.getLogger(__name__)


class MelodyCache:
    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=30)
        # The index creates the table; a bare database (the CLI's --db on a new file) needs it too.
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'vocal_melodies'").fetchone():
            conn.close()
            LibraryIndex(self.db_path).close()
            conn = sqlite3.connect(self.db_path, timeout=30)
        return conn

    @staticmethod
    def _key(source: VocalSource) -> tuple[str, int, int]:
        files = [source.path, *([source.accompaniment_path] if source.accompaniment_path else [])]
        stats = [os.stat(f) for f in files]
        key = json.dumps(
            [
                os.path.abspath(source.path),
                source.layout.value,
                source.original_track,
                source.accompaniment_track,
                source.vocal_channel.value,
                source.accompaniment_path,
            ]
        )
        return key, sum(s.st_size for s in stats), max(s.st_mtime_ns for s in stats)

    def get(self, source: VocalSource) -> ExtractedNotes | None:
        try:
            key, size, mtime_ns = self._key(source)
            with self._connect() as conn:
                row = conn.execute(
                    "SELECT size, mtime_ns, version, notes FROM vocal_melodies WHERE source = ?", (key,)
                ).fetchone()
        except (OSError, sqlite3.Error) as exc:
            log.warning("melody cache unreadable: %s", exc)
            return None
        if row is None or tuple(row[:3]) != (size, mtime_ns, EXTRACTOR_VERSION):
            return None
        return [(int(a), int(b), float(p)) for a, b, p in json.loads(row[3])]

    def put(self, source: VocalSource, notes: ExtractedNotes) -> None:
        try:
            key, size, mtime_ns = self._key(source)
            with self._connect() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO vocal_melodies VALUES (?, ?, ?, ?, ?)",
                    (key, size, mtime_ns, EXTRACTOR_VERSION, json.dumps(notes)),
                )
        except (OSError, sqlite3.Error) as exc:
            log.warning("melody cache not written: %s", exc)
