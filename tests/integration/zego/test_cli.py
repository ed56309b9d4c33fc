"""`ktvdesk catalog --provider zego …` against the emulator.

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

from ktvdesk.cloudsim.catalog import FILLER_WORD_MS
from ktvdesk.cloudsim.server import SimHandle
from ktvdesk.cloudsim.zego import DEFAULT_APP_ID, DEFAULT_SERVER_SECRET

from .conftest import song_ids

ROOT = Path(__file__).resolve().parents[3]
Result = subprocess.CompletedProcess[str]


def _env(sim: SimHandle, secret: str) -> dict[str, str]:
    return {
        "KTVDESK_ZEGO_APP_ID": str(DEFAULT_APP_ID),
        "KTVDESK_ZEGO_SERVER_SECRET": secret,
        "KTVDESK_ZEGO_USER_ID": "cli-user",
        "KTVDESK_ZEGO_RESOURCE_ENDPOINT": f"{sim.base_url}/zego/venue/resource",
    }


@pytest.fixture
def cli(
    sim: SimHandle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    from ktvdesk.cli import main

    def run(*args: str, secret: str = DEFAULT_SERVER_SECRET) -> Result:
        for key, value in _env(sim, secret).items():
            monkeypatch.setenv(key, value)
        argv = ["catalog", "--provider", "zego", "--endpoint", f"{sim.base_url}/zego", *args]
        code = main(argv)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, code, out, err)

    return run


def test_python_dash_m_entry_point(sim: SimHandle) -> None:
    ids = song_ids(sim, 0, 2)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ktvdesk",
            "catalog",
            "--provider",
            "zego",
            "--endpoint",
            f"{sim.base_url}/zego",
            "copyright",
            *ids,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **_env(sim, DEFAULT_SERVER_SECRET)},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert [r["song_id"] for r in _json(result)] == ids


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_copyright_45_ids_and_badge(cli: Callable[..., Result], sim: SimHandle) -> None:
    ids = song_ids(sim, 0, 45)
    rows = _json(cli("copyright", *ids, "--json"))
    assert [r["song_id"] for r in rows] == ids
    assert rows[0]["channel"] == 0 and rows[0]["owner_badge"].endswith("copyright-owner-badge.svg")
    assert rows[1]["owner_badge"] is None
    assert sim.state.zego.calls.by_action == {"QuerySongsCopyright": 3}


def test_search_media_refresh_lyrics(cli: Callable[..., Result], sim: SimHandle) -> None:
    ids = song_ids(sim, 3, 2)
    page = _json(cli("search", " ".join(ids)))
    assert [s["id"] for s in page["items"]] == ids
    media = _json(cli("media", ids[0], "--clip"))
    assert media["url"].startswith(f"{sim.base_url}/zego/venue/media/") and media["clip"]["end_ms"] > 0
    fresh = _json(cli("refresh", ids[0]))
    assert fresh[ids[0]]["url"] != media["url"]
    lyrics = _json(cli("lyrics", ids[0], "--json"))
    assert lyrics["format"] == "krc" and len(lyrics["lines"]) == 8
    assert lyrics["lines"][0]["words"][1]["start_ms"] - lyrics["lines"][0]["start_ms"] == FILLER_WORD_MS


def test_wrong_secret_is_one_line_exit_2(cli: Callable[..., Result], sim: SimHandle) -> None:
    result = cli("copyright", *song_ids(sim, 0, 2), secret="wrong")
    assert result.returncode == 2 and result.stdout == ""
    assert "ServerSecret" in result.stderr and "Traceback" not in result.stderr
