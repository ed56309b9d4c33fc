"""`ktvdesk catalog --provider yinsuda …` against the emulator: JSON out, one stderr line on errors."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from ktvdesk.cli import catalog
from ktvdesk.cloudsim import SimHandle

from .conftest import APP, USER


@pytest.fixture
def env(sim: SimHandle, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "KTVDESK_YINSUDA_SECRET_ID": sim.config.secret_id,
        "KTVDESK_YINSUDA_SECRET_KEY": sim.config.secret_key,
        "KTVDESK_YINSUDA_APP_NAME": APP,
        "KTVDESK_YINSUDA_USER_ID": USER,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def run_cli(sim: SimHandle, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any, str]:
    """In-process, without the logging set-up of `ktvdesk.cli.main` (it would replace pytest's)."""
    parser = argparse.ArgumentParser()
    catalog.add_arguments(parser)
    code = catalog.run(parser.parse_args(["--endpoint", sim.base_url, *argv]))
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else None, err


def test_search_then_next_page(
    sim: SimHandle, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, _ = run_cli(sim, "search", "月亮", "--limit", "5", "--json", capsys=capsys)
    assert code == 0 and len(first["items"]) == 5 and first["cursor"]
    code, second, _ = run_cli(
        sim, "search", "月亮", "--limit", "5", "--cursor", first["cursor"], capsys=capsys
    )
    assert code == 0 and {s["id"] for s in second["items"]}.isdisjoint(s["id"] for s in first["items"])


def test_catalog_actions(sim: SimHandle, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    song = next(s for s in sim.state.catalog.songs[300:] if s.has_lyrics)
    assert run_cli(sim, "suggest", "等", capsys=capsys)[1]
    tags = run_cli(sim, "tags", "--json", capsys=capsys)[1]
    tag_id = tags[0]["tags"][0]["id"]
    assert len(run_cli(sim, "tag", tag_id, "--limit", "3", capsys=capsys)[1]["items"]) == 3
    assert run_cli(sim, "playlists", capsys=capsys)[1]["total"] >= 4
    assert run_cli(sim, "playlist", "pid-8888", "--limit", "2", capsys=capsys)[1]["items"]
    detail = run_cli(sim, "detail", song.id, "mid-nope", capsys=capsys)[1]
    assert detail["details"][0]["song"]["id"] == song.id and detail["not_found"] == ["mid-nope"]
    begin, end = song.chorus_ms
    segment = run_cli(sim, "segment", song.id, capsys=capsys)[1]
    assert (segment["song_offset_ms"], segment["duration_ms"], segment.get("clip")) == (
        begin,
        end - begin,
        None,
    )
    lyrics = run_cli(sim, "lyrics", song.id, capsys=capsys)[1]
    assert lyrics["format"] == "vtt" and 0 < len(lyrics["lines"]) < 8  # the segment's lines only
    assert all(0 <= line["start_ms"] <= end - begin for line in lyrics["lines"])
    match = run_cli(sim, "match", song.title, *song.singers, capsys=capsys)[1]
    assert match["MatchMusicSet"][0]["KTVMusicBaseInfo"]["MusicId"] == song.id
    assert run_cli(sim, "vip", capsys=capsys)[1]["vip"]["IsVip"] == 0


def test_robot_actions(sim: SimHandle, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    song_id = sim.state.catalog.songs[310].id
    created = run_cli(
        sim, "robot-create", "--room-id", "1", "--sdk-app-id", "2", "--rtc-user-id", "r", "--sign", "s",
        "--music-id", song_id, capsys=capsys,
    )[1]  # fmt: skip
    robot = created["RobotId"]
    assert run_cli(sim, "robot-command", robot, "Play", "--index", "0", capsys=capsys)[0] == 0
    assert run_cli(sim, "robot-command", robot, "SetPlayMode", "--mode", "Order", capsys=capsys)[0] == 0
    listing = run_cli(sim, "robot-list", "--robot-id", robot, capsys=capsys)[1]
    info = listing["KTVRobotInfoSet"][0]
    assert (
        info["Status"] == "Play"
        and info["Playlists"] == [song_id]
        and info["SetPlayModeInput"]["PlayMode"] == "Order"
    )
    assert run_cli(sim, "robot-destroy", robot, capsys=capsys)[0] == 0
    code, _, err = run_cli(sim, "robot-command", robot, "Pause", capsys=capsys)
    assert code == 2 and "ResourceUnavailable" in err


def test_status_error_is_one_line_and_exit_2(
    sim: SimHandle, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(sim, "segment", "mid-noaccomp1", capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and "no accompaniment" in err and "RequestId" in err


def test_entry_point_wrong_key_and_missing_config(sim: SimHandle, env: dict[str, str]) -> None:
    base = [sys.executable, "-m", "ktvdesk", "catalog", "--provider", "yinsuda", "--endpoint", sim.base_url]
    wrong = {**os.environ, **env, "KTVDESK_YINSUDA_SECRET_KEY": "wrong"}
    done = subprocess.run(
        [*base, "tags", "--json"], env=wrong, check=False, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "credentials" in done.stderr and "Traceback" not in done.stderr
    unset = {k: v for k, v in os.environ.items() if not k.startswith("KTVDESK_YINSUDA_")}
    done = subprocess.run([*base, "tags"], env=unset, check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not configured" in done.stderr
