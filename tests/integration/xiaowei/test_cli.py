"""`ktvdesk catalog --provider xiaowei …` against the emulator.

One test goes through `python -m ktvdesk` in a subprocess; the others call the same
`ktvdesk.cli.main` in-process (start-up of a fresh interpreter costs seconds each).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ktvdesk.cloudsim.server import SimHandle

ROOT = Path(__file__).resolve().parents[3]
ENV = {"KTVDESK_XIAOWEI_DEVICE_ID": "SN-CLI-1", "KTVDESK_XIAOWEI_CLIENT_IP": "127.0.0.1"}
Result = subprocess.CompletedProcess[str]


@pytest.fixture
def cli(
    sim: SimHandle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    from ktvdesk.cli import main

    def run(*args: str, env_extra: dict[str, str] | None = None) -> Result:
        for key, value in {**ENV, **(env_extra or {})}.items():
            monkeypatch.setenv(key, value)
        argv = ["catalog", "--provider", "xiaowei", "--endpoint", sim.base_url, *args]
        code = main(argv)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, code, out, err)

    return run


def test_python_dash_m_entry_point(sim: SimHandle) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ktvdesk",
            "catalog",
            "--provider",
            "xiaowei",
            "--endpoint",
            sim.base_url,
            "search",
            "月亮",
            "--limit",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **ENV},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    page = _json(result)
    assert len(page["items"]) == 2 and "\n" not in result.stdout.strip()  # --json: compact


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_search_detail_and_lyrics_json(cli: Callable[..., Result]) -> None:
    page = _json(cli("search", "月亮", "--limit", "3", "--json"))
    assert len(page["items"]) == 3 and all("月亮" in s["title"] for s in page["items"])
    song_id = page["items"][0]["id"]
    [detail] = _json(cli("detail", song_id))
    assert detail["song"]["id"] == song_id
    lyrics = _json(cli("lyrics", song_id, "--json"))
    assert set(lyrics) >= {"format", "meta", "offset_ms", "lines"} and lyrics["format"] == "lrc"
    assert len(lyrics["lines"]) == 8 and lyrics["lines"][0]["start_ms"] > 0


def test_tags_tag_playlist_refresh(cli: Callable[..., Result], sim: SimHandle) -> None:
    groups = _json(cli("tags"))
    assert any(t["id"] == "top:4" for g in groups for t in g["tags"])
    chart = _json(cli("tag", "top:26", "--limit", "5"))
    assert len(chart["items"]) == 5 and chart["cursor"] == "2"
    playlist = _json(cli("playlist", "8888", "--limit", "5"))
    assert len(playlist["items"]) == 5
    fresh = _json(cli("refresh", chart["items"][0]["id"]))
    assert fresh[chart["items"][0]["id"]]["url"].startswith(sim.base_url)


def test_login_qr_and_status(cli: Callable[..., Result], sim: SimHandle) -> None:
    started = _json(cli("login-qr", "--kind", "wechat"))
    assert started["kind"] == "wechat" and "qr_image_base64" in started
    status = _json(cli("login-status", started["session"]))
    assert status["state"] == "WAITING"
    sim.state.xiaowei.authorise(started["session"])
    assert _json(cli("login-status", started["session"]))["state"] == "AUTHORISED"


@pytest.mark.parametrize("env_extra", [{"KTVDESK_XIAOWEI_DEVICE_ID": ""}])
def test_missing_configuration_is_one_line_exit_2(
    cli: Callable[..., Result], env_extra: dict[str, str]
) -> None:
    result = cli("search", "x", env_extra=env_extra)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_unplayable_song_message(cli: Callable[..., Result]) -> None:
    result = cli("media", "900000007")
    assert result.returncode == 2
    assert "rights holder" in result.stderr and "Traceback" not in result.stderr
