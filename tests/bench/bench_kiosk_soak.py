"""Kiosk soak: `ktvdesk --kiosk` on the demo library, singing then in attract mode, for
30 minutes (`KTVDESK_SOAK_MINUTES` shortens it), as a real process on a real X server
with a real window manager (Xvfb + openbox, started here).

Every sample period a guest tries one way out (show desktop with Super+D, minimise,
leave fullscreen, in turn): the kiosk must be back in front within 2 s each time (time
printed per attempt). At the end its window is destroyed (`xdotool windowclose`): it
must exit with the restartable status 4; a fresh kiosk (what systemd starts) comes up in
front, holds against every attempt, and stops cleanly on SIGTERM.

The queue is seeded with demo songs (one per 5 minutes of soak) so the run covers both
playback and the attract slideshow (`kiosk.attract_after_min = 1`). The process's RSS is
sampled every 30 s from /proc and printed next to the same-run baseline (the sample at the
end of the warm-up, 2 minutes or a fifth of a short run) with the ratio. Asserted: attract
mode came on, no ERROR/CRITICAL log line and no traceback, a clean exit on SIGTERM.
Memory is reported, not asserted (the issue asks for the growth to be noted).

Opt-in (`KTVDESK_SOAK=1`, or `KTVDESK_SOAK_MINUTES=N`) so that `make bench` stays short.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ktvdesk.catalog.local import bundled_demo_dir
from ktvdesk.catalog.local.index import LibraryIndex
from ktvdesk.kiosk.exit_codes import KioskExit
from ktvdesk.services import LIBRARY_DB
from ktvdesk.storage import DEFAULT_FILE_NAME, UserDatabase
from tests.ui.kiosk.xwm import ATTEMPTS, attempt, start_kiosk, x_session

pytestmark = pytest.mark.skipif(
    os.environ.get("KTVDESK_SOAK") != "1" and not os.environ.get("KTVDESK_SOAK_MINUTES"),
    reason="set KTVDESK_SOAK=1 or KTVDESK_SOAK_MINUTES=N",
)

SAMPLE_S = 30.0
FRONT_LIMIT_S = 2.0  # issue 16: back in front within 2 s of each attempt


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _seed(data: Path, songs: int) -> list[str]:
    demo = bundled_demo_dir()
    assert demo is not None
    index = LibraryIndex(data / LIBRARY_DB)
    index.scan([demo])
    found = [index.search(q, 1, 0)[0] for q in ("mlh", "songbie", "auld", "amazing", "xxx", "yjx")[:songs]]
    index.close()
    with UserDatabase(data / DEFAULT_FILE_NAME) as db:
        db.queue.save(found, None)
    return [song.title for song in found]


def test_kiosk_soak(tmp_path: Path) -> None:
    minutes = float(os.environ.get("KTVDESK_SOAK_MINUTES") or 30)
    duration_s = minutes * 60
    warmup_s = min(120.0, duration_s / 5)
    data = tmp_path / "data"
    data.mkdir()
    titles = _seed(data, max(1, min(4, int(minutes // 5))))
    samples: list[tuple[float, int]] = []
    escapes: list[tuple[float, str, float, int]] = []  # (t, attempt, seconds back in front, tries)
    names = list(ATTEMPTS)
    with x_session() as xwm:
        kiosk = start_kiosk(xwm, tmp_path, KTVDESK_KIOSK_ATTRACT_AFTER_MIN="1")
        try:
            started = time.monotonic()
            while (elapsed := time.monotonic() - started) < duration_s:
                time.sleep(min(SAMPLE_S, duration_s - elapsed))  # the sampling period, not a sync
                assert kiosk.proc.poll() is None, f"kiosk exited early with {kiosk.proc.returncode}"
                samples.append((time.monotonic() - started, _rss_kib(kiosk.proc.pid)))
                name = names[len(escapes) % len(names)]  # a guest tries one way out each period
                seconds, tries = attempt(xwm, kiosk, name)
                escapes.append((time.monotonic() - started, name, seconds, tries))
            # Its window destroyed: a logged failure exit, which the unit restarts...
            xwm.tool("xdotool", "windowclose", str(kiosk.wid))
            assert kiosk.finish() == KioskExit.WINDOW_LOST
            destroyed = "kiosk: the window was destroyed from outside"
            kiosk.wait_line(destroyed)
            # ...as systemd would: the fresh kiosk comes up in front and holds there too.
            kiosk = start_kiosk(xwm, tmp_path, KTVDESK_KIOSK_ATTRACT_AFTER_MIN="1")
            for name in names:
                seconds, tries = attempt(xwm, kiosk, name)
                escapes.append((time.monotonic() - started, f"{name}, after restart", seconds, tries))
            kiosk.proc.send_signal(signal.SIGTERM)
            assert kiosk.finish() == 0
        finally:
            kiosk.stop()
    log_text = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((tmp_path / "log").glob("ktvdesk.log*"))
    )
    baseline = (
        next(rss for t, rss in samples if t >= warmup_s) if samples[-1][0] >= warmup_s else samples[0][1]
    )
    print(f"\nkiosk soak: {minutes:g} min under Xvfb + openbox, queue {titles}, then attract mode")
    print(f"RSS every {SAMPLE_S:g} s")
    print(f"{'t (s)':>8} {'RSS (MiB)':>10} {'baseline (MiB)':>15} {'ratio':>7}")
    for t, rss in samples:
        print(f"{t:8.0f} {rss / 1024:10.1f} {baseline / 1024:15.1f} {rss / baseline:7.3f}")
    after = [rss for t, rss in samples if t >= warmup_s]
    if after:
        growth = (after[-1] - after[0]) / 1024
        print(f"growth after warm-up: {growth:+.1f} MiB over {(samples[-1][0] - warmup_s) / 60:.1f} min")
    print(f"escape attempts: back in front (limit {FRONT_LIMIT_S:g} s)")
    for t, name, seconds, tries in escapes:
        print(f"{t:8.0f}  {name:<48} {seconds * 1000:7.0f} ms  (try {tries})")
    worst = max(seconds for _, _, seconds, _ in escapes)
    print(
        f"worst: {worst * 1000:.0f} ms = {worst / FRONT_LIMIT_S:.2f} of the limit; window destroyed → exit 4"
    )
    assert all(seconds <= FRONT_LIMIT_S for _, _, seconds, _ in escapes), escapes
    expected = (destroyed, "bringing it back to the front")
    bad = [
        line
        for line in log_text.splitlines()
        if (" ERROR " in line or " CRITICAL " in line) and not any(text in line for text in expected)
    ]
    assert "kiosk: attract mode on" in log_text
    assert bad == [], bad[:10]
    assert "Traceback" not in log_text
    assert not any("Traceback" in line for line in kiosk.seen), kiosk.seen[-20:]
