"""JSON import/export of my playlists: round trips and bad files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ktvdesk.errors import StorageError
from ktvdesk.models import Song
from ktvdesk.storage import Unavailable, UserDatabase
from ktvdesk.storage.playlist_json import (
    FilePlaylist,
    FileSong,
    PlaylistFile,
    export_json_chunks,
    export_json_file,
    import_json,
    import_json_file,
    parse_json,
)
from ktvdesk.storage.playlists import ROWS_PER_SLICE

SongFactory = Callable[..., Song]


def export_json(db: UserDatabase, playlist_ids: list[int] | None = None) -> bytes:
    return b"".join(export_json_chunks(db, playlist_ids))


def _contents(db: UserDatabase) -> list[tuple[str, list[tuple[Song, Unavailable | None, str | None]]]]:
    return [
        (
            summary.name,
            [(e.song, e.unavailable, e.unavailable_detail) for e in db.playlists.entries(summary.id)],
        )
        for summary in db.playlists.summaries()
    ]


@pytest.fixture
def filled(db: UserDatabase, song: SongFactory, rich_song: Song) -> UserDatabase:
    db.playlists.create("周五 KTV", [song(1), rich_song, song(2, provider="xiaowei"), song(1)])
    db.playlists.create("Local", [song(3, provider="local", path="/music/三.mkv")])
    db.playlists.create("空")
    db.songs.mark_unavailable(song(2, provider="xiaowei"), Unavailable.NO_RIGHTS, "unplayable_code=3")
    return db


def test_export_then_import_into_a_new_database_gives_the_same_playlists(
    filled: UserDatabase, tmp_path: Path
) -> None:
    data = export_json(filled)
    with UserDatabase(tmp_path / "other.sqlite3") as other:
        ids = import_json(other, data)
        assert len(ids) == 3
        assert _contents(other) == _contents(filled)
        # A second round trip is stable. Creation times are the importing database's: an
        # imported playlist is new here and sorts after the existing ones.
        again = export_json(other)

    def without_times(document: bytes) -> list[dict[str, object]]:
        playlists: list[dict[str, object]] = json.loads(document)["playlists"]
        return [{k: v for k, v in p.items() if k != "created_at_ms"} for p in playlists]

    assert without_times(again) == without_times(data)


def test_file_round_trip_and_selected_playlists(filled: UserDatabase, tmp_path: Path) -> None:
    target = tmp_path / "out" / "playlists.json"
    first = filled.playlists.summaries()[0]
    export_json_file(filled, target, [first.id])
    assert list(target.parent.iterdir()) == [target]  # no temp file left behind
    document = parse_json(target.read_bytes())
    assert [p.name for p in document.playlists] == [first.name]
    with UserDatabase(tmp_path / "other.sqlite3") as other:
        (new_id,) = import_json_file(other, target)
        assert [e.song for e in other.playlists.entries(new_id)] == [
            e.song for e in filled.playlists.entries(first.id)
        ]


def test_importing_into_the_same_database_adds_copies_and_keeps_local_knowledge(
    filled: UserDatabase, song: SongFactory
) -> None:
    data = export_json(filled)
    filled.songs.mark_available(song(2, provider="xiaowei"))  # it resolved again since the export
    filled.playlists.add(filled.playlists.summaries()[0].id, song(1, title="newer metadata"))
    import_json(filled, data)
    assert len(filled.playlists.summaries()) == 6
    entry = filled.songs.get(song(2, provider="xiaowei"))
    assert entry is not None and entry.available  # the file's old flag does not override us
    stored = filled.songs.get(song(1))
    assert stored is not None and stored.song.title == "newer metadata"


def test_the_document_is_versioned_and_readable(filled: UserDatabase) -> None:
    document = json.loads(export_json(filled))
    assert document["format"] == "ktvdesk-playlists" and document["version"] == 1
    assert document["playlists"][0]["name"] == "周五 KTV"
    assert document["playlists"][0]["songs"][2]["unavailable"] == "no_rights"
    assert "周五" in export_json(filled).decode("utf-8")  # not \u-escaped


def _valid() -> dict[str, object]:
    return {
        "format": "ktvdesk-playlists",
        "version": 1,
        "exported_at_ms": 1,
        "playlists": [{"name": "P", "songs": [{"song": {"provider": "p", "id": "1", "title": "t"}}]}],
    }


def _with(**changes: object) -> bytes:
    document = _valid()
    document.update(changes)
    return json.dumps(document).encode()


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "bad_playlist_file"),
    "malformed JSON": (b'{"format": "ktvdesk-playlists", "version": 1,', "bad_playlist_file"),
    "binary garbage": (bytes(range(256)) * 8, "bad_playlist_file"),
    "a JSON list": (b"[1, 2, 3]", "bad_playlist_file"),
    "another app's JSON": (b'{"songs": []}', "bad_playlist_file"),
    "newer version": (_with(version=2), "file_too_new"),
    "version zero": (_with(version=0), "bad_playlist_file"),
    "version as text": (_with(version="1"), "bad_playlist_file"),
    "version true": (_with(version=True), "bad_playlist_file"),
    "missing playlists": (
        json.dumps({"format": "ktvdesk-playlists", "version": 1, "exported_at_ms": 1}).encode(),
        "bad_playlist_file",
    ),
    "song without title": (
        _with(playlists=[{"name": "P", "songs": [{"song": {"provider": "p", "id": "1"}}]}]),
        "bad_playlist_file",
    ),
    "playlist without name": (_with(playlists=[{"songs": []}]), "bad_playlist_file"),
    "empty name": (_with(playlists=[{"name": "", "songs": []}]), "bad_playlist_file"),
    "unknown reason": (
        _with(
            playlists=[
                {
                    "name": "P",
                    "songs": [{"song": {"provider": "p", "id": "1", "title": "t"}, "unavailable": "x"}],
                }
            ]
        ),
        "bad_playlist_file",
    ),
    "unknown field": (_with(extra_field=1), "bad_playlist_file"),
    "whitespace name": (_with(playlists=[{"name": "   ", "songs": []}]), "bad_name"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_give_a_clear_error_and_change_nothing(filled: UserDatabase, case: str) -> None:
    data, code = BAD_FILES[case]
    before = _contents(filled)
    with pytest.raises(StorageError) as caught:
        import_json(filled, data)
    assert caught.value.code == code
    assert caught.value.message("zh_CN") != caught.value.message("en")
    assert "ktvdesk" in caught.value.message("en") or "name" in caught.value.message("en")
    assert _contents(filled) == before


def test_an_invalid_playlist_late_in_the_file_imports_none_of_them(filled: UserDatabase) -> None:
    playlists = [{"name": f"P{n}", "songs": []} for n in range(5)] + [{"name": " ", "songs": []}]
    with pytest.raises(StorageError):
        import_json(filled, _with(playlists=playlists))
    assert len(filled.playlists.summaries()) == 3


def test_validation_detail_names_the_problem(filled: UserDatabase) -> None:
    with pytest.raises(StorageError) as caught:
        import_json(filled, BAD_FILES["song without title"][0])
    assert "playlists.0.songs.0.song.title" in caught.value.detail


def test_unreadable_and_oversized_files(
    filled: UserDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(StorageError) as caught:
        import_json_file(filled, tmp_path / "missing.json")
    assert caught.value.code == "unreadable_file"
    from ktvdesk.storage import exchange

    monkeypatch.setattr(exchange, "MAX_IMPORT_BYTES", 10)
    big = tmp_path / "big.json"
    big.write_bytes(_with())
    with pytest.raises(StorageError) as caught:
        import_json_file(filled, big)
    assert caught.value.code == "file_too_large"
    with pytest.raises(StorageError) as caught:
        import_json(filled, _with())
    assert caught.value.code == "file_too_large"


def test_the_export_is_written_a_song_at_a_time_and_is_the_documented_document(
    filled: UserDatabase, song: SongFactory
) -> None:
    """A big export never builds the whole document in one call (that call would hold the
    GIL, and the GUI thread with it, until the last song): no piece holds two songs."""
    many = filled.playlists.create("Many", [song(n) for n in range(200)])
    pieces = list(export_json_chunks(filled))
    one_song = len(FileSong(song=song(199)).model_dump_json())
    assert len(pieces) > 200 and max(len(piece) for piece in pieces) < 2 * one_song
    document = json.loads(b"".join(pieces))
    # The same document as pydantic's dump of the model (the schema the import validates).
    expected = PlaylistFile(
        exported_at_ms=document["exported_at_ms"],
        playlists=tuple(
            FilePlaylist(
                name=loaded.name,
                created_at_ms=loaded.summary.created_at_ms,
                songs=tuple(
                    FileSong(song=e.song, unavailable=e.unavailable, unavailable_detail=e.unavailable_detail)
                    for e in loaded.entries
                ),
            )
            for loaded in (filled.playlists.load(s.id) for s in filled.playlists.summaries())
        ),
    )
    assert document == json.loads(expected.model_dump_json())
    assert [p["name"] for p in document["playlists"]][-1] == filled.playlists.get(many).name


def test_an_isolated_export_writes_what_is_committed_and_reports_errors(
    filled: UserDatabase, tmp_path: Path
) -> None:
    """The app's export runs in a child process reading the same database file."""
    party = filled.playlists.summaries()[0]
    target = tmp_path / "out" / "party.json"
    export_json_file(filled, target, [party.id], isolated=True)
    assert json.loads(target.read_bytes()) == {
        **json.loads(export_json(filled, [party.id])),
        "exported_at_ms": json.loads(target.read_bytes())["exported_at_ms"],
    }
    with pytest.raises(StorageError) as raised:
        export_json_file(filled, tmp_path / "never.json", [9_999], isolated=True)
    assert raised.value.code == "playlist_not_found"
    assert not (tmp_path / "never.json").exists()


def test_an_isolated_import_stores_what_the_in_process_import_stores(
    filled: UserDatabase, song: SongFactory, tmp_path: Path
) -> None:
    """The app's import: a child process validates the file and hands back rows ready to
    store, stored a slice at a time (more songs than one slice here)."""
    filled.playlists.create("Long", [song(n) for n in range(ROWS_PER_SLICE + 7)])
    source = tmp_path / "all.json"
    export_json_file(filled, source)
    with (
        UserDatabase(tmp_path / "isolated.sqlite3") as isolated,
        UserDatabase(tmp_path / "here.sqlite3") as here,
    ):
        # Known here as playable: the file's "unplayable" flag does not override it.
        known = song(2, provider="xiaowei")
        isolated.favorites.add(known)
        here.favorites.add(known)
        assert len(import_json_file(isolated, source, isolated=True)) == 4
        assert len(import_json_file(here, source)) == 4
        assert _contents(isolated) == _contents(here)
        assert [len(songs) for _, songs in _contents(isolated)] == [4, 1, 0, ROWS_PER_SLICE + 7]
        assert isolated.songs.get(known) is not None
        assert isolated.songs.get(known).unavailable is None  # type: ignore[union-attr]
    with UserDatabase(tmp_path / "fresh.sqlite3") as fresh:
        import_json_file(fresh, source, isolated=True)
        flagged = fresh.songs.get(known)
        assert flagged is not None and flagged.unavailable is Unavailable.NO_RIGHTS
        (tmp_path / "bad.json").write_text('{"format": "ktvdesk-playlists", "version": 1}')
        with pytest.raises(StorageError) as raised:
            import_json_file(fresh, tmp_path / "bad.json", isolated=True)
        assert raised.value.code == "bad_playlist_file"
        assert len(fresh.playlists.summaries()) == 4  # the bad file changed nothing
