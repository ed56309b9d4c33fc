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


def test_set_pin_without_keyring_prints_the_env_line_never_the_pin(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "set-pin", "--pin-stdin", stdin="739146\n")
    assert done.returncode == 0, done.stderr
    assert "739146" not in done.stdout + done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("KTVDESK_KIOSK_PIN_HASH="))
    stored = line.split("=", 1)[1]
    assert stored.startswith("scrypt:")

    right = kiosk(tmp_path, "check-pin", "--pin-stdin", stdin="739146\n", KTVDESK_KIOSK_PIN_HASH=stored)
    assert right.returncode == 0, right.stderr
    wrong = kiosk(tmp_path, "check-pin", "--pin-stdin", stdin="111111\n", KTVDESK_KIOSK_PIN_HASH=stored)
    assert wrong.returncode == 1
    status = kiosk(tmp_path, "status", "--json", KTVDESK_KIOSK_PIN_HASH=stored)
    report = json.loads(status.stdout)
    assert status.returncode == 0
    assert report["pin_set"] and report["pin_source"] == "environment" and report["pin_hash_valid"]
    assert report["wrong_pins_in_a_row"] == 1
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
