"""Start-up: `ktvdesk --screenshot` on the demo library against a bare PySide6 window.

The baseline is the floor any PySide6 app pays on this machine (interpreter + Qt import +
QApplication + one grabbed widget), so the ratio shows what ktvdesk itself adds. Goal
(issue 15): a window shows in at most 2x the bare window's time. That window is the start
window (`ktvdesk.ui.start_window`): the bare window again, plus the app's title, icon and
one translated line, shown before the app imports its stack. The full window cannot meet
that goal: the stack it cannot start without (pydantic with one model, asyncio, qasync,
sqlite3) takes about 2x on its own, so "songs listed" is printed next to that floor.

The app logs each step of its start (`ktvdesk.ui.app`) with the CPU time used so far:
"start window shown" once the start window's first frame is painted, "songs listed" the
first frame of the main window a user can read (the demo songs in the list, grabbed into
the PNG), "ready" the end of the second step (libVLC, the library scan, the keyring,
scoring). The bare windows log the moment their window is rendered (grabbed), before the
PNG is encoded (a cost of the tool, not of a start-up), the same way: CPU time of the
process (every thread) read by the process itself, and wall time from the start of the
process until the line is read.

Wall time is what a user waits; on a machine shared with other work it also counts the
time spent waiting for a CPU, so the CPU time is printed too: it is the figure that stays
comparable from one run to the next.

Bytecode: the children write theirs under a temporary `PYTHONPYCACHEPREFIX` and one
unmeasured run of each fills it, as an installed app has its `.pyc` files (pip compiles
them at install); with `PYTHONDONTWRITEBYTECODE` the app would compile its own source at
every start.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ktvdesk.catalog.local.index import LibraryIndex

RUNS = 5
STARTED = "start window shown"  # the app's first frame: the start window
SHOWN = "songs listed"  # the main window's first readable frame
READY = "ready ("
OURS = {"started": STARTED, "shown": SHOWN, "ready": READY}

BASELINE = """
import sys, time
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
w = QWidget(); w.resize(1280, 800); w.show(); app.processEvents()
frame = w.grab()
print("bare window grabbed after %d ms of CPU" % (time.process_time() * 1000), file=sys.stderr, flush=True)
frame.save(sys.argv[1])
"""

# The same bare window after importing what ktvdesk cannot start without (pydantic with one
# model built, asyncio and qasync's loop, sqlite3): the floor of the app's own stack.
STACK = """
import os, sys, time
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"  # as the app does
import asyncio, sqlite3
from pydantic import BaseModel
class Song(BaseModel):
    id: str
    title: str
    duration_ms: int | None = None
Song(id="1", title="t")
import qasync
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
loop = qasync.QEventLoop(app)
w = QWidget(); w.resize(1280, 800); w.show(); app.processEvents()
frame = w.grab()
print("stack window grabbed after %d ms of CPU" % (time.process_time() * 1000), file=sys.stderr, flush=True)
frame.save(sys.argv[1])
loop.close()
"""

_CPU = re.compile(r"after (\d+) ms of CPU")
_STEP = re.compile(r"start-up: (.+) done after (\d+) ms of CPU")
_LISTED = re.compile(r"screenshot .*: (\d+) songs listed")


@dataclass
class Run:
    """One start: (wall ms, CPU ms) at each milestone, the CPU ms after each step."""

    marks: dict[str, tuple[float, int]] = field(default_factory=dict)
    steps: dict[str, int] = field(default_factory=dict)
    listed: int = 0


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"),
        KTVDESK_DATA_DIR=str(tmp_path / "data"),
        KTVDESK_CONFIG_DIR=str(tmp_path / "cfg"),
        KTVDESK_LOG_DIR=str(tmp_path / "log"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def _run(cmd: list[str], env: dict[str, str], milestones: dict[str, str]) -> Run:
    """Start `cmd` and read its stderr to the end; `milestones` maps a name to the text
    of the line that marks it."""
    run = Run()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    lines: list[str] = []
    for line in proc.stderr:
        lines.append(line)
        wall = (time.perf_counter() - started) * 1000
        cpu = _CPU.search(line)
        for name, text in milestones.items():
            if text in line and name not in run.marks and cpu is not None:
                run.marks[name] = (wall, int(cpu[1]))
        step = _STEP.search(line)
        if step is not None:
            run.steps[step[1]] = int(step[2])
        elif STARTED in line and cpu is not None:
            run.steps["start window shown (painted)"] = int(cpu[1])
        elif "main window shown" in line and cpu is not None:
            run.steps["window shown (before its first paint)"] = int(cpu[1])
        listed = _LISTED.search(line)
        if listed is not None:
            run.listed = int(listed[1])
    assert proc.wait(timeout=120) == 0, "".join(lines[-30:])
    missing = set(milestones) - set(run.marks)
    assert not missing, f"never logged: {missing}\n" + "".join(lines[-30:])
    return run


def test_startup_to_a_window_with_the_demo_songs(tmp_path: Path) -> None:
    env = _env(tmp_path)
    bare_cmd = [sys.executable, "-c", BASELINE, str(tmp_path / "bare.png")]
    stack_cmd = [sys.executable, "-c", STACK, str(tmp_path / "stack.png")]
    ours_cmd = [sys.executable, "-m", "ktvdesk", "--debug", "--screenshot", str(tmp_path / "ours.png")]
    # Unmeasured: bytecode for all, and the demo library indexed (a first start).
    _run(bare_cmd, env, {"grabbed": "bare window grabbed"})
    _run(stack_cmd, env, {"grabbed": "stack window grabbed"})
    first = _run(ours_cmd, env, OURS)
    bare: list[Run] = []
    stack: list[Run] = []
    ours: list[Run] = []
    for _ in range(RUNS):  # interleaved: every side meets the same load
        bare.append(_run(bare_cmd, env, {"grabbed": "bare window grabbed"}))
        stack.append(_run(stack_cmd, env, {"grabbed": "stack window grabbed"}))
        ours.append(_run(ours_cmd, env, OURS))

    with LibraryIndex(tmp_path / "data" / "library.sqlite3") as index:
        demo_songs = index.stats().songs
    assert demo_songs > 0
    # The grabbed frame is the real window with the demo songs listed in it.
    assert all(run.listed == min(demo_songs, 20) for run in [first, *ours]), [r.listed for r in ours]
    assert (tmp_path / "ours.png").stat().st_size > 10_000

    def median(runs: list[Run], mark: str, index: int) -> float:
        return statistics.median(run.marks[mark][index] for run in runs)

    base_wall, base_cpu = median(bare, "grabbed", 0), median(bare, "grabbed", 1)
    print(f"\nstart-up on the demo library ({demo_songs} songs), median of {RUNS} (offscreen):")
    print(f"  {'':44s} {'CPU ms':>7s} {'x bare':>7s} {'wall ms':>8s} {'x bare':>7s}")
    stack_cpu = median(stack, "grabbed", 1)
    rows = [
        ("bare PySide6 window (grabbed)", base_cpu, base_wall),
        ("ktvdesk: start window shown", median(ours, "started", 1), median(ours, "started", 0)),
        ("same + pydantic, asyncio, qasync, sqlite3", stack_cpu, median(stack, "grabbed", 0)),
        ("ktvdesk: window with the songs listed", median(ours, "shown", 1), median(ours, "shown", 0)),
        (
            "ktvdesk: ready (libVLC, scan, keyring, scoring)",
            median(ours, "ready", 1),
            median(ours, "ready", 0),
        ),
    ]
    for label, cpu, wall in rows:
        print(f"  {label:44s} {cpu:7.0f} {cpu / base_cpu:6.2f}x {wall:8.0f} {wall / base_wall:6.2f}x")
    print("  goal: the start window in <= 2x the bare window")
    shown_x_stack = median(ours, "shown", 1) / stack_cpu
    print(f"  the window with the songs listed: {shown_x_stack:.2f}x the stack floor (CPU)")
    print(
        "  first start (empty data dir, the demo indexed first): songs listed after "
        f"{first.marks['shown'][1]} ms CPU, {first.marks['shown'][0]:.0f} ms wall"
    )

    print("\n  where the CPU goes before the first frame (median ms per step):")
    previous = 0.0
    names = list(ours[0].steps)
    for name in names:
        at = statistics.median(run.steps[name] for run in ours)
        print(f"    {name:44s} {at - previous:6.0f}   (at {at:5.0f})")
        previous = at
    shown_cpu = median(ours, "shown", 1)
    ready_cpu = median(ours, "ready", 1)
    print(
        f"    {'first paint, song lists filled, grab':44s} {shown_cpu - previous:6.0f}   (at {shown_cpu:5.0f})"
    )
    print(
        f"    {'second step (after the first frame)':44s} {ready_cpu - shown_cpu:6.0f}   (at {ready_cpu:5.0f})"
    )
