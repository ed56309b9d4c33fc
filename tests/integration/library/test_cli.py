"""`ktvdesk library …` as other tools call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ktvdesk.cli import main

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


def test_scan_then_search_json_in_a_real_process(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    scan = subprocess.run(
        [sys.executable, "-m", "ktvdesk", "library", "scan", str(DEMO), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert scan.returncode == 0, scan.stderr
    assert scan.stdout.strip() == "added 6, updated 0, unchanged 0, removed 0, skipped 0"
    search = subprocess.run(
        [sys.executable, "-m", "ktvdesk", "library", "search", "jasmine", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert search.returncode == 0, search.stderr
    [song] = json.loads(search.stdout)
    kinds = {"kind", "lyrics", "unplayable"}  # issue 18: the karaoke kind of each song
    assert set(song) == {"id", "title", "singers", "album", "duration_ms", "path", *kinds}
    assert song["title"] == "茉莉花" and song["singers"] == ["江苏民歌"]
    assert Path(song["path"]).is_file() and song["duration_ms"] > 45_000


def test_search_limit_stats_and_rescan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "library.db")
    assert main(["library", "scan", str(DEMO), "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 6
    assert main(["library", "scan", str(DEMO), "--db", db]) == 0
    assert "unchanged 6" in capsys.readouterr().out
    assert main(["library", "search", "e", "--db", db, "--limit", "2", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["library", "search", "送别", "--db", db]) == 0
    assert "送别\t李叔同" in capsys.readouterr().out
    assert main(["library", "stats", "--db", db, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["songs"] == 6 and stats["with_lyrics"] == 6
    assert stats["layouts"] == {"two_tracks": 4, "separate_file": 1, "left_right": 1}


@pytest.mark.parametrize(
    "args",
    [
        ["library", "search", "x", "--db", "{missing}"],
        ["library", "stats", "--db", "{missing}"],
        ["library", "scan", "{missing}", "--db", "{db}"],
        ["library", "scan", str(DEMO), "--db", "{db}", "--split-folder", "nowhere"],
        ["library", "search", "x", "--db", "{db}", "--limit", "0"],
        ["library", "scan", str(DEMO), "--db", "{dir}"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    db = tmp_path / "ok.db"
    main(["library", "scan", str(tmp_path), "--db", str(db)])
    capsys.readouterr()
    values = {"missing": str(tmp_path / "missing"), "db": str(db), "dir": str(tmp_path)}
    assert main([arg.format(**values) for arg in args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and captured.err.startswith("ktvdesk library: ")
