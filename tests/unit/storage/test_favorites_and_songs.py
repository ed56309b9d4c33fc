"""Favorites, stored song metadata and the unavailable flag."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ktvdesk.errors import (
    AuthError,
    MediaExpiredError,
    NetworkError,
    NotFoundError,
    PlaybackError,
    RateLimitedError,
    RightsError,
    StorageError,
)
from ktvdesk.models import Song
from ktvdesk.storage import UNAVAILABLE_MESSAGES, PlayOutcome, Unavailable, UserDatabase

SongFactory = Callable[..., Song]


def test_add_list_newest_first_and_readd_keeps_place(db: UserDatabase, song: SongFactory) -> None:
    assert db.favorites.add(song(1))
    assert db.favorites.add(song(2, provider="xiaowei"))
    assert db.favorites.add(song(3, provider="local", path="/m/3.mkv"))
    refreshed = song(1, title="新标题")
    assert not db.favorites.add(refreshed)  # already a favorite
    entries = db.favorites.entries()
    assert [f.song.key for f in entries] == ["local:s3", "xiaowei:s2", "yinsuda:s1"]
    assert entries[-1].song.title == "新标题"  # metadata refreshed
    assert entries[0].added_at_ms > entries[1].added_at_ms > entries[2].added_at_ms
    assert db.favorites.count() == 3


def test_every_song_field_survives_storage(db: UserDatabase, rich_song: Song) -> None:
    db.favorites.add(rich_song)
    (entry,) = db.favorites.entries()
    assert entry.song == rich_song
    assert entry.song.needs_owner_badge


def test_paging_remove_contains_keys(db: UserDatabase, song: SongFactory) -> None:
    for n in range(10):
        db.favorites.add(song(n))
    assert [f.song.id for f in db.favorites.entries(limit=3, offset=2)] == ["s7", "s6", "s5"]
    assert db.favorites.contains(song(4)) and db.favorites.contains("yinsuda:s4")
    assert db.favorites.remove(song(4))
    assert not db.favorites.remove(song(4))
    assert not db.favorites.remove("nobody:x")
    assert not db.favorites.contains(song(4))
    assert db.favorites.keys() == {song(n).key for n in range(10) if n != 4}


def test_same_id_from_two_providers_are_two_songs(db: UserDatabase, song: SongFactory) -> None:
    db.favorites.add(song(1, provider="yinsuda"))
    db.favorites.add(song(1, provider="zego"))
    assert db.favorites.count() == 2


def test_unavailable_song_stays_in_every_list_flagged(db: UserDatabase, song: SongFactory) -> None:
    gone = song(1)
    db.favorites.add(gone)
    playlist = db.playlists.create("P", [song(2), gone])
    db.queue.save([gone, song(2)], 0)
    db.history.record(gone, listened_ms=200_000, outcome=PlayOutcome.COMPLETED, vocal_mode="original")

    assert db.songs.mark_unavailable(gone, Unavailable.NO_RIGHTS, "Status=2")
    assert not db.songs.mark_unavailable("nobody:x", Unavailable.NOT_FOUND)

    flagged = [
        db.favorites.entries()[0].entry,
        db.playlists.entries(playlist)[1],
        db.queue.load().entries[0],
        db.history.page().items[0].entry,
        db.history.most_sung()[0].entry,
    ]
    for entry in flagged:
        assert entry.song == gone
        assert not entry.available
        assert (entry.unavailable, entry.unavailable_detail) == (Unavailable.NO_RIGHTS, "Status=2")
        assert entry.reason_text("zh_CN") == UNAVAILABLE_MESSAGES[Unavailable.NO_RIGHTS].zh
    assert [e.song for e in db.songs.unavailable()] == [gone]

    # Re-adding or re-queueing the song does not silently clear the flag...
    db.favorites.add(gone)
    db.queue.save([gone], 0)
    stored = db.songs.get(gone)
    assert stored is not None and stored.unavailable is Unavailable.NO_RIGHTS
    # ...resolving it again does.
    assert db.songs.mark_available(gone)
    assert not db.songs.mark_available(gone)
    assert db.favorites.entries()[0].entry.available


def test_every_unavailable_reason_has_both_languages() -> None:
    for reason in Unavailable:
        message = UNAVAILABLE_MESSAGES[reason]
        assert message.zh and message.en and message.zh != message.en


def test_stale_song_json_is_shown_from_columns_not_dropped(db: UserDatabase, song: SongFactory) -> None:
    db.favorites.add(song(1))
    db.favorites.add(song(2))
    with db.transaction() as conn:  # as if written by a ktvdesk whose Song had other fields
        conn.execute(
            "UPDATE songs SET json = ? WHERE key = ?",
            ('{"provider": "yinsuda", "gone_field": 1}', song(1).key),
        )
        conn.execute("UPDATE songs SET unavailable_reason = 'from_the_future' WHERE key = ?", (song(2).key,))
    entries = {f.song.key: f.entry for f in db.favorites.entries()}
    stale = entries[song(1).key]
    assert (stale.song.title, stale.song.singers, stale.unavailable) == (
        song(1).title,
        song(1).singers,
        Unavailable.UNREADABLE,
    )
    assert entries[song(2).key].unavailable is Unavailable.OTHER


def test_prune_deletes_only_songs_nothing_refers_to(db: UserDatabase, song: SongFactory) -> None:
    db.favorites.add(song(1))
    db.favorites.add(song(2))
    db.queue.save([song(3)], 0)
    db.playlists.create("P", [song(4)])
    db.history.record(song(5), listened_ms=1, outcome=PlayOutcome.SKIPPED, vocal_mode="original")
    db.favorites.remove(song(2))
    assert db.songs.prune() == 1
    assert db.songs.get(song(2)) is None
    assert {n for n in range(1, 6) if db.songs.get(song(n)) is not None} == {1, 3, 4, 5}
    assert db.songs.count() == 4
    assert db.songs.prune() == 0


def test_foreign_keys_protect_referenced_songs(db: UserDatabase, song: SongFactory) -> None:
    db.favorites.add(song(1))
    with pytest.raises(StorageError) as caught, db.transaction() as conn:
        conn.execute("DELETE FROM songs")
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    assert db.favorites.count() == 1


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (RightsError("Status=2"), Unavailable.NO_RIGHTS),
        (NotFoundError("ResourceNotFound"), Unavailable.NOT_FOUND),
        (FileNotFoundError("/music/a.mkv"), Unavailable.FILE_MISSING),
        (PlaybackError("demuxer failed"), Unavailable.OTHER),
        (NetworkError("timeout"), None),  # transient: the song is fine
        (RateLimitedError("RequestLimitExceeded"), None),
        (MediaExpiredError("403"), None),
        (AuthError("SignatureExpire"), None),  # our credentials, not the song
        (NotFoundError("flaky", retryable=True), None),
        (ValueError("bug"), None),
    ],
)
def test_only_failures_that_mean_the_song_is_gone_flag_it(
    db: UserDatabase, song: SongFactory, error: BaseException, reason: Unavailable | None
) -> None:
    db.queue.save([song(1)], 0)
    assert db.songs.mark_unresolvable(song(1), error) is reason
    stored = db.songs.get(song(1))
    assert stored is not None
    assert stored.unavailable is reason
    if reason is not None:
        assert stored.unavailable_detail == str(error)


def test_lists_parse_song_json_only_for_rows_that_are_used(
    db_path: Path, song: SongFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    with UserDatabase(db_path) as db:
        for n in range(100):
            db.favorites.add(song(n))
    parsed: list[str] = []
    original = Song.model_validate_json

    def counting(data: str | bytes, **kwargs: Any) -> Song:
        parsed.append(str(data))
        return original(data, **kwargs)

    monkeypatch.setattr(Song, "model_validate_json", counting)
    with UserDatabase(db_path) as db:  # a fresh store: nothing cached yet
        rows = db.favorites.entries()
        assert len(rows) == 100
        assert [(r.entry.key, r.entry.title) for r in rows[:3]] == [
            (song(n).key, song(n).title) for n in (99, 98, 97)
        ]
        assert parsed == []  # keys and titles come from columns
        assert rows[0].song == song(99) and rows[1].entry.available
        assert len(parsed) == 2
        again = db.favorites.entries()  # parsed songs are shared between loads
        assert again[0].song is rows[0].song
        assert len(parsed) == 2
