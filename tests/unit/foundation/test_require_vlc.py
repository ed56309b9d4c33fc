"""`KTVDESK_REQUIRE_VLC=1` turns a "libVLC missing" skip into a failure.

Runs a real pytest in a child process on a scratch test file whose libVLC is "missing" by
a skip mark (this machine has libVLC), with and without the variable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

SCRATCH_TESTS = """
import pytest

@pytest.mark.skipif(True, reason="libVLC unavailable: simulated by the test")
def test_needs_libvlc():
    pass

@pytest.mark.vlc
def test_marked_vlc():
    pytest.skip("no audio output")

@pytest.mark.skipif(True, reason="pyside6-lupdate not installed")
def test_unrelated_skip():
    pass
"""


def run_pytest(tmp_path: Path, require: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_scratch.py").write_text(SCRATCH_TESTS)
    env = {k: v for k, v in os.environ.items() if k != "KTVDESK_REQUIRE_VLC"}
    if require is not None:
        env["KTVDESK_REQUIRE_VLC"] = require
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.support.require_vlc",
            "-p",
            "no:cacheprovider",
            "-rA",
            "-o",
            "markers=vlc",
            str(tmp_path / "test_scratch.py"),
        ],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_variable_the_skips_stay_skips(tmp_path: Path) -> None:
    proc = run_pytest(tmp_path, None)
    assert proc.returncode == 0, proc.stdout
    assert "3 skipped" in proc.stdout


def test_with_the_variable_libvlc_skips_fail_and_others_stay_skips(tmp_path: Path) -> None:
    proc = run_pytest(tmp_path, "1")
    assert proc.returncode == 1, proc.stdout
    # A skip mark is evaluated in the set-up phase, so that one counts as an error.
    assert "1 failed, 1 skipped, 1 error" in proc.stdout
    assert "ERROR test_scratch.py::test_needs_libvlc" in proc.stdout
    assert "FAILED test_scratch.py::test_marked_vlc" in proc.stdout
    assert "KTVDESK_REQUIRE_VLC=1 and this test needs libVLC" in proc.stdout
