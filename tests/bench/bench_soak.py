"""The all-night soak, compressed: about 16 minutes of real playback (`make soak`).

A mixed queue of 10 whole songs (30 s each) from each of Yinsuda, Xiaowei and ZEGO, served by
cloudsim in its own process with 20 s links, 30 s tokens and 5 % injected errors; one 60 s
pause mid-song and one 15 s network outage (connections refused and cut) that begins 6 s
before a song ends, so the next one has to start while the network is down. The scenario and
its measurements live in tests/integration/soak/driver.py (the short version runs in
`make test`).

Printed: the soak summary, and the event-loop lag next to a same-run baseline (the same
probe on the same loop for 10 s before anything starts) with the ratio. Asserted here, as
the issue requires: every song finished, no user-visible error, no link used after its
expiry, no gap attributable to refresh longer than 1 s, loop-lag p99 <= 20 ms.

Opt-in (`KTVDESK_SOAK=1`, set by `make soak`) so that `make bench` stays short.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.integration.soak.driver import GAP_LIMIT_MS, SoakPlan, _lag_probe, _percentile, run_soak

pytestmark = pytest.mark.skipif(
    os.environ.get("KTVDESK_SOAK") != "1", reason="set KTVDESK_SOAK=1 (make soak)"
)

LONG = SoakPlan(
    songs_per_provider=10,
    clip_ms=None,
    pause_ms=60_000,
    pause_song=4,
    outage_ms=15_000,
    outage_song=13,
    outage_at_ms=24_000,  # the next song has to start while the network is down
)
LAG_LIMIT_MS = 20.0


async def _baseline_lag(seconds: float) -> list[float]:
    samples: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.get_running_loop().create_task(_lag_probe(samples, stop))
    await asyncio.sleep(seconds)
    stop.set()
    await probe
    return samples


async def test_long_soak() -> None:
    idle = await _baseline_lag(10.0)
    report = await run_soak(LONG)
    print("\n" + report.summary())
    idle_p99, soak_p99 = _percentile(idle, 99), report.lag_p99_ms()
    print(
        f"  loop lag p99: soak {soak_p99:.1f} ms vs idle baseline {idle_p99:.1f} ms "
        f"(ratio {soak_p99 / idle_p99 if idle_p99 else float('inf'):.1f}x)"
    )

    assert sorted(report.finished) == list(range(len(report.queued)))
    assert report.user_errors == []
    assert report.fresh_resume
    assert report.link_violations == []
    assert report.long_gaps() == [], f"gaps over {GAP_LIMIT_MS} ms: {report.long_gaps()}"
    assert soak_p99 <= LAG_LIMIT_MS
