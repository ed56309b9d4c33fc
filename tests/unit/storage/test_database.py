"""Opening, durability settings, transactions, error mapping and thread safety."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from ktvdesk.errors import StorageError
from ktvdesk.models import Song
from ktvdesk.storage import SCHEMA_VERSION, UserDatabase
from ktvdesk.storage import connection as connection_module


def _pragma(db: UserDatabase, name: str) -> object:
    with db.reading() as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_open_creates_the_file_in_missing_folders_with_wal_fk_and_full_sync(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with UserDatabase(db_path) as db:
        assert db_path.is_file()
        assert _pragma(db, "journal_mode") == "wal"
        assert _pragma(db, "foreign_keys") == 1
        assert _pragma(db, "synchronous") == 2  # FULL
        assert db.schema_version() == SCHEMA_VERSION
        assert db.integrity_check() == "ok"
    assert db.closed


def test_reopen_keeps_data(db_path: Path, song: Callable[..., Song]) -> None:
    with UserDatabase(db_path) as db:
        db.favorites.add(song(1))
    with UserDatabase(db_path) as db:
        assert [f.song for f in db.favorites.entries()] == [song(1)]


def test_a_file_that_is_not_a_database_gives_a_clear_error_and_is_left_alone(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    garbage = bytes(range(256)) * 64
    db_path.write_bytes(garbage)
    with pytest.raises(StorageError) as caught:
        UserDatabase(db_path)
    assert caught.value.code == "corrupt"
    assert "损坏" in caught.value.message("zh_CN") and "damaged" in caught.value.message("en")
    assert db_path.read_bytes() == garbage


def test_a_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    with UserDatabase(db_path):
        pass
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StorageError) as caught:
        UserDatabase(db_path)
    assert caught.value.code == "schema_too_new"
    assert "newer" in caught.value.message("en")
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    raw.close()


def test_an_unwritable_location_gives_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError) as caught:
        UserDatabase(blocker / "sub" / "user.sqlite3")
    assert caught.value.code == "open"


def test_an_unopenable_journal_gives_an_open_error_not_a_crash(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    Path(f"{db_path}-wal").mkdir()  # SQLite cannot create its write-ahead log
    with pytest.raises(StorageError) as caught:
        UserDatabase(db_path)
    assert caught.value.code == "open"
    assert "opened" in caught.value.message("en") and "打开" in caught.value.message("zh")


def test_calls_after_close_raise_storage_error(db: UserDatabase, song: Callable[..., Song]) -> None:
    db.close()
    db.close()  # idempotent
    with pytest.raises(StorageError):
        db.favorites.add(song(1))


def test_transaction_groups_operations_and_rolls_back_all_on_error(
    db: UserDatabase, song: Callable[..., Song]
) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        db.favorites.add(song(1))
        db.playlists.create("P", [song(2)])
        raise RuntimeError("boom")
    assert db.favorites.count() == 0
    assert db.playlists.summaries() == []
    with db.transaction():
        db.favorites.add(song(1))
        db.favorites.add(song(2))
    assert db.favorites.count() == 2


def test_a_failed_inner_operation_rolls_back_only_itself(db: UserDatabase, song: Callable[..., Song]) -> None:
    with db.transaction():
        db.favorites.add(song(1))
        with pytest.raises(StorageError):
            db.playlists.rename(999, "missing")
        with pytest.raises(RuntimeError), db.transaction():
            db.favorites.add(song(2))
            raise RuntimeError("inner")
        db.favorites.add(song(3))
    assert db.favorites.keys() == {song(1).key, song(3).key}


def test_position_ticks_commit_with_normal_sync_and_restore_full(
    db: UserDatabase, song: Callable[..., Song]
) -> None:
    db.queue.save([song(1)], 0)
    seen: list[object] = []
    with db.transaction(durable=False):
        seen.append(_pragma(db, "synchronous"))
    db.queue.set_position(5_000)
    seen.append(_pragma(db, "synchronous"))
    db.favorites.add(song(2))
    seen.append(_pragma(db, "synchronous"))
    assert seen == [1, 1, 2]  # NORMAL, NORMAL, back to FULL for the favorite
    assert db.queue.load().position_ms == 5_000


def test_a_writer_in_another_process_makes_writes_fail_as_busy_not_hang(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, song: Callable[..., Song]
) -> None:
    monkeypatch.setattr(connection_module, "BUSY_TIMEOUT_S", 0.05)
    with UserDatabase(db_path) as db:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StorageError) as caught:
                db.favorites.add(song(1))
            assert caught.value.code == "busy" and caught.value.retryable
            assert db.favorites.count() == 0  # reads still work under WAL
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert db.favorites.add(song(1))


def test_many_threads_share_one_database(db: UserDatabase, song: Callable[..., Song]) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(base: int) -> None:
        try:
            start.wait()
            for n in range(base, base + 50):
                db.favorites.add(song(n))
                db.queue.save([song(n), song(n + 1)], 1)
                db.history.page(limit=5)
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 1000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.favorites.count() == 200
    assert len(db.queue.load().entries) == 2
    assert db.integrity_check() == "ok"
    assert db.foreign_key_violations() == 0


def test_a_failed_commit_rolls_back_and_leaves_the_connection_usable(
    db: UserDatabase, song: Callable[..., Song]
) -> None:
    # A deferred foreign key violation surfaces only at COMMIT, like a full disk would.
    with pytest.raises(StorageError) as caught, db.transaction() as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("INSERT INTO favorites (song, added_at_ms) VALUES (999, 1)")
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    assert db.favorites.count() == 0
    assert db.favorites.add(song(1))
    assert db.favorites.count() == 1


def test_queue_and_favorite_commits_run_under_full_sync_position_ticks_under_normal(
    db: UserDatabase, song: Callable[..., Song]
) -> None:
    """The durability policy, read from the statements SQLite actually ran."""
    statements: list[str] = []
    db._connection().set_trace_callback(statements.append)  # the real connection, observed
    try:
        db.queue.save([song(1), song(2)], 0)
        db.queue.set_position(1_000)
        db.favorites.add(song(3))
        db.queue.set_position(2_000)
        db.queue.save([song(1), song(2)], 1)
        db.playlists.create("P", [song(4)])
    finally:
        db._connection().set_trace_callback(None)
    mode = "FULL"
    commits: list[str] = []
    for statement in statements:
        if statement.startswith("PRAGMA synchronous"):
            mode = statement.split("=")[1].strip()
        elif statement == "COMMIT":
            commits.append(mode)
    assert commits == ["FULL", "NORMAL", "FULL", "NORMAL", "FULL", "FULL"]
