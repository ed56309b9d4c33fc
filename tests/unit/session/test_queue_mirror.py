"""The mirror against real SQLite; the session runs without a player (no libVLC needed
for queue edits): playback-driven saves are covered by tests/ui/kiosk with real libVLC."""

from __future__ import annotations

import threading
from pathlib import Path

from ktvdesk.models import Song
from ktvdesk.queue_mirror import QueueMirror
from ktvdesk.session import KaraokeSession
from ktvdesk.storage import UserDatabase
from ktvdesk.storage.service import THREAD_NAME, UserDataService


def song(n: int) -> Song:
    return Song(provider="local", id=f"s{n}", title=f"Song {n}", singers=("Singer",), duration_ms=200_000)


async def test_every_edit_is_saved_and_restored_in_order(tmp_path: Path) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    session = KaraokeSession({}, None)
    mirror = QueueMirror(session, db.queue)
    ids = [session.enqueue(song(n)) for n in range(4)]
    session.move_to_top(ids[2])
    session.remove(ids[0])
    session.enqueue_next(song(9))
    assert [s.id for s in db.queue.load().songs] == ["s9", "s2", "s1", "s3"]
    mirror.close()
    db.close()

    db = UserDatabase(tmp_path / "user.sqlite3")
    restored_session = KaraokeSession({}, None)
    restored = QueueMirror(restored_session, db.queue).restore()
    assert [s.id for s in restored] == ["s9", "s2", "s1", "s3"]
    assert [e.item.id for e in restored_session.upcoming] == ["s9", "s2", "s1", "s3"]
    assert db.queue.load().current_index is None
    db.close()


async def test_restore_starts_from_the_song_that_was_on(tmp_path: Path) -> None:
    with UserDatabase(tmp_path / "user.sqlite3") as db:
        db.queue.save([song(1), song(2), song(3)], current_index=1, position_ms=42_000)
        session = KaraokeSession({}, None)
        mirror = QueueMirror(session, db.queue)
        assert [s.id for s in mirror.restore()] == ["s2", "s3"]
        # nothing plays yet in this session: the songs are all upcoming again
        assert [s.id for s in db.queue.load().songs] == ["s2", "s3"]


async def test_restore_of_an_empty_store_is_empty(tmp_path: Path) -> None:
    with UserDatabase(tmp_path / "user.sqlite3") as db:
        session = KaraokeSession({}, None)
        assert QueueMirror(session, db.queue).restore() == []
        assert session.upcoming == ()


async def test_restore_after_songs_queued_meanwhile_appends_them_without_a_resume(tmp_path: Path) -> None:
    """The one restore path: what the desktop gets when a song was queued before its
    "continue?" answer (the kiosk restores into an empty session: see above)."""
    with UserDatabase(tmp_path / "user.sqlite3") as db:
        db.queue.save([song(1), song(2)], current_index=0, position_ms=42_000)
        snapshot = db.queue.load()
        session = KaraokeSession({}, None)
        session.enqueue(song(9))
        mirror = QueueMirror(session, db.queue)
        assert [s.id for s in mirror.restore(snapshot)] == ["s1", "s2"]
        assert [e.item.id for e in session.upcoming] == ["s9", "s1", "s2"]
        assert mirror._resume_ms is None  # another song is on first: nothing to resume
        assert [s.id for s in db.queue.load().songs] == ["s9", "s1", "s2"]


async def test_saves_go_through_the_writer_in_order(tmp_path: Path) -> None:
    service = UserDataService(UserDatabase(tmp_path / "user.sqlite3"))
    threads: list[str] = []

    def write(job: object, what: str) -> None:
        def run(_db: UserDatabase) -> None:
            threads.append(threading.current_thread().name)
            job()  # type: ignore[operator]

        service.submit(run, what=what)

    session = KaraokeSession({}, None)
    mirror = QueueMirror(session, service.db.queue, write=write)
    ids = [session.enqueue(song(n)) for n in range(5)]
    session.remove(ids[0])
    session.move_to_top(ids[4])
    stored = await service.run(lambda db: db.queue.load())
    assert [s.id for s in stored.songs] == ["s4", "s1", "s2", "s3"]  # the last save stays
    assert len(threads) == mirror.saves and all(t.startswith(THREAD_NAME) for t in threads)
    mirror.close()
    await service.aclose()


def stored_queue(db: UserDatabase) -> list[tuple[str, str | None]]:
    snapshot = db.queue.load()
    return [(s.key, snapshot.singer_at(i)) for i, s in enumerate(snapshot.songs)]


def session_queue(session: KaraokeSession) -> list[tuple[str, str | None]]:
    return [(e.item.key, session.singers.singer_of(e.entry_id)) for e in session.upcoming]


async def test_sequences_of_edits_are_stored_exactly_and_restored_after_a_restart(tmp_path: Path) -> None:
    """Add (the host's, a phone's fair turn), remove, move, 置顶, clear and bulk adds on the
    session: after every edit the stored queue equals the session's, each edit's save
    writes only the rows it changed, and a restart restores the very queue, singers too."""
    import random

    rng = random.Random(7)
    db = UserDatabase(tmp_path / "user.sqlite3")
    session = KaraokeSession({}, None)
    mirror = QueueMirror(session, db.queue)
    fresh = iter(range(1000, 100_000))
    single_edit_writes: list[int] = []
    for step in range(250):
        ids = [e.entry_id for e in session.upcoming]
        roll = rng.random()
        with db.reading() as conn:
            before = conn.total_changes
        if roll < 0.25 or not ids:
            session.enqueue(song(rng.choice([next(fresh), rng.randrange(10)])))
        elif roll < 0.45:
            session.enqueue_for(song(next(fresh)), rng.choice(["甲", "乙", "丙"]))
        elif roll < 0.55:
            session.remove(rng.choice(ids))
        elif roll < 0.65:
            session.move_to_top(rng.choice(ids))
        elif roll < 0.75:
            session.move(rng.choice(ids), rng.randrange(len(ids)))
        elif roll < 0.78:
            session.clear()
        else:  # a bulk add (a playlist queued): one save per song
            for _ in range(rng.randint(5, 40)):
                session.enqueue(song(next(fresh)))
        with db.reading() as conn:
            writes = conn.total_changes - before
        if roll < 0.75 and ids:
            single_edit_writes.append(writes)
        assert stored_queue(db) == session_queue(session), step
    # One edit: the state row, a queue row or two (out, in) and maybe a new song row.
    assert max(single_edit_writes) <= 4
    expected = session_queue(session)
    assert len(expected) > 50
    mirror.close()
    db.close()

    db = UserDatabase(tmp_path / "user.sqlite3")
    restored_session = KaraokeSession({}, None)
    QueueMirror(restored_session, db.queue).restore()
    assert session_queue(restored_session) == expected
    assert stored_queue(db) == expected
    db.close()


async def test_a_burst_is_written_once_on_the_writer(tmp_path: Path) -> None:
    """Saves handed in while the writer is busy: only the newest runs, and it stores the
    queue as it is at the end of the burst."""
    service = UserDataService(UserDatabase(tmp_path / "user.sqlite3"))
    stores: list[int] = []

    def write(job: object, what: str) -> None:
        service.submit(lambda _db: job(), what=what)  # type: ignore[operator]

    session = KaraokeSession({}, None)
    mirror = QueueMirror(session, service.db.queue, write=write)
    saving = service.db.queue.save

    def counted(*args: object, **kwargs: object) -> None:
        stores.append(1)
        saving(*args, **kwargs)  # type: ignore[arg-type]

    service.db.queue.save = counted  # type: ignore[method-assign]
    gate = threading.Event()
    service.submit(lambda _db: gate.wait(), what="a slow job ahead of the burst")
    for n in range(30):
        session.enqueue_for(song(n), f"guest{n % 4}")
    gate.set()
    stored = await service.run(lambda db: db.queue.load())
    assert [s.key for s in stored.songs] == [e.item.key for e in session.upcoming]
    assert mirror.saves == 30 and len(stores) == 1
    mirror.close()
    await service.aclose()
