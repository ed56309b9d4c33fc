"""`ktvdesk lyrics parse|convert` on the new formats, as scripts run it (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ktvdesk.cli import main
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.lyrics.writer import write_ultrastar
from tests.unit.formats.wild import corpus_paths, wild_root


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "lyrics", *map(str, args)],
        capture_output=True,
        timeout=60,
        check=False,
    )


def convert(*args: str | Path) -> int:
    """The same command in-process (the round trips run it dozens of times)."""
    return main(["lyrics", "convert", *map(str, args)])


def parse_json(path: Path) -> dict[str, Any]:
    result = run_cli("parse", path, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_ultrastar_duet_json_has_notes_and_players(expected: dict[str, Any]) -> None:
    path = "ultrastar/usdb_duet.txt"
    data = parse_json(wild_root() / path)
    assert data["format"] == "ultrastar"
    notes = data["notes"]
    assert len(notes) == expected[path]["total_note_count"]
    assert set(notes[0]) >= {"start_ms", "end_ms", "pitch", "kind", "player"}
    first = expected[path]["players"]["P1"]["first3_notes"][0]
    p1 = [n for n in notes if n["player"] == 1]
    assert (p1[0]["start_ms"], p1[0]["end_ms"], p1[0]["pitch"]) == (first[0], first[1], first[2] + 60)
    assert {n["kind"] for n in notes} == {"normal", "golden"}
    assert sorted({line["player"] for line in data["lines"]}) == [1, 2]


def test_midi_json_has_notes_and_no_players(expected: dict[str, Any]) -> None:
    path = "kar/dmidiplayer_twinkle.kar"
    data = parse_json(wild_root() / path)
    assert data["format"] == "midi" and data["notes"]
    assert all(isinstance(n["pitch"], int) for n in data["notes"])
    assert all("player" not in line for line in data["lines"])
    words = [w for line in data["lines"] for w in line["words"]]
    assert len(words) == expected[path]["syllable_count"]


def test_ass_json_has_no_notes() -> None:
    data = parse_json(wild_root() / "ass/aegisub_kara_templater_retime.ass")
    assert "notes" not in data
    assert [(w["start_ms"], w["text"]) for w in data["lines"][0]["words"]] == [
        (10000, "ha"),
        (10300, "hi"),
        (10500, "ho"),
    ]


@pytest.mark.parametrize("path", [*corpus_paths("ultrastar"), *corpus_paths("ass"), *corpus_paths("kar")])
@pytest.mark.parametrize("target", ["lrc", "enhanced-lrc"])
def test_convert_to_lrc_round_trips(path: str, target: str, tmp_path: Path) -> None:
    source = parse_lyrics((wild_root() / path).read_bytes())
    out = tmp_path / "out.lrc"
    assert convert(wild_root() / path, "--to", target, "-o", out) == 0
    again = parse_lyrics(out.read_bytes(), "lrc")
    # Same-time lines of a duet fold into one line with a translation; compare the starts.
    assert sorted({line.start_ms for line in again.lines}) == sorted({line.start_ms for line in source.lines})
    if target == "enhanced-lrc":
        first = source.lines[0]
        match = next(line for line in again.lines if line.start_ms == first.start_ms)
        assert [w.start_ms for w in match.words] == [w.start_ms for w in first.words]


@pytest.mark.parametrize("path", [*corpus_paths("ultrastar"), *corpus_paths("kar")])
def test_convert_to_ultrastar_round_trips(path: str, tmp_path: Path) -> None:
    source = parse_lyrics((wild_root() / path).read_bytes())
    assert source.melody is not None
    out = tmp_path / "song.txt"
    assert convert(wild_root() / path, "--to", "ultrastar", "-o", out) == 0
    again = parse_lyrics(out.read_bytes())
    assert again.format == "ultrastar" and again.melody is not None
    # UltraStar sources keep their BPM: exact. Others are written in 10 ms beats.
    tolerance = 0 if source.format == "ultrastar" else 5
    pairs = list(zip(source.melody.notes, again.melody.notes, strict=True))
    for before, after in pairs:
        assert abs(before.start_ms - after.start_ms) <= tolerance
        assert abs(before.end_ms - after.end_ms) <= tolerance
        assert (before.pitch, before.kind, before.player) == (after.pitch, after.kind, after.player)
        assert (before.text.replace("\n", " ") or "~") == (after.text or "~")
    if source.format == "ultrastar":
        assert [line.text for line in again.lines] == [line.text for line in source.lines]
        # And writing the re-read song gives the very same file.
        assert write_ultrastar(again) == out.read_text(encoding="utf-8")


def test_convert_without_notes_to_ultrastar_fails_cleanly(tmp_path: Path) -> None:
    result = run_cli("convert", wild_root() / "ass/aegisub_furigana_demo.ass", "--to", "ultrastar")
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "no notes" in result.stderr.decode()


def test_truncated_kar_fails_cleanly(tmp_path: Path) -> None:
    broken = tmp_path / "broken.kar"
    broken.write_bytes((wild_root() / "kar/dmidiplayer_twinkle.kar").read_bytes()[:3000])
    result = run_cli("parse", broken, "--json")
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert b"truncated" in result.stderr
