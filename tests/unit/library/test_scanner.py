"""Scanning real files in a temporary folder into a real SQLite index."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import mutagen.flac
import mutagen.id3
import pytest

from ktvdesk.catalog.local import LibraryIndex
from ktvdesk.lyrics import encode_krc
from ktvdesk.models import Channel, VocalLayout

from .conftest import write_media


def titles(index: LibraryIndex) -> dict[str, tuple[str, ...]]:
    return {song.title: song.singers for song in index.songs(range(1, 1000))}


def test_names_give_title_and_singers_when_tags_are_missing(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    write_media(lib / "01. 周杰伦 - 七里香.wav")
    write_media(lib / "晴天-周杰伦.wav")
    write_media(lib / "千里之外_周杰伦&费玉清.wav")
    write_media(lib / "林俊杰" / "江南.wav")
    report = index.scan(lib)
    assert report.added == 4 and not report.skipped
    assert titles(index) == {
        "七里香": ("周杰伦",),
        "晴天": ("周杰伦",),
        "千里之外": ("周杰伦", "费玉清"),
        "江南": ("林俊杰",),
    }


def test_tags_win_over_names_and_replaygain_is_read(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    mp3 = write_media(lib / "unknown - wrong.mp3", seconds=1.0)
    tags = mutagen.id3.ID3()
    tags.add(mutagen.id3.TIT2(encoding=3, text="七里香"))
    tags.add(mutagen.id3.TPE1(encoding=3, text="周杰伦/费玉清"))
    tags.add(mutagen.id3.TALB(encoding=3, text="七里香"))
    tags.add(mutagen.id3.TCON(encoding=3, text="流行"))
    tags.add(mutagen.id3.TLAN(encoding=3, text="chi"))
    tags.add(mutagen.id3.TXXX(encoding=3, desc="REPLAYGAIN_TRACK_GAIN", text="-6.50 dB"))
    tags.save(mp3)
    flac_path = write_media(lib / "x.flac")
    flac = mutagen.flac.FLAC(flac_path)
    flac["title"] = "Amazing Grace"
    flac["artist"] = "John Newton"
    flac["genre"] = "Hymn"
    flac["language"] = "eng"
    flac["alias"] = "奇异恩典"
    flac.save()
    index.scan(lib)
    assert titles(index) == {"七里香": ("周杰伦", "费玉清"), "Amazing Grace": ("John Newton",)}
    mp3_song = index.search("七里香")[0]
    assert mp3_song.album == "七里香"
    assert mp3_song.duration_ms is not None and 900 <= mp3_song.duration_ms <= 1200
    media = index.media_row(mp3_song.id)
    assert media is not None and media.replaygain_db == -6.5
    assert index.song_facets(mp3_song.id) == ("流行", "国语")
    assert [s.title for s in index.search("奇异恩典")] == ["Amazing Grace"]
    assert index.facet_counts("language") == [("国语", 1), ("英语", 1)]


def test_sidecars_and_covers(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    write_media(lib / "A - One.wav")
    (lib / "A - One.lrc").write_text("[00:01.00]one\n", encoding="utf-8")
    # A real (tiny) KRC: a sidecar that does not parse is passed over (issue 16).
    (lib / "A - One.KRC").write_bytes(encode_krc("[1000,500]<0,500,0>one\n"))
    (lib / "A - One.png").write_bytes(b"png")
    write_media(lib / "A - Two.wav")
    (lib / "cover.jpg").write_bytes(b"jpg")
    index.scan(lib)
    one, two = index.search("one")[0], index.search("two")[0]
    row_one, row_two = index.media_row(one.id), index.media_row(two.id)
    assert row_one is not None and row_one.lyrics_path == str(lib / "A - One.KRC")  # word-timed KRC first
    assert row_two is not None and row_two.lyrics_path is None
    assert one.has_lyrics and not two.has_lyrics
    assert one.covers["large"] == str(lib / "A - One.png")
    assert two.covers["large"] == str(lib / "cover.jpg")


def test_vocal_layouts(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    write_media(lib / "A - Two tracks.mkv", tracks=2, track_titles=("原唱", "伴奏"))
    write_media(lib / "A - Swapped.mkv", tracks=2, track_titles=("伴奏", "原唱"))
    write_media(lib / "A - Two tracks mp4.m4a", tracks=2)
    write_media(lib / "A - Two tracks ogg.ogg", tracks=2)
    write_media(lib / "A - Plain.mkv")
    write_media(lib / "A - Separate.opus")
    write_media(lib / "A - Separate_伴奏.opus")
    write_media(lib / "Song (Instrumental).ogg")
    write_media(lib / "Song.flac")
    write_media(lib / "Lonely_karaoke.ogg")  # no original next to it: an accompaniment-only song
    write_media(lib / "vob" / "A - Left.mpg.wav")
    (lib / "vob" / "ktvdesk-folder.toml").write_text('layout = "left_right"\nvocal_channel = "right"\n')
    write_media(lib / "mapped" / "sub" / "A - Mapped.wav")
    index.scan(lib, split_folders={lib / "mapped": Channel.LEFT})
    rows = {song.title: index.media_row(song.id) for song in index.songs(range(1, 100))}
    assert set(rows) == {
        "Two tracks",
        "Swapped",
        "Two tracks mp4",
        "Two tracks ogg",
        "Plain",
        "Separate",
        "Song",
        "Lonely",
        "Left.mpg",
        "Mapped",
    }  # accompaniment files next to their original are not songs of their own
    layouts = {title: row.layout for title, row in rows.items() if row is not None}
    assert layouts == {
        "Two tracks": VocalLayout.TWO_TRACKS,
        "Swapped": VocalLayout.TWO_TRACKS,
        "Two tracks mp4": VocalLayout.TWO_TRACKS,
        "Two tracks ogg": VocalLayout.TWO_TRACKS,
        "Plain": VocalLayout.MIXED,
        "Separate": VocalLayout.SEPARATE_FILE,
        "Song": VocalLayout.SEPARATE_FILE,
        "Lonely": VocalLayout.ACCOMPANIMENT_ONLY,
        "Left.mpg": VocalLayout.LEFT_RIGHT,
        "Mapped": VocalLayout.LEFT_RIGHT,
    }
    swapped = rows["Swapped"]
    assert swapped is not None and (swapped.original_track, swapped.accompaniment_track) == (1, 0)
    separate, song = rows["Separate"], rows["Song"]
    assert separate is not None and separate.accompaniment_path == str(lib / "A - Separate_伴奏.opus")
    assert song is not None and song.accompaniment_path == str(lib / "Song (Instrumental).ogg")
    left, mapped = rows["Left.mpg"], rows["Mapped"]
    assert left is not None and left.vocal_channel is Channel.RIGHT
    assert mapped is not None and mapped.vocal_channel is Channel.LEFT


def test_incremental_rescan_only_probes_changed_files(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    write_media(lib / "A - One.wav")
    two = write_media(lib / "A - Two.wav")
    first = index.scan(lib)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    song_two = index.search("two")[0]
    index.record_play(song_two.id)
    again = index.scan(lib)
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 2, 0)

    write_media(two, seconds=0.6)  # new content, new size
    (lib / "A - One.lrc").write_text("[00:01.00]one\n", encoding="utf-8")  # a sidecar appears
    third = index.scan(lib)
    assert (third.added, third.updated, third.unchanged) == (0, 2, 0)
    updated = index.search("two")[0]
    assert updated.id == song_two.id  # same row: the play count survives
    assert [s.title for s in index.search("a")] == ["Two", "One"]  # …and still ranks it first
    assert index.search("one")[0].has_lyrics


def test_removed_files_disappear_but_a_missing_root_keeps_its_songs(
    tmp_path: Path, index: LibraryIndex
) -> None:
    lib = tmp_path / "lib"
    write_media(lib / "A - One.wav")
    gone = write_media(lib / "sub" / "A - Gone.wav")
    other = tmp_path / "other"
    write_media(other / "B - Elsewhere.wav")
    index.scan([lib, other])
    gone.unlink()
    report = index.scan(lib)
    assert report.removed == 1
    assert set(titles(index)) == {"One", "Elsewhere"}  # scanning one root leaves the other alone
    unplugged = tmp_path / "unplugged"
    write_media(unplugged / "C - Kept.wav")
    index.scan(unplugged)
    (unplugged / "C - Kept.wav").unlink()
    unplugged.rmdir()
    report = index.scan(unplugged)
    assert report.skipped == ((str(unplugged), "folder not found"),)
    assert "Kept" in titles(index)


def test_corrupt_empty_and_unreadable_files_are_skipped_with_a_reason(
    tmp_path: Path, index: LibraryIndex, caplog: pytest.LogCaptureFixture
) -> None:
    lib = tmp_path / "lib"
    write_media(lib / "A - Good.wav")
    (lib / "A - Garbage.mp3").write_bytes(b"\x00not an mp3 at all" * 10)
    (lib / "A - Garbage.mkv").write_bytes(b"RIFF0000WAVEfmt " * 10)
    (lib / "A - Garbage.vob").write_bytes(b"hello world" * 10)
    (lib / "A - Empty.flac").write_bytes(b"")
    truncated = write_media(lib / "A - Truncated.flac")
    truncated.write_bytes(truncated.read_bytes()[:20])
    (lib / "notes.txt").write_text("not media")
    with caplog.at_level(logging.WARNING, logger="ktvdesk.catalog.local"):
        report = index.scan(lib)
    assert set(titles(index)) == {"Good"}
    reasons = {Path(path).name: reason for path, reason in report.skipped}
    assert set(reasons) == {
        "A - Garbage.mp3",
        "A - Garbage.mkv",
        "A - Garbage.vob",
        "A - Empty.flac",
        "A - Truncated.flac",
    }
    assert reasons["A - Empty.flac"] == "empty file (0 bytes)"
    assert "EBML" in reasons["A - Garbage.mkv"]
    assert "A - Garbage.mp3" in caplog.text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_skipped(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    secret = write_media(lib / "A - Secret.wav")
    secret.chmod(0)
    report = index.scan(lib)
    assert [Path(p).name for p, _ in report.skipped] == ["A - Secret.wav"]


def test_symlink_loops_and_duplicate_links(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    write_media(lib / "sub" / "A - One.wav")
    (lib / "sub" / "loop").symlink_to(lib, target_is_directory=True)
    (lib / "sub" / "self").symlink_to(lib / "sub", target_is_directory=True)
    (lib / "alias.wav").symlink_to(lib / "sub" / "A - One.wav")
    (lib / "broken.wav").symlink_to(lib / "missing.wav")
    report = index.scan(lib)
    assert report.added == 1
    assert list(titles(index)) == ["One"]
    skipped = {Path(path).name for path, _ in report.skipped}
    assert skipped == {"alias.wav", "broken.wav"}


def test_undecodable_file_names(tmp_path: Path, index: LibraryIndex) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    raw = os.fsencode(lib) + b"/\xc6\xdf\xc0\xef\xcf\xe3-\xd6\xdc.wav"  # 七里香-周 in GBK
    source = write_media(tmp_path / "tone.wav")
    os.rename(source, raw)
    report = index.scan(lib)
    assert report.added == 1 and not report.skipped
    song = index.songs([1])[0]
    assert "\ufffd" in song.title  # shown with replacement characters…
    assert song.path is not None and os.path.exists(os.fsencode(song.path))  # …and still opens
    assert index.scan(lib).unchanged == 1
