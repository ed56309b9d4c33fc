"""Live events over the WebSocket: every phone hears a change; a phone that never reads
is dropped without holding anybody up."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from ktvdesk.models import Song
from tests.integration.remote.conftest import Remote


def _ws_url(remote: Remote) -> str:
    return remote.base.replace("http://", "ws://") + "/api/events"


async def _next_state(ws: ClientConnection, predicate: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message["type"] == "state" and predicate(message):
            return message


async def test_a_queued_song_reaches_every_phone(quiet_remote: Remote) -> None:
    base = quiet_remote.base
    phone = await quiet_remote.phone("Ann")
    async with phone:
        credential = phone.headers["authorization"]
        # Header auth (scripts) and first-message auth (browsers) both work.
        async with (
            connect(_ws_url(quiet_remote), additional_headers={"Authorization": credential}) as one,
            connect(_ws_url(quiet_remote)) as two,
        ):
            await two.send(json.dumps({"credential": credential.split()[1]}))
            for ws in (one, two):
                first = json.loads(await ws.recv())
                assert first["type"] == "state" and first["queue"] == []
            song_id = (await phone.get(f"{base}/api/search", params={"q": "mlh"})).json()["results"][0][
                "items"
            ][0]["id"]
            await phone.post(f"{base}/api/queue", json={"provider": "local", "song_id": song_id})
            for ws in (one, two):
                state = await asyncio.wait_for(_next_state(ws, lambda m: m["queue"]), 5)
                assert [(e["singer"], e["song"]["title"]) for e in state["queue"]] == [("Ann", "茉莉花")]


async def test_a_websocket_without_credential_is_closed(quiet_remote: Remote) -> None:
    async with connect(_ws_url(quiet_remote)) as ws:
        await ws.send(json.dumps({"credential": "nope"}))
        await ws.wait_closed()
        assert ws.close_code == 4401
    assert len(quiet_remote.room.hub) == 0


async def test_a_phone_that_never_reads_is_dropped_and_the_others_carry_on(quiet_remote: Remote) -> None:
    session, hub = quiet_remote.session, quiet_remote.room.hub
    hub.send_timeout_s = 1.0  # the app waits 5 s for a stalled phone; the rule is the same
    phone = await quiet_remote.phone("Sleepy")
    async with phone:
        credential = phone.headers["authorization"].encode()
        host, port = quiet_remote.base.removeprefix("http://").split(":")
        # A raw client with a tiny receive buffer that completes the handshake and then
        # never reads another byte.
        sleepy = socket.socket()
        sleepy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sleepy.setblocking(False)
        loop = asyncio.get_running_loop()
        await loop.sock_connect(sleepy, (host, int(port)))
        key = base64.b64encode(os.urandom(16))
        await loop.sock_sendall(
            sleepy,
            b"GET /api/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
            + key
            + b"\r\nAuthorization: "
            + credential
            + b"\r\n\r\n",
        )
        async with connect(
            _ws_url(quiet_remote), additional_headers={"Authorization": credential.decode()}
        ) as awake:
            heard: list[dict[str, Any]] = []
            heard_more = asyncio.Event()

            async def listen() -> None:  # a phone that keeps up
                async for text in awake:
                    heard.append(json.loads(text))
                    heard_more.set()

            listener = asyncio.ensure_future(listen())
            for i in range(60):
                session.enqueue(Song(provider="local", id=str(i), title=f"Song {i} " + "x" * 200))
            await asyncio.wait_for(_until(lambda: len(hub) == 2), 5)
            # Every move publishes a ~20 KB snapshot; the sleepy phone's socket fills up.
            for _ in range(100_000):
                if len(hub) < 2:
                    break
                session.move_to_top(session.upcoming[-1].entry_id)
                await asyncio.sleep(0.001)  # one flush per loop turn, as in the app
            assert len(hub) == 1, "the phone that never reads was not dropped"
            top = session.upcoming[0].entry_id

            def latest_heard() -> bool:
                return bool(heard and heard[-1]["queue"] and heard[-1]["queue"][0]["entry_id"] == top)

            while not latest_heard():
                heard_more.clear()
                await asyncio.wait_for(heard_more.wait(), 10)
            assert len(heard[-1]["queue"]) == 60
            revisions = [m["revision"] for m in heard if m["type"] == "state"]
            assert revisions == sorted(set(revisions)), "a state arrived twice or out of order"
            listener.cancel()
        sleepy.close()


async def _until(predicate: Callable[[], bool]) -> None:
    # The server registers a raw phone on its side; nothing to await but the count.
    while not predicate():  # type: ignore[operator]  # noqa: ASYNC110
        await asyncio.sleep(0.01)
