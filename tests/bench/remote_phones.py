"""Simulated phones for bench_remote.py, run in their own process (the phones are other
devices: they must not share the app's interpreter or its GIL) at the lowest CPU priority
(nice 19: on a real room terminal they cost nothing; here they take only what the app
leaves of the machine's cores).

    python tests/bench/remote_phones.py URL PHONES SECONDS  → one JSON line on stdout
    (with `cpu_s`: the CPU seconds this process used)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import resource
import sys
import time
from typing import Any

import httpx
from websockets.asyncio.client import connect

QUERIES = ("mlh", "sb", "amazing", "jasmine", "送别", "auld", "茉莉")
SONG_EVERY_S = 10.5  # a little under the 6-a-minute limit


async def phone(number: int, base: str, token: str, seconds: float, report: dict[str, Any]) -> None:
    rng = random.Random(number)
    latencies: list[float] = report["latencies_ms"]
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        joined = await client.post("/api/session", json={"token": token, "singer": f"phone{number:02d}"})
        joined.raise_for_status()
        credential = joined.json()["credential"]
        client.headers["authorization"] = f"Bearer {credential}"
        states: list[int] = []
        ws_url = base.replace("http://", "ws://") + "/api/events"
        async with connect(ws_url, additional_headers={"Authorization": f"Bearer {credential}"}) as ws:

            async def listen() -> None:
                async for text in ws:
                    message = json.loads(text)
                    if message["type"] == "state":
                        states.append(int(message["revision"]))

            listener = asyncio.ensure_future(listen())
            songs: list[dict[str, Any]] = []
            end = time.monotonic() + seconds
            next_song = time.monotonic() + rng.uniform(0, SONG_EVERY_S)

            async def one_call() -> str:
                nonlocal next_song
                if songs and time.monotonic() >= next_song:
                    song = rng.choice(songs)
                    next_song += SONG_EVERY_S
                    r = await client.post(
                        "/api/queue", json={"provider": song["provider"], "song_id": song["id"]}
                    )
                    if r.status_code == 201:
                        report["queued"].append(r.json()["entry_id"])
                    else:
                        report["refused"].append(r.status_code)
                elif rng.random() < 0.7:
                    r = await client.get("/api/search", params={"q": rng.choice(QUERIES)})
                    if r.status_code == 200:
                        songs.extend(s for page in r.json()["results"] for s in page["items"])
                else:
                    r = await client.get("/api/queue")
                return str(r.status_code)

            while time.monotonic() < end:
                started = time.perf_counter()
                try:
                    status = await one_call()
                except httpx.HTTPError as exc:  # counted, not fatal: the report says how many
                    status = type(exc).__name__
                latencies.append((time.perf_counter() - started) * 1000)
                report["statuses"][status] = report["statuses"].get(status, 0) + 1
                await asyncio.sleep(rng.uniform(0.5, 1.5))  # a person tapping, not a loop
            # Stay a moment for the last changes, then report what this phone heard.
            report["ready"] += 1
            if report["ready"] == report["phones"]:
                report["all_done"].set()
            await report["all_done"].wait()
            await asyncio.sleep(1.0)
            listener.cancel()
            report["last_revision"].append(states[-1] if states else -1)
            report["duplicates"] += len(states) - len(set(states))
            report["out_of_order"] += sum(1 for a, b in itertools.pairwise(states) if b <= a)


async def main(url: str, phones: int, seconds: float) -> dict[str, Any]:
    base, _, token = url.partition("/?t=")
    report: dict[str, Any] = {
        "latencies_ms": [],
        "queued": [],
        "refused": [],
        "statuses": {},
        "last_revision": [],
        "duplicates": 0,
        "out_of_order": 0,
        "ready": 0,
        "phones": phones,
        "all_done": asyncio.Event(),
    }
    await asyncio.gather(*(phone(n, base, token, seconds, report) for n in range(phones)))
    del report["all_done"]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report["cpu_s"] = usage.ru_utime + usage.ru_stime
    return report


if __name__ == "__main__":
    os.nice(19)  # the phones are other devices: never ahead of the app for the CPU
    result = asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
    print(json.dumps(result))
