"""Scanning a library of every new kind: one song per UltraStar folder / MP3+G pair, all
searchable, bad input listed as unplayable with one report line each, rescans incremental."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ktvdesk.catalog.base import MediaRequest
from ktvdesk.catalog.local import LibraryIndex
from ktvdesk.catalog.local.provider import LocalLibraryProvider
from ktvdesk.errors import DamagedMediaError
from ktvdesk.models import VocalLayout
from tests.integration.formats.library_tree import Library


def unpacked(path: str) -> bytes:
    return Path(path).read_bytes()


def test_scan_finds_every_kind_and_reports_bad_input(library: Library, tmp_path: Path) -> None:
    with LibraryIndex(tmp_path / "lib.db") as index:
        report = index.scan(library.root)
        reasons = dict(report.unplayable)
        assert reasons == {
            str(library.no_mp3): "audio file 'Ohne Ton.wav' named by #MP3/#AUDIO is missing",
            str(library.lonely_cdg): "CD+G graphics without audio (no .mp3/.ogg/.flac/.wav of the same name)",
            str(library.lonely_audio): "karaoke audio without its .cdg graphics",
            str(library.junk_zip): "zip holds no single MP3+G pair (found: urlaub.txt)",
            str(library.broken_kar): "damaged MIDI file: MIDI file is truncated in track 1",
        }
        # 5 good songs + 5 unplayable: the UltraStar folder's audio, instrumental and video
        # and the pair's audio are parts of their songs, never songs of their own.
        assert report.added == 10

        found = {q: index.search(q) for q in ("Wolkenlied", "Morgenrot", "SC8123-05", "Mittagslicht",
                                              "Twinkle", "Sternschnuppe")}  # fmt: skip
        assert all(len(songs) == 1 for songs in found.values()), found
        assert Path(found["Wolkenlied"][0].path or "") == library.ultrastar
        assert Path(found["Morgenrot"][0].path or "") == library.cdg_pair
        assert {s.title for s in index.search("Testsänger")} == {"Wolkenlied", "Stille Nacht Test"}
        assert [s.title for s in found["SC8123-05"]] == ["Morgenrot"]  # the disc id is searchable
        assert found["Morgenrot"][0].singers == ("Testband",)
        kinds = index.song_kinds([songs[0].id for songs in found.values()])
        assert kinds[found["Wolkenlied"][0].id].kind == "ultrastar"
        for graphics in ("Morgenrot", "Mittagslicht"):
            assert kinds[found[graphics][0].id].kind == "mp3+g"
            assert kinds[found[graphics][0].id].lyrics_kind == "graphics"
        assert kinds[found["Twinkle"][0].id].kind == "midi"
        assert kinds[found["Sternschnuppe"][0].id].kind == "media"
        assert found["Sternschnuppe"][0].has_lyrics  # the ASS sidecar
        # Notes to score against: UltraStar and MIDI karaoke; CD+G and ASS have none.
        assert {q: songs[0].has_pitch for q, songs in found.items()} == {
            "Wolkenlied": True, "Morgenrot": False, "SC8123-05": False, "Mittagslicht": False,
            "Twinkle": True, "Sternschnuppe": False,
        }  # fmt: skip

        # A rescan touches nothing; changing an UltraStar part updates just that song.
        again = index.scan(library.root)
        assert (again.added, again.updated, again.removed) == (0, 0, 0)
        assert again.unchanged == 10
        (library.ultrastar.parent / "Wolkenlied [Instrumental].wav").unlink()
        third = index.scan(library.root)
        assert (third.added, third.updated, third.unchanged) == (0, 1, 9)


async def test_provider_gives_each_kind_its_media(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTVDESK_CACHE_DIR", str(tmp_path / "cache"))
    provider = LocalLibraryProvider(tmp_path / "lib.db", roots=[library.root])
    try:
        await provider.scan()
        (song,) = (await provider.search("Wolkenlied")).items
        source = await provider.resolve_media(song)
        assert Path(source.url).name == "Wolkenlied.wav"
        assert source.layout is VocalLayout.SEPARATE_FILE  # #INSTRUMENTAL is the 伴唱
        assert source.accompaniment_url is not None and source.accompaniment_url.endswith(
            "[Instrumental].wav"
        )
        assert source.video_url is not None and source.video_url.endswith("Wolkenlied.mp4")
        clip = (await provider.resolve_media(song, MediaRequest(clip=True))).clip
        assert clip is not None and (clip.begin_ms, clip.end_ms) == (500 + 20 * 50, 500 + 60 * 50)  # medley
        lyrics = await provider.fetch_lyrics(song)
        assert lyrics is not None and lyrics.melody is not None and len(lyrics.melody.notes) == 4

        (zipped,) = (await provider.search("Mittagslicht")).items
        source = await provider.resolve_media(zipped)
        assert source.video_url is not None and source.video_url.endswith(".cdg")
        assert source.url.startswith(str(tmp_path / "cache"))
        assert unpacked(source.video_url) == library.cdg_pair.read_bytes()
        assert await provider.fetch_lyrics(zipped) is None  # the graphics are the lyrics

        (midi,) = (await provider.search("Twinkle")).items
        assert (await provider.resolve_media(midi)).url.endswith("twinkle.kar")
        kar_lyrics = await provider.fetch_lyrics(midi)
        assert kar_lyrics is not None and kar_lyrics.format == "midi"

        (broken,) = (await provider.search("kaputt")).items
        with pytest.raises(DamagedMediaError) as caught:
            await provider.resolve_media(broken)
        assert "truncated" in caught.value.user_message.en
    finally:
        await provider.aclose()


def test_library_cli_prints_one_line_per_unplayable_song(library: Library, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ktvdesk", "library", "scan", str(library.root), "--db", str(tmp_path / "c.db")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("unplayable: ")]
    assert len(lines) == 5
    assert f"unplayable: {library.lonely_cdg}: CD+G graphics without audio" in result.stdout
