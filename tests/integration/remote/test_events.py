"""Live events over the WebSocket: every phone hears a change; a phone that never reads
is dropped without holding anybody up. Every wait here is for something that happens
(a message heard, a reply), never a sleep."""

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
            assert await quiet_remote.server.phones() == 2
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
    assert await quiet_remote.server.phones() == 0


def _at_least(revision: int) -> Callable[[dict[str, Any]], bool]:
    return lambda message: int(message["revision"]) >= revision


async def _sleepy_phone(remote: Remote, credential: bytes) -> socket.socket:
    """A raw client with a tiny receive buffer that completes the handshake, reads the
    start of its first state (so it is surely subscribed) and then never reads again."""
    host, port = remote.base.removeprefix("http://").split(":")
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
    heard = b""
    while b'"type": "state"' not in heard:
        chunk = await asyncio.wait_for(loop.sock_recv(sleepy, 1024), 10)
        assert chunk, "the server closed the sleepy phone before its first state"
        heard += chunk
    assert heard.startswith(b"HTTP/1.1 101")
    return sleepy


async def test_a_phone_that_never_reads_is_dropped_and_the_others_carry_on(impatient_remote: Remote) -> None:
    remote = impatient_remote
    session, room = remote.session, remote.room
    for i in range(60):
        session.enqueue(Song(provider="local", id=str(i), title=f"Song {i} " + "x" * 200))
    phone = await remote.phone("Sleepy")
    async with phone:
        credential = phone.headers["authorization"].encode()
        sleepy = await _sleepy_phone(remote, credential)
        async with connect(
            _ws_url(remote), additional_headers={"Authorization": credential.decode()}
        ) as awake:
            heard: list[dict[str, Any]] = [json.loads(await awake.recv())]  # subscribed too
            assert await remote.server.phones() == 2
            # Each move goes out at once as a ~20 KB snapshot; the awake phone hears each
            # one before the next move, so the pace is the awake phone's, and the sleepy
            # phone's socket fills up until the server gives up on it.
            dropped = False
            for move in range(1, 100_000):
                session.move_to_top(session.upcoming[-1].entry_id)
                room.publish()
                heard.append(await asyncio.wait_for(_next_state(awake, _at_least(room.revision)), 10))
                if move % 20 == 0 and await remote.server.phones() == 1:
                    dropped = True
                    break
            assert dropped, "the phone that never reads was not dropped"
            top = session.upcoming[0].entry_id
            session.move_to_top(session.upcoming[-1].entry_id)  # one more change after the drop
            room.publish()
            last = await asyncio.wait_for(_next_state(awake, lambda m: m["revision"] == room.revision), 10)
            assert last["queue"][1]["entry_id"] == top and len(last["queue"]) == 60
            heard.append(last)
            revisions = [m["revision"] for m in heard]
            assert revisions == sorted(set(revisions)), "a state arrived twice or out of order"
        sleepy.close()
