"""A fresh schema per test in the session's real PostgreSQL (`pg`, tests/conftest.py) and,
where asked for, a real Mosquitto per test."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn

from ktvdesk.catalog.venue import VenueProvider, VenueRoom
from ktvdesk.playback.vlc_backend import VlcBackend
from ktvdesk.session import KaraokeSession
from ktvdesk.venue import library, rooms
from ktvdesk.venue.room import RoomAgent, RoomEvent
from ktvdesk.venue.schema import migrate
from ktvdesk.venue.server import VenueConfig, VenueServer, listening_socket
from tests.browser import browser  # noqa: F401  (the Chromium fixture)
from tests.integration.venue.serve_command import serve_args, serve_env
from tests.venue_servers import Mosquitto, Postgres, free_port, mosquitto, wait_for_port


@pytest.fixture
def db(pg: Postgres) -> Iterator[psycopg.Connection[Any]]:
    """A migrated, empty venue database."""
    conn = psycopg.connect(pg.dsn)
    conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    conn.commit()
    migrate(conn)
    yield conn
    conn.close()  # possibly already cut by a test that restarted PostgreSQL


@pytest.fixture
def demo_dir(repo_root: Path) -> Path:
    return repo_root / "resources" / "demo"


@pytest.fixture
def media_dirs(demo_dir: Path) -> list[Path]:
    """The song store the venue scans and serves (a test module may give its own)."""
    return [demo_dir]


MQTT_PASSWORD = "server-broker-secret"
DESK_NAME, DESK_PASSWORD = "desk", "correct horse"  # the staff account of every test venue


def desk_token(url: str) -> str:
    reply = httpx.post(f"{url}/api/desk/login", json={"name": DESK_NAME, "password": DESK_PASSWORD})
    reply.raise_for_status()
    return str(reply.json()["token"])


def desk_client(url: str) -> httpx.Client:
    """The front desk's API, logged in."""
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {desk_token(url)}"}, timeout=10)


@dataclass
class Venue:
    url: str
    pg: Postgres
    broker: Mosquitto
    broker_dir: Path
    server: VenueServer

    def add_room(self, name: str) -> str:
        with psycopg.connect(self.pg.dsn) as conn:
            key = rooms.add_room(conn, name)
            self.write_broker_files(conn)
        self.broker.reload()
        return key

    def write_broker_files(self, conn: psycopg.Connection[Any]) -> None:
        passwd, acl = rooms.broker_files(conn, MQTT_PASSWORD)
        (self.broker_dir / "passwd").write_text(passwd)
        (self.broker_dir / "acl").write_text(acl)


@contextlib.contextmanager
def running(app: Any) -> Iterator[str]:
    """uvicorn on 127.0.0.1 in a thread of its own; yields the base URL."""
    sock = listening_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "venue server did not start"
        time.sleep(0.01)  # uvicorn exposes no start event to wait on across threads
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def venue(
    pg: Postgres, db: psycopg.Connection[Any], media_dirs: list[Path], tmp_path: Path
) -> Iterator[Venue]:
    library.scan(db, media_dirs)
    rooms.add_staff(db, DESK_NAME, DESK_PASSWORD)
    broker_dir = tmp_path / "broker"
    broker_dir.mkdir()
    passwd, acl = rooms.broker_files(db, MQTT_PASSWORD)
    (broker_dir / "passwd").write_text(passwd)
    (broker_dir / "acl").write_text(acl)
    with mosquitto(broker_dir, password_file=broker_dir / "passwd", acl_file=broker_dir / "acl") as broker:
        config = VenueConfig(
            pg.dsn, broker.url, MQTT_PASSWORD, tuple(media_dirs), cache_dir=tmp_path / "server-cache"
        )
        server = VenueServer(config)
        with running(server.app) as url:
            yield Venue(url, pg, broker, broker_dir, server)


@dataclass
class ServerProcess:
    """`ktvdesk venue serve` as a real process, so a test can kill -9 it."""

    args: list[str]
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=out)
        wait_for_port(self.port, 60, process=self.process)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)


@pytest.fixture
def venue_process(venue: Venue, media_dirs: list[Path], tmp_path: Path) -> Iterator[ServerProcess]:
    port = free_port()
    server = ServerProcess(
        serve_args(venue.pg.dsn, venue.broker.url, port, media_dirs),
        port,
        serve_env(MQTT_PASSWORD, KTVDESK_CACHE_DIR=str(tmp_path / "server-process-cache")),
        tmp_path / "venue-server.log",
    )
    server.start()
    yield server
    server.stop()


@dataclass
class Clock:
    """The room's wall clock, which a test moves forward instead of waiting two minutes."""

    offset: timedelta = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Terminal:
    session: KaraokeSession
    provider: VenueProvider
    agent: RoomAgent
    clock: Clock
    events: list[RoomEvent] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.agent.subscribe(self._event)

    def _event(self, event: RoomEvent) -> None:
        self.events.append(event)
        self.changed.set()

    async def until(self, predicate: Callable[[], bool], timeout_s: float = 20) -> None:
        """Re-checked on each room event and at least every 50 ms (bus and HTTP effects
        land on other threads and processes without a session event)."""

        async def wait() -> None:
            while not predicate():
                self.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), 0.05)

        await asyncio.wait_for(wait(), timeout_s)


MakeTerminal = Callable[..., Awaitable[Terminal]]


@pytest.fixture
async def make_terminal(venue: Venue, tmp_path: Path) -> AsyncIterator[MakeTerminal]:
    """Room terminals without a window: a real KaraokeSession on libVLC (dummy audio),
    the venue provider with its own cache, and the room agent on the real broker."""
    made: list[tuple[Terminal, VlcBackend]] = []

    async def make(room: str, url: str, *, autoplay: bool = True) -> Terminal:
        key = venue.add_room(room)
        provider = VenueProvider(VenueRoom(url, room, key), tmp_path / room / "cache")
        backend = VlcBackend(aout="dummy")
        session = KaraokeSession({provider.name: provider}, backend, autoplay=autoplay)
        clock = Clock()
        agent = RoomAgent(
            session, provider, data_dir=tmp_path / room, now=clock, singer_of=session.singers.singer_of
        )
        await agent.start()
        terminal = Terminal(session, provider, agent, clock)
        made.append((terminal, backend))
        return terminal

    yield make
    for terminal, backend in made:
        await terminal.agent.stop()
        await terminal.session.aclose()
        await terminal.provider.aclose()
        backend.close()
