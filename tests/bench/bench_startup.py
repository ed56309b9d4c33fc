"""Start-up to a shown window: `ktvdesk --screenshot` cold starts against a bare Qt baseline.

The baseline is the floor any PySide6 app pays on this machine (interpreter + Qt import +
QApplication + one grabbed widget), so the ratio shows what ktvdesk itself adds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 5

BASELINE = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
w = QWidget(); w.resize(1280, 800); w.show(); app.processEvents()
w.grab().save(sys.argv[1])
"""


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    return (time.perf_counter() - start) * 1000


def test_startup_to_screenshot(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KTVDESK_DATA_DIR=str(tmp_path / "data"))
    env.update(KTVDESK_CONFIG_DIR=str(tmp_path / "cfg"), KTVDESK_LOG_DIR=str(tmp_path / "log"))
    ours, base = [], []
    for i in range(RUNS):
        base.append(_timed([sys.executable, "-c", BASELINE, str(tmp_path / f"b{i}.png")], env))
        ours.append(
            _timed([sys.executable, "-m", "ktvdesk", "--screenshot", str(tmp_path / f"k{i}.png")], env)
        )
    ours_ms, base_ms = statistics.median(ours), statistics.median(base)
    print(f"\nstart-up to shown window, median of {RUNS} cold starts (offscreen):")
    print(f"  ktvdesk --screenshot : {ours_ms:8.0f} ms  (min {min(ours):.0f}, max {max(ours):.0f})")
    print(f"  bare PySide6 window  : {base_ms:8.0f} ms  (min {min(base):.0f}, max {max(base):.0f})")
    print(f"  ratio ktvdesk/bare   : {ours_ms / base_ms:8.2f}x")
    assert all((tmp_path / f"k{i}.png").exists() for i in range(RUNS))


def _until_line(proc: subprocess.Popen[str], marker: str, started: float) -> float:
    """ms from `started` until the app logs `marker` (the app's own log line, not a guess)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if marker in line:
            return (time.perf_counter() - started) * 1000
    raise AssertionError(f"{marker!r} never logged")


def _interactive_run(env: dict[str, str]) -> tuple[float, float]:
    """(ms to the shown window, ms until the demo library is indexed and searchable)."""
    import signal

    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ktvdesk", "--debug", "--lang", "en"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        shown = _until_line(proc, "main window shown", started)
        indexed = _until_line(proc, "library scanned", started)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    return shown, indexed


def test_startup_to_interactive_window_with_demo_library(tmp_path: Path) -> None:
    """First start (the demo library is indexed into an empty data dir) and later starts
    (the index exists: one stat per file), against the bare PySide6 window."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KTVDESK_CONFIG_DIR=str(tmp_path / "cfg"))
    env.update(KTVDESK_LOG_DIR=str(tmp_path / "log"), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    first: list[tuple[float, float]] = []
    later: list[tuple[float, float]] = []
    base: list[float] = []
    for i in range(RUNS):
        run_env = dict(env, KTVDESK_DATA_DIR=str(tmp_path / f"data{i}"))
        base.append(_timed([sys.executable, "-c", BASELINE, str(tmp_path / f"b{i}.png")], env))
        first.append(_interactive_run(run_env))
        later.append(_interactive_run(run_env))
    base_ms = statistics.median(base)
    print(f"\nstart-up with the demo library, median of {RUNS} (offscreen, libVLC on):")
    for name, runs in (("first start", first), ("later start", later)):
        shown = statistics.median(r[0] for r in runs)
        indexed = statistics.median(r[1] for r in runs)
        print(
            f"  {name:11s}: window shown {shown:6.0f} ms ({shown / base_ms:4.2f}x bare), "
            f"library searchable {indexed:6.0f} ms ({indexed / base_ms:4.2f}x bare)"
        )
    print(f"  bare PySide6 window : {base_ms:6.0f} ms")
