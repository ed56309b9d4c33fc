"""`ktvdesk play --provider NAME --endpoint URL SONG_ID`: resolve, play and keep the link fresh.

Real parts: cloudsim in this process over loopback (the soak variant, whose links can live a
few seconds), the CLI in a child process with real libVLC (dummy audio output).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.soak_sim import SoakSim, start_soak_sim

pytestmark = [pytest.mark.vlc]

URL_TTL_S = 4  # a refresh every 2 s (the policy's 50 % floor): several while the song plays


@pytest.fixture(scope="module")
def sim() -> Iterator[SoakSim]:
    handle = start_soak_sim(url_ttl_s=URL_TTL_S, token_ttl_s=30, error_rate=0.0)
    try:
        yield handle
    finally:
        handle.stop()


def _env(sim: SoakSim | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KTVDESK_")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env["XDG_CONFIG_HOME"] = "/nonexistent-ktvdesk-test"
    if sim is not None:
        config = sim.handle.config
        env.update(
            {
                "KTVDESK_YINSUDA_SECRET_ID": config.secret_id,
                "KTVDESK_YINSUDA_SECRET_KEY": config.secret_key,
                "KTVDESK_YINSUDA_APP_NAME": "ktvdesk-test",
                "KTVDESK_YINSUDA_USER_ID": "cli-singer",
                "KTVDESK_YINSUDA_URL_TTL_S": str(URL_TTL_S),
            }
        )
    return env


def play(sim: SoakSim | None, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "play", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        env=_env(sim),
    )


def test_plays_a_yinsuda_song_and_refreshes_its_link_while_playing(sim: SoakSim) -> None:
    song_id = sim.songs(1)["yinsuda"][0]
    result = play(
        sim,
        "--provider",
        "yinsuda",
        "--endpoint",
        sim.base_url,
        song_id,
        "--headless",
        "--seconds",
        "7",
        "--report",
        "json",
        "--refresh-log",
    )
    assert result.returncode == 0, result.stderr
    events: list[dict[str, Any]] = [json.loads(line) for line in result.stdout.splitlines()]
    summary = events[-1]
    assert summary["event"] == "summary"
    assert summary["provider"] == "yinsuda" and summary["song_id"] == song_id
    assert summary["errors"] == 0
    assert summary["position_ms"] >= 3000
    # First resolve plus refreshes every ~2 s of a 7 s play.
    assert summary["refreshes"] >= 3
    refreshes = [e for e in events if e["event"] == "refresh"]
    assert len(refreshes) >= 3 and all(e["kind"] == "refreshed" for e in refreshes)
    row = refreshes[-1]["entries"][0]
    assert row["key"] == f"media:yinsuda:{song_id}" and row["priority"] == "playing"
    assert 0 < row["expires_in_ms"] <= URL_TTL_S * 1000
    # Redacted: the link's md5 credential never reaches the report or the log.
    assert "/***/" in row["describe"]
    md5s = [use["path"].split("/")[1] for use in sim.access_log()["uses"]]
    assert md5s and not any(md5 in result.stdout or md5 in result.stderr for md5 in md5s)
    assert "expires in" in result.stderr  # the human-readable table
    # Every link the player used was still valid when it was used.
    assert all(use["status"] in (200, 206) for use in sim.access_log()["uses"])


def test_endpoint_without_provider_is_a_usage_error() -> None:
    result = play(None, "song-1", "--endpoint", "http://127.0.0.1:9", "--headless")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--endpoint needs --provider" in result.stderr


def test_an_unconfigured_provider_is_one_clear_line() -> None:
    result = play(None, "--provider", "yinsuda", "song-1", "--headless")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Yinsuda" in result.stderr


def test_an_unknown_song_is_one_clear_line(sim: SoakSim) -> None:
    result = play(sim, "--provider", "yinsuda", "--endpoint", sim.base_url, "mid-doesnotexist", "--headless")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
