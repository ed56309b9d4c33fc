"""Singers survive a restart: the queue mirror stores who sings each entry (schema
version 5) and the restore gives it back to the session, so the stage's banner and the
phones still say who sings. Real SQLite files, real sessions (no player needed: the
queue is not advanced), the remote's own state view."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ktvdesk.models import Song
from ktvdesk.queue_mirror import QueueMirror
from ktvdesk.remote.room import RemoteRoom
from ktvdesk.session import KaraokeSession
from ktvdesk.storage import SCHEMA_VERSION, UserDatabase
from ktvdesk.storage.connection import configure, connect
from ktvdesk.storage.migrations import migrate


def song(n: int) -> Song:
    return Song(provider="local", id=f"s{n}", title=f"Song {n}", singers=("Singer",), duration_ms=200_000)


def test_a_restored_queue_keeps_each_singer(tmp_path: Path) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    session = KaraokeSession({}, None)
    mirror = QueueMirror(session, db.queue)
    session.enqueue_for(song(1), "小林")
    session.enqueue_for(song(2), "Ming")
    session.enqueue(song(3))  # the host at the desk: nobody named
    session.enqueue_for(song(4), "小林")
    expected = [(e.item.id, session.singers.singer_of(e.entry_id)) for e in session.upcoming]
    assert expected == [("s1", "小林"), ("s2", "Ming"), ("s3", None), ("s4", "小林")]  # fair turns
    mirror.close()
    db.close()

    db = UserDatabase(tmp_path / "user.sqlite3")  # the next run
    restored = KaraokeSession({}, None)
    QueueMirror(restored, db.queue).restore(db.queue.load())
    assert [(e.item.id, restored.singers.singer_of(e.entry_id)) for e in restored.upcoming] == expected
    # What the phones see after the restart.
    room = RemoteRoom(restored)
    assert [(e["song"]["id"], e["singer"]) for e in room.state()["queue"]] == expected
    room.close()
    # Saving again keeps them (and a singer change alone is a change worth saving).
    restored.singers.assign(restored.upcoming[2].entry_id, "Ann")
    QueueMirror(restored, db.queue).save()
    assert db.queue.load().singers == ("小林", "Ming", "Ann", "小林")
    db.close()


def test_the_song_that_was_on_keeps_its_singer(tmp_path: Path) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    db.queue.save([song(1), song(2)], 0, 42_000, ["Ming", None])
    snapshot = db.queue.load()
    assert snapshot.singers == ("Ming", None) and snapshot.current_index == 0
    session = KaraokeSession({}, None)
    QueueMirror(session, db.queue).restore(snapshot)
    first, second = session.upcoming
    assert session.singers.singer_of(first.entry_id) == "Ming"  # the banner's "Next: Ming — Song 1"
    assert session.singers.singer_of(second.entry_id) is None
    db.close()


def test_a_version_4_queue_opens_without_singers(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    conn = connect(path)
    configure(conn)
    assert migrate(conn, target=4) == 4
    item = song(7)
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO songs (id, key, provider, song_id, title, singers, json, updated_at_ms)"
        " VALUES (1, ?, 'local', 's7', 'Song 7', 'Singer', ?, 1)",
        (item.key, item.model_dump_json()),
    )
    conn.execute("INSERT INTO queue_items (position, song) VALUES (0, 1)")
    conn.execute("COMMIT")
    conn.close()

    with UserDatabase(path) as db:
        assert db.schema_version() == SCHEMA_VERSION >= 5
        snapshot = db.queue.load()
        assert snapshot.songs == (item,) and snapshot.singers == (None,)
        db.queue.save([item], None, 0, ["Bo"])
        assert db.queue.load().singers == ("Bo",)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT singer FROM queue_items").fetchall() == [("Bo",)]
