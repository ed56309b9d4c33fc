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
