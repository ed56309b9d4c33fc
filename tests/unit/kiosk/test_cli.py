"""`ktvdesk kiosk` as a real subprocess, with the null keyring (as on a kiosk without a
keyring daemon) and isolated data dirs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def kiosk(tmp_path: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ)
    environ.pop("KTVDESK_KIOSK_PIN_HASH", None)
    environ.update(
        KTVDESK_CONFIG_DIR=str(tmp_path / "config"),
        KTVDESK_DATA_DIR=str(tmp_path / "data"),
        KTVDESK_LOG_DIR=str(tmp_path / "log"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "kiosk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )


def test_set_pin_without_keyring_writes_kiosk_env_that_status_and_check_read(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "set-pin", "--pin-stdin", stdin="739146\n")
    assert done.returncode == 0, done.stderr
    assert "739146" not in done.stdout + done.stderr
    env_file = tmp_path / "config" / "kiosk.env"  # KTVDESK_CONFIG_DIR honoured
    assert str(env_file) in done.stdout
    assert env_file.stat().st_mode & 0o777 == 0o600
    lines = env_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("KTVDESK_KIOSK_PIN_HASH=scrypt:")
    assert "739146" not in env_file.read_text(encoding="utf-8")

    # Same config dir, still no keyring, nothing in the environment: the PIN is set.
    status = kiosk(tmp_path, "status", "--json")
    assert status.returncode == 0, status.stdout + status.stderr
    report = json.loads(status.stdout)
    assert report["pin_set"] and report["pin_hash_valid"]
    assert report["pin_source"] == str(env_file)
    assert "NOT SET" not in kiosk(tmp_path, "status").stdout
    assert kiosk(tmp_path, "check-pin", "--pin-stdin", stdin="739146\n").returncode == 0
    wrong = kiosk(tmp_path, "check-pin", "--pin-stdin", stdin="111111\n")
    assert wrong.returncode == 1
    assert json.loads(kiosk(tmp_path, "status", "--json").stdout)["wrong_pins_in_a_row"] == 1


def test_set_pin_again_replaces_the_line_and_keeps_other_lines(tmp_path: Path) -> None:
    env_file = tmp_path / "config" / "kiosk.env"
    env_file.parent.mkdir(parents=True)
    env_file.write_text("# room 7\nKTVDESK_ZEGO_SERVER_SECRET=abc123\n", encoding="utf-8")
    assert kiosk(tmp_path, "set-pin", "--pin-stdin", stdin="1111\n").returncode == 0
    assert kiosk(tmp_path, "set-pin", "--pin-stdin", stdin="2222\n").returncode == 0
    lines = env_file.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# room 7", "KTVDESK_ZEGO_SERVER_SECRET=abc123"]
    assert sum(line.startswith("KTVDESK_KIOSK_PIN_HASH=") for line in lines) == 1
    assert kiosk(tmp_path, "check-pin", "--pin-stdin", stdin="2222\n").returncode == 0


def test_the_environment_wins_over_kiosk_env(tmp_path: Path) -> None:
    from ktvdesk.kiosk.pin import hash_pin

    assert kiosk(tmp_path, "set-pin", "--pin-stdin", stdin="1111\n").returncode == 0
    other = hash_pin("9999")
    report = json.loads(kiosk(tmp_path, "status", "--json", KTVDESK_KIOSK_PIN_HASH=other).stdout)
    assert report["pin_source"] == "environment"
    check = kiosk(tmp_path, "check-pin", "--pin-stdin", stdin="9999\n", KTVDESK_KIOSK_PIN_HASH=other)
    assert check.returncode == 0
    assert report["settings"]["volume_max"] == 90


def test_bad_pin_and_missing_input_are_one_line_errors(tmp_path: Path) -> None:
    short = kiosk(tmp_path, "set-pin", "--pin-stdin", stdin="12\n")
    assert short.returncode == 2
    assert short.stderr.strip().count("\n") == 0 and "4–12 digits" in short.stderr
    empty = kiosk(tmp_path, "set-pin", "--pin-stdin", stdin="")
    assert empty.returncode == 2 and "Traceback" not in empty.stderr
    not_tty = kiosk(tmp_path, "set-pin", stdin="1234\n")
    assert not_tty.returncode == 2 and "--pin-stdin" in not_tty.stderr


def test_check_and_status_without_a_pin(tmp_path: Path) -> None:
    check = kiosk(tmp_path, "check-pin", "--pin-stdin", stdin="1234\n")
    assert check.returncode == 2 and "set-pin" in check.stderr
    status = kiosk(tmp_path, "status")
    assert status.returncode == 1 and "NOT SET" in status.stdout
