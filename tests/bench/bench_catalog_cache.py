"""Soak note: RSS while browsing 20,000 songs across the three clouds stays flat after warm-up.

The providers' caches (song details, Xiaowei listings, ZEGO rights) are bounded
`ExpiringCache`s: a kiosk that browses all night must not grow. cloudsim runs in a child
process, so its own logs and caches do not count here. The baseline is the RSS once every cache is
full (the warm-up), measured in the same run; every later figure is printed next to it as a ratio.
Run with `make bench` (pytest -s); nothing asserts a time.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.catalog.yinsuda.settings import YinsudaSettings
from ktvdesk.catalog.zego.provider import ZegoProvider
from ktvdesk.catalog.zego.settings import load_zego_settings

SONGS = 20_000
CATALOG = 7_000  # distinct songs per cloud: more than any cache keeps
STEP = 2_000
PAGE = 20  # what one screen of a list asks for

_SIM = """
import json, sys
from ktvdesk.cloudsim import start_in_thread
handle = start_in_thread(catalog_size=%d, demo_dir=None)
songs = handle.state.catalog.songs
print(json.dumps({
    "base_url": handle.base_url, "secret_id": handle.config.secret_id,
    "secret_key": handle.config.secret_key,
    "zego": [handle.state.zego.song_id(s) for s in songs],
    "xiaowei": [str(handle.state.xiaowei.song_id(s)) for s in songs],
    "yinsuda": [s.id for s in songs],
}), flush=True)
sys.stdin.read()
handle.stop()
"""


@pytest.fixture(scope="module")
def sim() -> Iterator[dict[str, Any]]:
    child = subprocess.Popen(
        [sys.executable, "-c", _SIM % CATALOG], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        yield json.loads(child.stdout.readline())
    finally:
        child.stdin.close()
        child.wait(timeout=30)


def rss_kib() -> int:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


async def test_rss_is_flat_after_warm_up_while_browsing_20000_songs(sim: dict[str, Any]) -> None:
    retry = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05)
    yinsuda = YinsudaProvider(
        YinsudaSettings.model_validate(
            {"secret_id": sim["secret_id"], "secret_key": sim["secret_key"], "app_name": "bench",
             "user_id": "bench", "endpoint": sim["base_url"]}
        ),
        retry=retry,
    )  # fmt: skip
    xiaowei = XiaoweiProvider(
        load_xiaowei_settings(
            {}, endpoint=sim["base_url"], use_keyring=False, device_id="SN-BENCH", client_ip="127.0.0.1",
            product_id="ktvdesk-bench", user_id="bench",
        ),
        retry=retry,
    )  # fmt: skip
    zego = ZegoProvider(
        load_zego_settings(
            {}, endpoint=f"{sim['base_url']}/zego", use_keyring=False, app_id=sim_app_id(),
            server_secret=sim_secret(), user_id="bench",
        ),
        retry=retry,
    )  # fmt: skip
    browsers = [
        ("yinsuda", yinsuda.details, sim["yinsuda"]),
        ("xiaowei", xiaowei.details, sim["xiaowei"]),
        ("zego", zego.details, sim["zego"]),
    ]
    caches = (yinsuda._details, xiaowei._songs, zego._copyright)
    rows: list[tuple[int, int, bool]] = []
    browsed = 0
    try:
        while browsed < SONGS:
            for _name, details, ids in browsers:
                start = browsed // len(browsers) % (len(ids) - PAGE)
                await details(ids[start : start + PAGE])
            browsed += PAGE * len(browsers)
            if browsed % STEP < PAGE * len(browsers):
                gc.collect()
                rows.append((browsed, rss_kib(), all(len(c) == c.max_entries for c in caches)))
    finally:
        for provider in (yinsuda, xiaowei, zego):
            await provider.aclose()
    baseline = next(kib for _done, kib, full in rows if full)
    print(f"\nRSS while browsing {SONGS} songs (yinsuda/xiaowei/zego details, {PAGE} a page)")
    print("   songs     RSS KiB   vs after warm-up (caches full)")
    for done, kib, full in rows:
        print(f"{done:8d} {kib:11d}   {kib / baseline:6.3f}{'' if full else '   warming up'}")
    sizes = ", ".join(
        f"{name} {len(cache)}/{cache.max_entries}"
        for name, cache in (
            ("yinsuda details", caches[0]),
            ("xiaowei songs", caches[1]),
            ("zego rights", caches[2]),
        )
    )
    print(f"caches: {sizes}")


def sim_app_id() -> int:
    from ktvdesk.cloudsim.zego import DEFAULT_APP_ID

    return DEFAULT_APP_ID


def sim_secret() -> str:
    from ktvdesk.cloudsim.zego import DEFAULT_SERVER_SECRET

    return DEFAULT_SERVER_SECRET
