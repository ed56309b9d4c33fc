"""`ktvdesk --remote …` as a process: the URL file, the API over loopback, a clean stop,
no token in the log, and a bad address refused with one line and exit status 2."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.ui.conftest import start_gui


def _wait_for_file(path: Path, process: subprocess.Popen[str], timeout_s: float = 60) -> str:
    # Another process writes it: nothing to await but the file itself.
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    raise AssertionError(f"{path} was not written")


def test_remote_flags_url_file_and_clean_stop(tmp_path: Path) -> None:
    url_file = tmp_path / "room-url.txt"
    process = start_gui(
        tmp_path, "--remote", "--remote-host", "127.0.0.1", "--remote-url-file", str(url_file)
    )
    try:
        url = _wait_for_file(url_file, process)
        base, _, token = url.partition("/?t=")
        assert base.startswith("http://127.0.0.1:") and len(token) >= 32
        with httpx.Client(base_url=base) as client:
            assert client.get(f"/?t={token}").status_code == 200
            assert client.post("/api/session", json={"token": "nope", "singer": "x"}).status_code == 401
            joined = client.post("/api/session", json={"token": token, "singer": "Lin"})
            assert joined.status_code == 200
            credential = joined.json()["credential"]
            state = client.get("/api/queue", headers={"authorization": f"Bearer {credential}"})
            assert state.status_code == 200 and state.json()["queue"] == []
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    logs = "".join(p.read_text(errors="replace") for p in (tmp_path / "log").glob("*.log"))
    assert "phone remote listening" in logs
    assert token not in logs + stderr and credential not in logs + stderr


def test_a_bad_remote_address_is_one_line_and_exit_2(tmp_path: Path) -> None:
    process = start_gui(tmp_path, "--remote", "--remote-host", "203.0.113.77", "--remote-port", "1")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    lines = [line for line in stderr.splitlines() if line.startswith("ktvdesk:")]
    assert len(lines) == 1 and "cannot listen on 203.0.113.77:1" in lines[0], stderr
    assert "Traceback" not in stderr
