from __future__ import annotations

import subprocess
import sys

from ktvdesk import __version__
from ktvdesk.cli import COMMANDS


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", *args], check=False, capture_output=True, text=True, timeout=60
    )


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ktvdesk {__version__}"


def test_help_lists_every_command_and_gui_option() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout
    for option in (
        "--kiosk",
        "--provider",
        "--library",
        "--stage-screen",
        "--lang",
        "--demo-cloud",
        "--screenshot",
    ):
        assert option in result.stdout


def test_every_command_has_help() -> None:
    for name in COMMANDS:
        result = run_cli(name, "--help")
        assert result.returncode == 0, (name, result.stderr)
        assert f"ktvdesk {name}" in result.stdout
