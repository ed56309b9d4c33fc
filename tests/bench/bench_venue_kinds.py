"""`venue scan` of a mixed song store with and without the karaoke kinds, against a real
PostgreSQL, next to the local SQLite scanner on the same files in the same run.

Run: `.venv/bin/pytest tests/bench/bench_venue_kinds.py -s` (make bench). Sizes:
KTVDESK_BENCH_KINDS_PLAIN (plain songs, default 4,000), KTVDESK_BENCH_KINDS_EACH (songs of
each karaoke kind, default 250: UltraStar folders, MP3+G pairs, MP3+G zips, `.kar`) and
KTVDESK_BENCH_KINDS_ROUNDS (each scan is repeated and the best kept, default 2).

The store holds the plain songs (tiny valid MP3s, as `bench_venue.py`) first alone, then
with the karaoke songs beside them: each karaoke song is more than one file to read (the
`.txt` parsed, the `.cdg` checked, the zip listed, the MIDI file parsed) and, now that rooms
play them, one row more to write.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import psycopg

from ktvdesk.catalog.local import LibraryIndex
from ktvdesk.venue import library
from ktvdesk.venue.schema import migrate
from tests.bench.bench_venue import _make_store, _tiny_mp3
from tests.unit.formats.cdg_encoder import make_cdg
from tests.unit.formats.wild import wild_root
from tests.venue_servers import postgres

PLAIN = int(os.environ.get("KTVDESK_BENCH_KINDS_PLAIN", "4000"))
EACH = int(os.environ.get("KTVDESK_BENCH_KINDS_EACH", "250"))
ROUNDS = int(os.environ.get("KTVDESK_BENCH_KINDS_ROUNDS", "2"))
T = TypeVar("T")

ULTRASTAR = """#TITLE:Lied {n}
#ARTIST:Bench Band {n}
#MP3:song.mp3
#INSTRUMENTAL:instrumental.mp3
#BPM:300
#GAP:500
: 0 8 0 La
: 10 8 2 la
- 20
* 20 10 4 la
E
"""


def _add_karaoke(root: Path, each: int) -> None:
    audio, graphics = _tiny_mp3(), make_cdg(seconds=1.0).data
    kar = (wild_root() / "kar" / "dmidiplayer_twinkle.kar").read_bytes()
    for n in range(each):
        folder = root / "UltraStar" / f"Bench Band {n} - Lied {n}"
        folder.mkdir(parents=True)
        (folder / "song.txt").write_text(ULTRASTAR.format(n=n), encoding="utf-8")
        (folder / "song.mp3").write_bytes(audio)
        (folder / "instrumental.mp3").write_bytes(audio)
        pairs = root / "MP3G" / f"{n // 100:02d}"
        pairs.mkdir(parents=True, exist_ok=True)
        (pairs / f"SC{n:04d}-01 - Paar Band - Lied {n}.cdg").write_bytes(graphics)
        (pairs / f"SC{n:04d}-01 - Paar Band - Lied {n}.mp3").write_bytes(audio)
        with zipfile.ZipFile(pairs / f"Zip Band - Lied {n}.zip", "w") as archive:
            archive.writestr(f"Zip Band - Lied {n}.cdg", graphics)
            archive.writestr(f"Zip Band - Lied {n}.mp3", audio)
        midi = root / "MIDI" / f"{n // 100:02d}"
        midi.mkdir(parents=True, exist_ok=True)
        (midi / f"Midi Band - Lied {n}.kar").write_bytes(kar)


@dataclass
class Scan:
    """The best of the rounds: wall time and this process's CPU time (PostgreSQL's own
    work shows in the wall time only)."""

    venue_s: float = float("inf")
    venue_cpu_s: float = float("inf")
    local_s: float = float("inf")
    local_cpu_s: float = float("inf")
    venue_songs: int = 0
    local_songs: int = 0


def _timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _scan_both(store: Path, dsn: str, index_path: Path, best: Scan) -> None:
    """A first scan of `store` by the local SQLite scanner and into an empty venue."""
    index_path.unlink(missing_ok=True)
    index = LibraryIndex(index_path)
    local, wall, cpu = _timed(lambda: index.scan(store))
    index.close()
    best.local_s, best.local_cpu_s, best.local_songs = (
        min(best.local_s, wall),
        min(best.local_cpu_s, cpu),
        local.added,
    )
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        conn.commit()
        migrate(conn)
        venue, wall, cpu = _timed(lambda: library.scan(conn, [store]))
    best.venue_s, best.venue_cpu_s, best.venue_songs = (
        min(best.venue_s, wall),
        min(best.venue_cpu_s, cpu),
        venue.added,
    )


def test_scan_with_and_without_the_karaoke_kinds(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    _make_store(plain, PLAIN)
    mixed = tmp_path / "mixed"
    shutil.copytree(plain, mixed)
    _add_karaoke(mixed, EACH)
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; best of {ROUNDS} rounds")
    stores = {"plain songs only": plain, f"plus {4 * EACH:,} karaoke songs": mixed}
    figures = {name: Scan() for name in stores}
    with postgres() as pg:
        for _ in range(ROUNDS):
            for name, store in stores.items():
                _scan_both(store, pg.dsn, tmp_path / "local.db", figures[name])
    base = figures["plain songs only"]
    for name, scan in figures.items():
        print(
            f"{name}: venue {scan.venue_s:.1f} s wall / {scan.venue_cpu_s:.1f} s CPU for {scan.venue_songs:,} songs "
            f"({1000 * scan.venue_s / scan.venue_songs:.2f} ms a song; {scan.venue_s / base.venue_s:.2f}× the plain "
            f"store); local SQLite {scan.local_s:.1f} s wall / {scan.local_cpu_s:.1f} s CPU "
            f"(venue / local {scan.venue_s / scan.local_s:.2f}× wall, {scan.venue_cpu_s / scan.local_cpu_s:.2f}× CPU)"
        )
        assert (
            scan.venue_songs == scan.local_songs
        )  # every kind is served: the venue has what the local library has
