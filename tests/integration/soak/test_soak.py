"""Short soak (about 1.5 min): the whole refresh story with real parts, compressed.

Three providers through cloudsim (own process) with 20 s links, 30 s tokens and 5 % injected
errors; a mixed queue of 4 songs per provider played as 3-second clips, one pause longer than
a link's life, one 15-second network outage. Timings (gaps, loop lag) are printed here and
asserted only in tests/bench/bench_soak.py; this test checks what must hold on any machine.
"""

from __future__ import annotations

import pytest

from tests.integration.soak.driver import SoakPlan, run_soak

pytestmark = [pytest.mark.vlc, pytest.mark.slow, pytest.mark.timeout(170)]

SHORT = SoakPlan(
    songs_per_provider=4,
    clip_ms=3000,
    pause_ms=25_000,  # longer than the 20 s link: resume needs a fresh one
    pause_song=2,
    outage_ms=15_000,
    outage_song=6,
)


async def test_short_soak_every_song_ends_without_a_visible_error() -> None:
    report = await run_soak(SHORT)
    print("\n" + report.summary())

    assert sorted(report.finished) == list(range(len(report.queued)))
    assert report.user_errors == []
    assert report.fresh_resume  # the pause outlived the link: resumed on a new one
    assert report.link_uses > len(report.queued)
    assert report.link_violations == []
    assert report.injected_errors > 0  # the faults really happened
    assert report.refresh_calls > report.provider_resolves // 2
