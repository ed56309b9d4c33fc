"""The phone remote over real loopback HTTP: the bundled demo library in SQLite, a real
KaraokeSession on libVLC (dummy audio output) on the test's loop, and the remote's own
process (spawned, as in the app) serving the phones."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ktvdesk.catalog.local import LocalLibraryProvider, bundled_demo_dir
from ktvdesk.playback.vlc_backend import VlcBackend, probe_vlc
from ktvdesk.remote.limits import Limit, RemoteLimits
from ktvdesk.remote.room import RemoteRoom
from ktvdesk.remote.server import RemoteServer
from ktvdesk.session import KaraokeSession
from tests.browser import browser  # noqa: F401  (the Chromium fixture)


@dataclass
class Remote:
    server: RemoteServer
    room: RemoteRoom
    session: KaraokeSession
    url_file: Path

    @property
    def base(self) -> str:
        return self.server.base_url.rstrip("/")

    async def join(self, client: httpx.AsyncClient, singer: str) -> dict[str, str]:
        response = await client.post(
            f"{self.base}/api/session", json={"token": self.room.key.token, "singer": singer}
        )
        assert response.status_code == 200, response.text
        data: dict[str, str] = response.json()
        return data

    async def phone(self, singer: str) -> httpx.AsyncClient:
        """A client signed in as `singer` (close it yourself)."""
        async with httpx.AsyncClient(timeout=10) as joining:
            data = await self.join(joining, singer)
        limits = httpx.Limits(max_connections=50)
        return httpx.AsyncClient(
            timeout=30, limits=limits, headers={"authorization": f"Bearer {data['credential']}"}
        )


async def start_remote(
    tmp_path: Path,
    *,
    playback: bool = True,
    limits: RemoteLimits | None = None,
    send_timeout_s: float | None = None,
) -> tuple[Remote, list[object]]:
    demo = bundled_demo_dir()
    assert demo is not None, "the bundled demo library is missing (resources/demo)"
    library = LocalLibraryProvider(tmp_path / "library.sqlite3", roots=[demo])
    await library.scan()
    backend = None
    if playback:
        available, reason = probe_vlc()
        if not available:
            pytest.fail(f"libVLC is needed here: {reason}")
        backend = VlcBackend(aout="dummy")
    session = KaraokeSession({"local": library}, backend)
    room = RemoteRoom(session, limits=limits)
    url_file = tmp_path / "remote-url.txt"
    server = RemoteServer(room, host="127.0.0.1", port=0, url_file=url_file, send_timeout_s=send_timeout_s)
    await server.start()
    return Remote(server, room, session, url_file), [library, backend]


async def stop_remote(remote: Remote, parts: list[object]) -> None:
    library, backend = parts
    await remote.server.aclose()
    await remote.session.aclose()
    assert isinstance(library, LocalLibraryProvider)
    await library.aclose()
    if isinstance(backend, VlcBackend):
        backend.close()


@pytest.fixture
async def remote(tmp_path: Path) -> AsyncIterator[Remote]:
    running, parts = await start_remote(tmp_path)
    try:
        yield running
    finally:
        await stop_remote(running, parts)


@pytest.fixture
async def quiet_remote(tmp_path: Path) -> AsyncIterator[Remote]:
    """No playback: the queue stays as queued (nothing advances it)."""
    running, parts = await start_remote(tmp_path, playback=False)
    try:
        yield running
    finally:
        await stop_remote(running, parts)


@pytest.fixture
async def frozen_remote(tmp_path: Path) -> AsyncIterator[Remote]:
    """No playback, and the request limit counts over an hour instead of a second: the
    limit is exact however slowly this machine sends (only the count matters, never the
    timing)."""
    limits = RemoteLimits(requests=Limit(RemoteLimits().requests.count, 3_600_000))
    running, parts = await start_remote(tmp_path, playback=False, limits=limits)
    try:
        yield running
    finally:
        await stop_remote(running, parts)


@pytest.fixture
async def impatient_remote(tmp_path: Path) -> AsyncIterator[Remote]:
    """No playback; a phone that stops reading is dropped after 1 s instead of 5 (the
    rule is the same, the test is shorter)."""
    running, parts = await start_remote(tmp_path, playback=False, send_timeout_s=1.0)
    try:
        yield running
    finally:
        await stop_remote(running, parts)


async def raw_requests(base: str, request: bytes, count: int, connections: int = 10) -> list[int]:
    """Send `count` copies of a raw HTTP/1.1 request, pipelined over a few keep-alive
    connections (as fast as the loop can write), and return the status codes."""
    host, port = base.removeprefix("http://").split(":")

    async def one_connection(n: int) -> list[int]:
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request * n)
        await writer.drain()
        codes = []
        for _ in range(n):
            status = await reader.readline()
            codes.append(int(status.split()[1]))
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
        writer.close()
        return codes

    share = [count // connections + (1 if i < count % connections else 0) for i in range(connections)]
    results = await asyncio.gather(*(one_connection(n) for n in share if n))
    return [code for codes in results for code in codes]
