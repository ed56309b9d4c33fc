"""The venue catalog in a real PostgreSQL: scan, incremental rescan, folded search, charts."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from ktvdesk.venue import library, rooms
from ktvdesk.venue.schema import SCHEMA_VERSION, migrate


@pytest.fixture
def store(demo_dir: Path, tmp_path: Path) -> Path:
    """The song store on the "NAS": a copy of the demo library the test may change."""
    store = tmp_path / "nas"
    shutil.copytree(demo_dir, store)
    return store


def test_migrate_is_idempotent(db: psycopg.Connection[object]) -> None:
    assert migrate(db) == SCHEMA_VERSION
    row = db.execute("SELECT count(*) FROM schema_version").fetchone()
    assert row == (SCHEMA_VERSION,)


def test_scan_then_search_by_title_pinyin_initials_and_singer(
    db: psycopg.Connection[object], store: Path
) -> None:
    summary = library.scan(db, [store])
    assert summary.added >= 6 and summary.updated == 0 and summary.removed == 0

    for query in ("茉莉花", "molihua", "mlh", "MLH", "茉莉"):
        found = library.search(db, query)
        assert found and found[0].title == "茉莉花", query
    assert library.search(db, "莉")[0].title == "茉莉花"  # one character: the grams index
    assert library.search(db, "no such song at all") == []


def test_rescan_is_incremental_and_removal_is_seen(db: psycopg.Connection[object], store: Path) -> None:
    first = library.scan(db, [store])
    again = library.scan(db, [store])
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)

    victim = next(store.glob("*Amazing Grace.mkv"))
    victim.unlink()
    third = library.scan(db, [store])
    assert third.removed == 1
    assert library.search(db, "Amazing Grace") == []


def test_unreadable_root_keeps_songs_and_is_reported(db: psycopg.Connection[object], store: Path) -> None:
    library.scan(db, [store])
    moved = store.with_name("unplugged")
    store.rename(moved)
    report = library.scan(db, [store])
    assert report.skipped == ((str(store), "folder not found"),)
    assert library.search(db, "mlh")  # an unplugged NAS does not wipe the catalog
    status = library.scan_status(db)
    assert status["last_scan"]["skipped"] == 1
    assert {"path": str(store), "reason": "folder not found"} in status["unplayable"]


def test_requests_are_counted_once_and_rank_the_chart(db: psycopg.Connection[object], demo_dir: Path) -> None:
    library.scan(db, [demo_dir])
    rooms.add_room(db, "101")
    song = library.search(db, "mlh")[0]
    now = datetime.now(UTC)
    assert rooms.record_request(db, "101", "req-1", song.id, singer="Ann", requested_at=now)
    assert not rooms.record_request(db, "101", "req-1", song.id, singer="Ann", requested_at=now)  # replayed
    assert rooms.record_request(db, "101", "req-2", song.id, singer="Bob", requested_at=now)
    chart = library.chart(db, days=1)
    assert [(entry.title, count) for entry, count in chart] == [("茉莉花", 2)]
    assert library.chart(db, days=1, now=now + timedelta(days=2)) == []
    # The request count feeds the search ranking: the requested song now comes first.
    assert library.songs(db, [song.id])[0].request_count == 2


def test_a_broken_karaoke_file_is_reported_not_offered(db: psycopg.Connection[object], store: Path) -> None:
    (store / "Nobody - Broken.kar").write_bytes(b"MThd\x00\x00\x00\x06\x00\x01")  # a truncated MIDI file
    summary = library.scan(db, [store])
    assert summary.added == 6  # the demo songs only
    reasons = dict(summary.skipped)
    assert str(store / "Nobody - Broken.kar") in reasons
    assert library.search(db, "Broken") == []


def test_one_character_ranks_by_requests_and_keeps_them_across_a_rescan(
    db: psycopg.Connection[object],
) -> None:
    from ktvdesk.catalog.local.scanner import SongRecord

    def record(title: str, mtime_ns: int = 1) -> SongRecord:
        return SongRecord(
            path=f"/nas/{title}.mkv".encode(), size=1, mtime_ns=mtime_ns, signature="", title=title
        )

    library.write_records(db, [record("爱一"), record("爱二"), record("爱三")])
    rooms.add_room(db, "101")
    loved = library.search(db, "爱三")[0]
    now = datetime.now(UTC)
    for n in range(2):
        rooms.record_request(db, "101", f"r{n}", loved.id, singer=None, requested_at=now)
    assert [s.title for s in library.search(db, "爱")] == ["爱三", "爱一", "爱二"]
    library.write_records(db, [record("爱三", mtime_ns=2)])  # the file changed on the NAS
    assert [s.title for s in library.search(db, "爱")] == ["爱三", "爱一", "爱二"]
