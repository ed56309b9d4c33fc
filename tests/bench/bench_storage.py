"""User database at scale: 100,000 plays, 1,000 playlists, 1,000 favorites, a 50-song queue.

Times what the views need when they open (target < 50 ms each), cold (a freshly opened
database, empty song cache, as at start-up) and warm (repeats on one database): medians
are printed; the target is judged on the best run (like `timeit`), because on a shared
machine other processes only ever add time; the load average is printed alongside. Baseline:
the same data in the same run, copied with `VACUUM INTO` and stripped of the indexes and the
`song_stats` summary, read with the straightforward queries (sort/aggregate at read time),
parsing songs the same way. Also: write latency (FULL vs NORMAL sync), the CPU of one
queue save on a 300-song queue (the incremental save against the full rewrite it replaced,
kept here as the baseline), and many more SIGKILL rounds than `make test` runs.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType

from ktvdesk.models import Song
from ktvdesk.storage import PlayOutcome, UserDatabase
from ktvdesk.storage.songs import song_row

HISTORY_ROWS = 100_000
PLAYLISTS = 1_000
PLAYLIST_SIZE = 20
FAVORITES = 1_000
DISTINCT_SONGS = 5_000
QUEUE = 50
PAGE = 50
TOP = 20
SCREEN_ROWS = 30  # rows a list view draws when it opens
REPEATS = 15
COLD_REPEATS = 5
TARGET_MS = 50.0
BENCH_KILLS = 150
T0 = 1_700_000_000_000


def _song(n: int) -> Song:
    provider = ("local", "yinsuda", "xiaowei", "zego")[n % 4]
    return Song(
        provider=provider,
        id=f"{n}",
        title=f"测试歌曲 {n}",
        singers=(f"歌手 {n % 300}", f"Guest {n % 17}") if n % 3 == 0 else (f"歌手 {n % 300}",),
        album=f"专辑 {n % 500}",
        covers={"small": f"https://cdn.invalid/{n}/s.jpg", "large": f"https://cdn.invalid/{n}/l.jpg"},
        duration_ms=150_000 + n % 120_000,
        has_lyrics=True,
        path=f"/music/{n}.mkv" if provider == "local" else None,
    )


def _fill(db: UserDatabase) -> None:
    rng = random.Random(7)
    songs = [_song(n) for n in range(DISTINCT_SONGS)]
    weights = [1 / (rank + 1) for rank in range(DISTINCT_SONGS)]  # a few favourites dominate
    played = rng.choices(songs, weights, k=HISTORY_ROWS)
    with db.transaction():
        for i, item in enumerate(played):
            db.history.record(
                item,
                listened_ms=rng.randrange(0, 300_000),
                outcome=PlayOutcome.COMPLETED if rng.random() < 0.7 else PlayOutcome.SKIPPED,
                vocal_mode=rng.choice(("original", "accompaniment")),
                played_at_ms=T0 + i * 60_000 + rng.randrange(-30_000, 30_000),
            )
        for n in range(PLAYLISTS):
            db.playlists.create(f"歌单 {n}", rng.sample(songs, PLAYLIST_SIZE))
        for item in rng.sample(songs, FAVORITES):
            db.favorites.add(item)
        db.queue.save(rng.sample(songs, QUEUE), 3, 42_000)


# -- baseline: same data, no indexes / summary, aggregation at read time --------------------------


def _baseline_copy(source: Path, path: Path) -> sqlite3.Connection:
    copier = sqlite3.connect(source, isolation_level=None)
    copier.execute("VACUUM INTO ?", (str(path),))
    copier.close()
    raw = sqlite3.connect(path, isolation_level=None)
    for (name,) in raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall():
        raw.execute(f"DROP INDEX {name}")
    raw.execute("DROP TRIGGER history_stats")
    raw.execute("DROP TABLE song_stats")
    return raw


_COLS = "s.json"


def _parse(rows: list[tuple[object, ...]]) -> list[str]:
    return [Song.model_validate_json(str(row[0])).key for row in rows]


def _baseline_favorites(raw: sqlite3.Connection) -> list[str]:
    rows = raw.execute(
        f"SELECT {_COLS}, f.added_at_ms FROM favorites f JOIN songs s ON s.id = f.song"
        " ORDER BY f.added_at_ms DESC, f.rowid DESC"
    ).fetchall()
    return _parse(rows)


def _baseline_history(raw: sqlite3.Connection) -> list[str]:
    page = raw.execute(
        f"SELECT {_COLS}, h.played_at_ms FROM history h JOIN songs s ON s.id = h.song"
        " ORDER BY h.played_at_ms DESC, h.id DESC LIMIT ?",
        (PAGE,),
    ).fetchall()
    sung = "(h.outcome = 'completed' OR h.listened_ms >= 60000)"
    most = raw.execute(
        f"""SELECT {_COLS}, count(*) AS n, max(h.played_at_ms) AS last FROM history h
            JOIN songs s ON s.id = h.song WHERE {sung} GROUP BY h.song ORDER BY n DESC, last DESC LIMIT ?""",
        (TOP,),
    ).fetchall()
    recent = raw.execute(
        f"""SELECT {_COLS}, max(h.played_at_ms) AS last FROM history h
            JOIN songs s ON s.id = h.song WHERE {sung} GROUP BY h.song ORDER BY last DESC LIMIT ?""",
        (TOP,),
    ).fetchall()
    return _parse(page) + _parse(most) + _parse(recent)


def _baseline_queue(raw: sqlite3.Connection) -> list[str]:
    rows = raw.execute(
        f"SELECT {_COLS} FROM queue_items q JOIN songs s ON s.id = q.song ORDER BY q.position"
    ).fetchall()
    raw.execute("SELECT current_index, position_ms FROM queue_state WHERE id = 1").fetchone()
    return _parse(rows)


def _baseline_playlists(raw: sqlite3.Connection) -> list[str]:
    rows = raw.execute(
        """SELECT p.id, p.name, (SELECT count(*) FROM playlist_items i WHERE i.playlist = p.id)
           FROM playlists p ORDER BY p.created_at_ms, p.id"""
    ).fetchall()
    items = raw.execute(
        f"SELECT {_COLS} FROM playlist_items i JOIN songs s ON s.id = i.song WHERE i.playlist = ? ORDER BY i.position",
        (rows[len(rows) // 2][0],),
    ).fetchall()
    return [str(row[1]) for row in rows] + _parse(items)


# -- ktvdesk -------------------------------------------------------------------------------------


def _ours_favorites(db: UserDatabase) -> list[str]:
    """What the view needs to open: every row's key/title/singers (columns) and the first
    screen's songs and availability (parsed on demand, as a Qt model asks per drawn row)."""
    rows = db.favorites.entries()
    for row in rows[:SCREEN_ROWS]:
        assert row.song.title and row.entry.available
    return [row.entry.key for row in rows if row.entry.title]


def _ours_favorites_all_parsed(db: UserDatabase) -> list[str]:
    return [row.song.key for row in db.favorites.entries()]


def _ours_history(db: UserDatabase) -> list[str]:
    page = [h.song.key for h in db.history.page(limit=PAGE).items]
    most = [s.song.key for s in db.history.most_sung(limit=TOP)]
    return page + most + [s.song.key for s in db.history.recently_sung(limit=TOP)]


def _ours_queue(db: UserDatabase) -> list[str]:
    return [e.key for e in db.queue.load().entries]


def _ours_playlists(db: UserDatabase) -> list[str]:
    summaries = db.playlists.summaries()
    middle = db.playlists.entries(summaries[len(summaries) // 2].id)
    return [s.name for s in summaries] + [e.key for e in middle]


def _ms(call: Callable[[], list[str]]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _crash_writer() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "integration" / "storage" / "crash_writer.py"
    spec = importlib.util.spec_from_file_location("ktvdesk_storage_crash_writer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_view_loads_at_scale(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    start = time.perf_counter()
    with UserDatabase(path) as db:
        _fill(db)
        fill_s = time.perf_counter() - start
        assert db.history.count() == HISTORY_ROWS and len(db.playlists.summaries()) == PLAYLISTS
    raw = _baseline_copy(path, tmp_path / "baseline.sqlite3")
    print(
        f"\nuser database: {HISTORY_ROWS:,} plays, {PLAYLISTS:,} playlists x {PLAYLIST_SIZE}, "
        f"{FAVORITES:,} favorites, {QUEUE}-song queue; filled in {fill_s:.1f} s; "
        f"file {path.stat().st_size / 1e6:.1f} MB"
    )
    # (name, ours, baseline, judged against the target)
    views: list[
        tuple[str, Callable[[UserDatabase], list[str]], Callable[[sqlite3.Connection], list[str]], bool]
    ] = [
        (
            f"Favorites view ({FAVORITES} rows, {SCREEN_ROWS} drawn)",
            _ours_favorites,
            _baseline_favorites,
            True,
        ),
        (f"  (info) all {FAVORITES} songs parsed", _ours_favorites_all_parsed, _baseline_favorites, False),
        (f"History view (page {PAGE} + most/recent {TOP})", _ours_history, _baseline_history, True),
        (f"persisted queue ({QUEUE} songs)", _ours_queue, _baseline_queue, True),
        (f"Playlists view ({PLAYLISTS} + one list)", _ours_playlists, _baseline_playlists, True),
    ]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'median ms':46} {'cold':>8} {'warm':>8} {'baseline':>9} {'base/cold':>10} {'base/warm':>10}"
        f" {'best cold':>10}  target < {TARGET_MS:.0f} ms (best run)"
    )
    failures = []
    for name, ours, baseline, judged in views:
        cold = []
        for _ in range(COLD_REPEATS):  # a new database object each time: nothing cached
            with UserDatabase(path) as fresh:
                elapsed, ours_result = _ms(partial(ours, fresh))
            cold.append(elapsed)
        with UserDatabase(path) as db:
            warm = [_ms(partial(ours, db))[0] for _ in range(REPEATS)]
        base = [_ms(partial(baseline, raw)) for _ in range(max(3, REPEATS // 3))]
        assert all(result == ours_result for _, result in base), name  # the very same answer
        cold_ms, warm_ms = statistics.median(cold), statistics.median(warm)
        base_ms = statistics.median(elapsed for elapsed, _ in base)
        ok = max(min(cold), min(warm)) < TARGET_MS
        failures += [] if ok or not judged else [name]
        verdict = ("ok" if ok else "SLOW") if judged else "-"
        print(
            f"{name:46} {cold_ms:8.2f} {warm_ms:8.2f} {base_ms:9.2f} {base_ms / cold_ms:9.1f}x"
            f" {base_ms / warm_ms:9.1f}x {min(cold):10.2f}  {verdict}"
        )
    raw.close()
    assert failures == []


def test_write_latency(tmp_path: Path) -> None:
    """One user action = one commit; FULL pays an fsync of the WAL, NORMAL (position ticks) does not."""
    with UserDatabase(tmp_path / "user.sqlite3") as db:
        songs = [_song(n) for n in range(200)]
        db.queue.save(songs[:QUEUE], 0)
        fav = [_timed(partial(db.favorites.add, songs[i])) for i in range(100)]
        queue = [_timed(partial(db.queue.save, songs[i : i + QUEUE], 0)) for i in range(100)]
        tick = [_timed(partial(db.queue.set_position, i * 1000)) for i in range(100)]
    print("\nwrite latency, median of 100 (each commit durable unless noted):")
    fav_ms, queue_ms, tick_ms = statistics.median(fav), statistics.median(queue), statistics.median(tick)
    print(f"  favorite add (FULL)             {fav_ms:7.2f} ms")
    print(f"  queue save, 50 songs (FULL)     {queue_ms:7.2f} ms")
    print(f"  position tick (NORMAL) baseline {tick_ms:7.2f} ms   FULL/NORMAL ratio {fav_ms / tick_ms:5.1f}x")


LONG_QUEUE = 300
QUEUE_EDITS = 300


def _full_rewrite_save(db: UserDatabase, songs: list[Song], singers: list[str | None]) -> None:
    """The queue save before session 4, the baseline: every song dumped to JSON and
    upserted, and on any difference every queue row deleted and inserted again."""
    with db.transaction() as conn:
        ids = db.songs.upsert_rows(conn, [song_row(song) for song in songs])
        rows = list(zip(ids, singers, strict=True))
        stored = [
            (int(r[0]), r[1]) for r in conn.execute("SELECT song, singer FROM queue_items ORDER BY position")
        ]
        if stored != rows:
            conn.execute("DELETE FROM queue_items")
            conn.executemany(
                "INSERT INTO queue_items (position, song, singer) VALUES (?, ?, ?)",
                [(position, song, singer) for position, (song, singer) in enumerate(rows)],
            )
        conn.execute(
            """INSERT INTO queue_state (id, current_index, position_ms, updated_at_ms) VALUES (1, 0, 0, ?)
               ON CONFLICT (id) DO UPDATE SET current_index = 0, position_ms = 0,
                   updated_at_ms = excluded.updated_at_ms""",
            (db.clock_ms(),),
        )


def _queue_edit(rng: random.Random, songs: list[Song], singers: list[str | None], fresh: list[int]) -> None:
    """One change to tonight's queue as a busy room makes them (the same Song objects stay
    in the queue from save to save, as in the session)."""
    roll = rng.random()
    if roll < 0.45 or len(songs) < LONG_QUEUE - 20:  # a phone's song, placed by the turn order
        at = rng.randint(1, len(songs))
        fresh[0] += 1
        songs.insert(at, _song(fresh[0]))
        singers.insert(at, f"guest{fresh[0] % 50}")
    elif roll < 0.65:
        at = rng.randrange(1, len(songs))
        del songs[at], singers[at]
    elif roll < 0.8:  # 置顶
        at = rng.randrange(2, len(songs))
        songs.insert(1, songs.pop(at))
        singers.insert(1, singers.pop(at))
    elif roll < 0.9:  # the next song starts
        del songs[0], singers[0]
    else:  # a drag
        at, to = rng.randrange(1, len(songs)), rng.randrange(1, len(songs))
        songs.insert(to, songs.pop(at))
        singers.insert(to, singers.pop(at))


def test_queue_save_cpu(tmp_path: Path) -> None:
    """CPU per save of a 300-song queue on the user-data thread (its GIL time is what the
    lyric view's frames compete with): the same edits saved incrementally and, in another
    database, by the full rewrite, alternately, in the same run."""
    rng = random.Random(300)
    songs: list[Song] = [_song(n) for n in range(LONG_QUEUE)]
    singers: list[str | None] = [f"guest{n % 50}" for n in range(LONG_QUEUE)]
    fresh = [DISTINCT_SONGS]
    ours: list[float] = []
    baseline: list[float] = []
    with UserDatabase(tmp_path / "ours.sqlite3") as db, UserDatabase(tmp_path / "full.sqlite3") as full:
        db.queue.save(songs, 0, 0, singers)
        _full_rewrite_save(full, songs, singers)
        for n in range(QUEUE_EDITS):
            _queue_edit(rng, songs, singers, fresh)
            runs = [
                (ours, partial(db.queue.save, list(songs), 0, 0, list(singers))),
                (baseline, partial(_full_rewrite_save, full, list(songs), list(singers))),
            ]
            for times, save in runs if n % 2 else runs[::-1]:
                start = time.process_time()
                save()
                times.append((time.process_time() - start) * 1000)
        stored, reference = db.queue.load(), full.queue.load()
        assert list(stored.songs) == songs == list(reference.songs)
        assert list(stored.singers) == singers == list(reference.singers)
    ours_ms, base_ms = statistics.median(ours), statistics.median(baseline)
    print(
        f"\nqueue save CPU, {LONG_QUEUE}-song queue, median of {QUEUE_EDITS} edits (add/remove/top/next/drag): "
        f"incremental {ours_ms:.2f} ms (p90 {sorted(ours)[int(0.9 * len(ours))]:.2f}), "
        f"full rewrite baseline {base_ms:.2f} ms (p90 {sorted(baseline)[int(0.9 * len(baseline))]:.2f}): "
        f"{base_ms / ours_ms:.1f}x less CPU; load average {os.getloadavg()[0]:.1f}"
    )


def test_many_sigkills(tmp_path: Path) -> None:
    start = time.perf_counter()
    report = _crash_writer().run_kill_rounds(tmp_path / "user.sqlite3", kills=BENCH_KILLS, seed=4242)
    elapsed = time.perf_counter() - start
    print(
        f"\ncrash safety: {report.kills} SIGKILLs survived in {elapsed:.0f} s; {report.acks} acknowledged "
        f"changes all present; {report.mid_write_kills} kills aimed mid-write; "
        f"{report.in_flight_committed} unacknowledged commits found; "
        f"{report.fresh_database_kills} kills during database creation; failures: {report.failures or 'none'}"
    )
    assert report.failures == [] and report.kills == BENCH_KILLS
