"""`ktvdesk play`: JSON events, the summary, rendered output and clean usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def play(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "play", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_json_report_and_rendered_key_change(media: Any, tmp_path: Path, load_rendered: Any) -> None:
    out = tmp_path / "cli.wav"
    result = play(
        str(media.plain), "--headless", "--report", "json", "--key", "3", "--audio-out-file", str(out)
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "state" and "position" in kinds and "end" in kinds
    summary = events[-1]
    assert summary["event"] == "summary"
    assert summary["end"] == "finished"
    assert summary["errors"] == 0 and summary["recoveries"] == 0
    assert summary["position_ms"] >= 1500
    rendered = load_rendered(out)
    assert rendered.peak_hz(0.3, 2.7) == pytest.approx(440 * 2 ** (3 / 12), rel=0.005)


def test_seconds_limit_and_clip(media: Any, tmp_path: Path, load_rendered: Any) -> None:
    out = tmp_path / "clip.wav"
    result = play(
        str(media.steps),
        "--headless",
        "--report",
        "json",
        "--clip",
        "1000:2000",
        "--audio-out-file",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["end"] == "finished"
    rendered = load_rendered(out)
    assert rendered.seconds == pytest.approx(1.0, abs=0.15)
    assert rendered.peak_hz(0.2, 0.8) == pytest.approx(400, rel=0.01)

    limited = play(str(media.long), "--headless", "--report", "json", "--seconds", "1")
    assert limited.returncode == 0, limited.stderr
    summary = json.loads(limited.stdout.splitlines()[-1])
    assert summary["end"] == "stopped"
    assert summary["position_ms"] < 4000


@pytest.mark.parametrize(
    "args",
    [
        ["/no/such/file.wav"],
        ["{plain}", "--clip", "3000:1000"],
        ["{plain}", "--key", "9"],
        ["{plain}", "--tempo", "2"],
        ["{plain}", "--layout", "separate_file"],
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(media: Any, args: list[str]) -> None:
    result = play(*[a.format(plain=media.plain) for a in args], "--headless")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
