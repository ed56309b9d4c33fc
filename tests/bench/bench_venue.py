"""The venue at scale, against a real PostgreSQL and a real Mosquitto, next to baselines
measured in the same run.

Run: `.venv/bin/pytest tests/bench/bench_venue.py -s` (make bench). Sizes:
KTVDESK_BENCH_VENUE_FILES (default 300,000 files), KTVDESK_BENCH_VENUE_ROOMS (100 rooms),
KTVDESK_BENCH_VENUE_SECONDS (300 s of state traffic).

1. `venue scan` of a song store of real files (tiny valid MP3s named "Singer - Title.mp3"
   with the local library benchmark's generated catalog) into PostgreSQL, next to the
   local SQLite scanner on the same files.
2. Search p95 from a room through the venue API (HTTP on loopback, room auth, JSON),
   next to the local index on the same songs (in process). Goal ≤ 20 ms p95.
3. Rooms publishing their state every second (each a real MQTT client with its own
   credentials and ACL) while the desk sends commands: broker and server CPU, and the
   delay from the desk's request to the room receiving the command.
"""

from __future__ import annotations

import json
import os
import queue
import random
import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion

from ktvdesk.catalog.local import LibraryIndex
from ktvdesk.venue import bus, library, rooms
from ktvdesk.venue.schema import migrate
from tests.bench.bench_library import _queries, make_catalog
from tests.integration.venue.serve_command import serve_args, serve_env
from tests.venue_servers import free_port, mosquitto, postgres, wait_for_port

FILES = int(os.environ.get("KTVDESK_BENCH_VENUE_FILES", "300000"))
ROOMS = int(os.environ.get("KTVDESK_BENCH_VENUE_ROOMS", "100"))
SECONDS = float(os.environ.get("KTVDESK_BENCH_VENUE_SECONDS", "300"))
MQTT_PASSWORD = "bench-broker-secret"


def _tiny_mp3() -> bytes:
    """Three silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz): a valid file to the
    scanner's probe, 1.2 KB on disk."""
    frame = b"\xff\xfb\x90\x64" + bytes(413)
    return frame * 3


def _make_store(root: Path, count: int) -> list[Any]:
    records = make_catalog(count)
    data = _tiny_mp3()
    used: set[str] = set()
    for number, record in enumerate(records):
        folder = root / f"{number // 1000:03d}"
        if number % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        name = f"{'、'.join(record.singers)} - {record.title}".replace("/", " ")
        while name in used:
            name += "'"
        used.add(name)
        (folder / f"{name}.mp3").write_bytes(data)
    return records


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def test_venue_benchmark(tmp_path: Path) -> None:
    store = tmp_path / "store"
    started = time.perf_counter()
    records = _make_store(store, FILES)
    print(
        f"\nsong store: {FILES:,} files made in {time.perf_counter() - started:.0f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    with postgres() as pg, psycopg.connect(pg.dsn) as conn:
        migrate(conn)
        # 1. scan: local SQLite first (the baseline), then the venue; same files, same run.
        index = LibraryIndex(tmp_path / "local.db")
        started = time.perf_counter()
        local = index.scan(store)
        local_s = time.perf_counter() - started
        started = time.perf_counter()
        venue_scan = library.scan(conn, [store])
        venue_s = time.perf_counter() - started
        print(
            f"scan: venue (PostgreSQL) {venue_s:.0f} s for {venue_scan.added:,} songs; "
            f"local (SQLite) {local_s:.0f} s for {local.added:,}; ratio {venue_s / local_s:.2f}×"
        )
        started = time.perf_counter()
        again = library.scan(conn, [store])
        print(
            f"rescan (nothing changed): venue {time.perf_counter() - started:.1f} s, "
            f"{again.unchanged:,} unchanged"
        )

        # 2. search from a room over HTTP vs the local index in process.
        key = rooms.add_room(conn, "bench")
        broker_dir = tmp_path / "broker"
        broker_dir.mkdir()
        for number in range(ROOMS):
            rooms.add_room(conn, f"r{number:03d}")
        passwd, acl = rooms.broker_files(conn, MQTT_PASSWORD)
        (broker_dir / "passwd").write_text(passwd)
        (broker_dir / "acl").write_text(acl)
        room_keys = {f"r{n:03d}": _rekey(conn, f"r{n:03d}") for n in range(ROOMS)}
        passwd, acl = rooms.broker_files(conn, MQTT_PASSWORD)
        (broker_dir / "passwd").write_text(passwd)
        rooms.add_staff(conn, "desk", "bench password")

        with mosquitto(
            broker_dir, password_file=broker_dir / "passwd", acl_file=broker_dir / "acl"
        ) as broker:
            port = free_port()
            server = subprocess.Popen(serve_args(pg.dsn, broker.url, port), env=serve_env(MQTT_PASSWORD))
            try:
                wait_for_port(port, 60, process=server)
                base = f"http://127.0.0.1:{port}"
                _search_figures(base, key, index, records)
                _state_figures(base, broker, server.pid, room_keys)
            finally:
                server.terminate()
                server.wait(30)
        index.close()


def _rekey(conn: psycopg.Connection[Any], room: str) -> str:
    """add_room printed the key once; the benchmark sets a known one per room."""
    from ktvdesk.venue.credentials import mosquitto_password_line, token_hash

    key = f"key-{room}-" + "x" * 32
    conn.execute(
        "UPDATE rooms SET key_hash = %s, mqtt_hash = %s WHERE name = %s",
        (token_hash(key), mosquitto_password_line(room, key), room),
    )
    conn.commit()
    return key


def _search_figures(base: str, key: str, index: LibraryIndex, records: list[Any]) -> None:
    queries = _queries(records, random.Random(7))
    client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}", "X-KTV-Room": "bench"})
    print(f"{'query kind':<12} {'venue p50':>10} {'p95':>8} {'local p50':>10} {'p95':>8} {'p95 ratio':>10}")
    all_venue: list[float] = []
    for kind, texts in queries.items():
        venue_ms: list[float] = []
        local_ms: list[float] = []
        for text in texts:
            started = time.perf_counter_ns()
            client.get("/api/room/search", params={"q": text}).raise_for_status()
            venue_ms.append((time.perf_counter_ns() - started) / 1e6)
            started = time.perf_counter_ns()
            index.search(text, limit=31)
            local_ms.append((time.perf_counter_ns() - started) / 1e6)
        all_venue += venue_ms
        print(
            f"{kind:<12} {statistics.median(venue_ms):>9.1f}ms {_p(venue_ms, 0.95):>6.1f}ms "
            f"{statistics.median(local_ms):>9.1f}ms {_p(local_ms, 0.95):>6.1f}ms "
            f"{_p(venue_ms, 0.95) / max(_p(local_ms, 0.95), 0.01):>9.1f}×"
        )
    print(f"venue search over HTTP, all kinds: p95 {_p(all_venue, 0.95):.1f} ms (goal ≤ 20 ms)")
    client.close()


def _state_figures(base: str, broker: Any, server_pid: int, room_keys: dict[str, str]) -> None:
    received: dict[str, queue.Queue[float]] = {room: queue.Queue() for room in room_keys}
    clients = []
    for room, key in room_keys.items():
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=room)
        client.username_pw_set(room, key)
        client.on_connect = lambda c, u, f, r, p, room=room: c.subscribe(bus.commands_topic(room), qos=1)
        client.on_message = lambda c, u, m, room=room: received[room].put(time.perf_counter())
        client.connect("127.0.0.1", broker.port)
        client.loop_start()
        clients.append((room, client))
    token = httpx.post(f"{base}/api/desk/login", json={"name": "desk", "password": "bench password"}).json()[
        "token"
    ]
    desk = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
    stop = threading.Event()

    def publish_states() -> None:
        tick = 0
        while not stop.is_set():
            for room, client in clients:
                state = {
                    "room": room,
                    "queue_length": tick % 7,
                    "volume": 60,
                    "now_playing": {"title": f"t{tick}"},
                }
                client.publish(bus.state_topic(room), json.dumps(state), qos=1, retain=True)
            tick += 1
            stop.wait(1.0)

    publisher = threading.Thread(target=publish_states, daemon=True)
    cpu_before = {name: _cpu_s(pid) for name, pid in (("broker", broker.process.pid), ("server", server_pid))}
    started = time.perf_counter()
    publisher.start()
    delays_ms: list[float] = []
    rng = random.Random(3)
    while time.perf_counter() - started < SECONDS:
        room = rng.choice(list(room_keys))
        sent = time.perf_counter()
        desk.post(f"/api/desk/rooms/{room}/message", json={"text": "bench"}).raise_for_status()
        delays_ms.append((received[room].get(timeout=10) - sent) * 1000)
        time.sleep(0.5)  # pacing the desk's commands, not synchronisation
    wall = time.perf_counter() - started
    stop.set()
    publisher.join()
    cpu = {
        name: (_cpu_s(pid) - cpu_before[name]) / wall * 100
        for name, pid in (("broker", broker.process.pid), ("server", server_pid))
    }
    live = desk.get("/api/desk/rooms").json()["rooms"]
    seen = sum(1 for room in live if room.get("live"))
    print(
        f"{len(room_keys)} rooms publishing state every second for {wall:.0f} s: broker CPU {cpu['broker']:.1f} %, "
        f"server CPU {cpu['server']:.1f} % (of one core); desk sees {seen}/{len(room_keys)} rooms live"
    )
    print(
        f"desk command → room: {len(delays_ms)} commands, p50 {statistics.median(delays_ms):.1f} ms, "
        f"p95 {_p(delays_ms, 0.95):.1f} ms, max {max(delays_ms):.1f} ms"
    )
    for _, client in clients:
        client.disconnect()
        client.loop_stop()
    desk.close()
