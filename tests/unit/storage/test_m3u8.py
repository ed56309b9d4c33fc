"""M3U8 import/export of my playlists (local songs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ktvdesk.errors import StorageError
from ktvdesk.models import Song
from ktvdesk.storage import Unavailable, UserDatabase
from ktvdesk.storage.m3u8 import export_m3u8, export_m3u8_file, import_m3u8, import_m3u8_file, parse_m3u8

SongFactory = Callable[..., Song]


@pytest.fixture
def music(tmp_path: Path) -> Path:
    folder = tmp_path / "music 音乐"
    folder.mkdir()
    for name in ("一.mkv", "two.mp4", "three song.mp3"):
        (folder / name).write_bytes(b"not really media; only existence matters here")
    return folder


def _local(n: int, path: Path, **extra: object) -> Song:
    fields: dict[str, object] = {
        "provider": "local",
        "id": str(n),
        "title": f"Title {n}",
        "singers": ("A", "B"),
        "duration_ms": 215_400,
        "path": str(path),
    }
    fields.update(extra)
    return Song.model_validate(fields)


def _entries(db: UserDatabase, playlist_id: int) -> list[tuple[Song, Unavailable | None, str | None]]:
    return [(e.song, e.unavailable, e.unavailable_detail) for e in db.playlists.entries(playlist_id)]


def test_export_writes_extinf_and_paths(db: UserDatabase, music: Path, song: SongFactory) -> None:
    first = _local(1, music / "一.mkv", has_lyrics=True)
    untitled = _local(2, music / "two.mp4", singers=(), duration_ms=None)
    playlist = db.playlists.create("周五", [first, song(5), untitled])
    result = export_m3u8(db, playlist)
    lines = result.text.splitlines()
    assert lines[0] == "#EXTM3U" and lines[1] == "#PLAYLIST:周五"
    plain = [line for line in lines if not line.startswith("#KTVDESK-SONG:")]
    assert plain[2:] == [
        "#EXTINF:215,A / B - Title 1",
        str(music / "一.mkv"),
        "#EXTINF:-1,Title 2",
        str(music / "two.mp4"),
    ]
    assert [e.song for e in result.skipped] == [song(5)]  # not local: reported, not silently lost


def test_export_import_round_trip_gives_the_same_playlist(
    db: UserDatabase, music: Path, tmp_path: Path
) -> None:
    songs = [_local(1, music / "一.mkv"), _local(2, music / "two.mp4"), _local(1, music / "一.mkv")]
    playlist = db.playlists.create("Round trip", songs)
    target = tmp_path / "lists" / "round.m3u8"
    export_m3u8_file(db, playlist, target)
    with UserDatabase(tmp_path / "other.sqlite3") as other:
        new_id = import_m3u8_file(other, target)
        assert other.playlists.get(new_id).name == "Round trip"
        assert _entries(other, new_id) == _entries(db, playlist)
        assert all(entry[1] is None for entry in _entries(other, new_id))


def test_missing_files_become_unavailable_entries_and_come_back(
    db: UserDatabase, music: Path, tmp_path: Path
) -> None:
    kept, moved = _local(1, music / "一.mkv"), _local(2, music / "two.mp4")
    exported = export_m3u8(db, db.playlists.create("P", [kept, moved])).text.encode()
    (music / "two.mp4").rename(tmp_path / "elsewhere.mp4")
    with UserDatabase(tmp_path / "other.sqlite3") as other:
        first = import_m3u8(other, exported, base_dir=tmp_path)
        assert _entries(other, first) == [
            (kept, None, None),
            (moved, Unavailable.FILE_MISSING, str(music / "two.mp4")),
        ]
        (tmp_path / "elsewhere.mp4").rename(music / "two.mp4")
        second = import_m3u8(other, exported, base_dir=tmp_path)
        # The import saw the file again: the song is available in both playlists now.
        assert [e[1] for e in _entries(other, second)] == [None, None]
        assert [e[1] for e in _entries(other, first)] == [None, None]


FOREIGN = """\ufeff#EXTM3U\r
#EXTINF:201.6 tvg-id="x",Singer One / Singer Two - A Title - Live\r
一.mkv\r
#EXTGRP:ignored\r
\r
#EXTINF:abc,No duration\r
file://{music_url}/three%20song.mp3\r
#EXTINF:30,Gone - Song\r
sub/missing.mkv\r
http://radio.invalid/stream.mp3\r
{absolute}\r
"""


def _foreign(music: Path) -> bytes:
    return FOREIGN.format(music_url=music.as_posix().replace(" ", "%20"), absolute=music / "two.mp4").encode(
        "utf-8"
    )


def test_a_foreign_playlist_imports_every_entry(db: UserDatabase, music: Path) -> None:
    playlist = import_m3u8(db, _foreign(music), base_dir=music, default_name="foreign")
    assert db.playlists.get(playlist).name == "foreign"
    entries = db.playlists.entries(playlist)
    assert len(entries) == 5  # nothing dropped
    first, second, missing, remote, bare = entries
    assert (first.song.title, first.song.singers, first.song.duration_ms) == (
        "A Title - Live",
        ("Singer One", "Singer Two"),
        201_600,
    )
    assert first.song.path == str(music / "一.mkv") and first.song.provider == "local" and first.available
    assert (second.song.title, second.song.duration_ms, second.song.path) == (
        "No duration",
        None,
        str(music / "three song.mp3"),
    )
    assert second.available
    assert (missing.song.title, missing.song.singers, missing.unavailable) == (
        "Song",
        ("Gone",),
        Unavailable.FILE_MISSING,
    )
    assert missing.unavailable_detail == str(music / "sub" / "missing.mkv")
    assert (
        remote.unavailable is Unavailable.NOT_LOCAL
        and remote.unavailable_detail == "http://radio.invalid/stream.mp3"
    )
    assert bare.song.title == "two" and bare.available  # no #EXTINF: the file name


def test_a_resolver_maps_paths_to_library_songs(db: UserDatabase, music: Path) -> None:
    library = {music / "一.mkv": _local(77, music / "一.mkv", title="From the library")}
    asked: list[Path] = []

    def resolve(path: Path) -> Song | None:
        asked.append(path)
        return library.get(path)

    playlist = import_m3u8(db, _foreign(music), base_dir=music, resolve=resolve)
    entries = db.playlists.entries(playlist)
    assert entries[0].song == library[music / "一.mkv"]
    assert entries[1].song.title == "No duration"  # unknown to the library: built from the file
    assert music / "sub" / "missing.mkv" in asked
    assert len(asked) == 4  # not asked about the http stream


def test_foreign_import_export_import_is_stable(db: UserDatabase, music: Path, tmp_path: Path) -> None:
    first = import_m3u8(db, _foreign(music), base_dir=music)
    exported = export_m3u8(db, first)
    assert len(exported.skipped) == 1  # the http entry cannot be written as a local file
    second = import_m3u8(db, exported.text.encode(), base_dir=tmp_path)
    assert _entries(db, second) == _entries(db, first)[:3] + _entries(db, first)[4:]


def test_name_precedence(db: UserDatabase, music: Path, tmp_path: Path) -> None:
    data = b"#EXTM3U\n#PLAYLIST:From file\n/nowhere.mkv\n"
    assert db.playlists.get(import_m3u8(db, data, base_dir=tmp_path, name="Chosen")).name == "Chosen"
    assert db.playlists.get(import_m3u8(db, data, base_dir=tmp_path)).name == "From file"
    path = tmp_path / "My list.m3u8"
    path.write_bytes(b"#EXTM3U\n/nowhere.mkv\n")
    assert db.playlists.get(import_m3u8_file(db, path)).name == "My list"


def test_an_unreadable_own_song_line_falls_back_to_extinf(db: UserDatabase, music: Path) -> None:
    data = f'#EXTM3U\n#KTVDESK-SONG:{{"provider": 1}}\n#EXTINF:10,X - Y\n{music / "一.mkv"}\n'.encode()
    (entry,) = db.playlists.entries(import_m3u8(db, data, base_dir=music))
    assert (entry.song.title, entry.song.singers, entry.available) == ("Y", ("X",), True)


def test_an_empty_playlist_round_trips(db: UserDatabase, tmp_path: Path) -> None:
    text = export_m3u8(db, db.playlists.create("空")).text
    assert parse_m3u8(text.encode()).entries == ()
    assert db.playlists.entries(import_m3u8(db, text.encode(), base_dir=tmp_path)) == []


BAD = {
    "empty file": b"",
    "blank lines only": b"\n\n  \n",
    "binary garbage": bytes(range(256)) * 4,
    "NUL bytes in text": b"#EXTM3U\n/a\x00b.mkv\n",
    "not UTF-8": "#EXTM3U\n/音乐.mkv\n".encode("gb18030"),
    "no header": b"/music/a.mkv\n/music/b.mkv\n",
    "JSON instead": b'{"format": "ktvdesk-playlists"}',
    "control characters": b"#EXTM3U\n/a\x1bb.mkv\n",
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_give_a_clear_error_and_change_nothing(db: UserDatabase, tmp_path: Path, case: str) -> None:
    with pytest.raises(StorageError) as caught:
        import_m3u8(db, BAD[case], base_dir=tmp_path)
    assert caught.value.code == "bad_m3u8_file"
    assert "M3U8" in caught.value.message("zh_CN") and "M3U8" in caught.value.message("en")
    assert db.playlists.summaries() == []


def test_a_missing_playlist_file_is_a_storage_error(db: UserDatabase, tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        import_m3u8_file(db, tmp_path / "gone.m3u8")
    assert caught.value.code == "unreadable_file"
