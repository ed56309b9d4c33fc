"""The channel between the app and the remote's process, over a real socketpair."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ktvdesk.errors import UserMessage
from ktvdesk.remote.errors import RemoteError
from ktvdesk.remote.front import _aged
from ktvdesk.remote.limits import Limit, RateLimiter
from ktvdesk.remote.wire import Channel, ChannelClosed


class App:
    """The app's side: answers calls, remembers notes."""

    def __init__(self) -> None:
        self.notes: list[tuple[str, dict[str, Any]]] = []
        self.noted = asyncio.Event()
        self.release = asyncio.Event()
        self.hanging = asyncio.Event()

    def on_call(self, op: str, args: dict[str, Any]) -> Any:
        if op == "add":
            return args["a"] + args["b"]
        if op == "refuse":
            raise RemoteError(429, "too_many", UserMessage("慢点", "Slow down"), retry_after_ms=1500)
        if op == "later":
            return self._later(args["value"])
        if op == "hang":
            self.hanging.set()
            return self.release.wait()
        raise KeyError(op)

    async def _later(self, value: str) -> str:
        await asyncio.sleep(0)
        return value.upper()

    def on_note(self, op: str, args: dict[str, Any]) -> None:
        self.notes.append((op, args))
        self.noted.set()


@pytest.fixture
async def pair() -> AsyncIterator[tuple[Channel, Channel, App]]:
    ours, theirs = socket.socketpair()
    app = App()
    app_side = await Channel.open(ours, on_call=app.on_call, on_note=app.on_note)
    remote_side = await Channel.open(theirs)
    tasks = [asyncio.ensure_future(app_side.serve()), asyncio.ensure_future(remote_side.serve())]
    try:
        yield app_side, remote_side, app
    finally:
        app_side.close()
        remote_side.close()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_calls_are_answered_in_kind(pair: tuple[Channel, Channel, App]) -> None:
    _, remote, _app = pair
    assert await remote.call("add", a=2, b=3) == 5
    assert await remote.call("later", value="茉莉花 ok") == "茉莉花 OK"
    results = await asyncio.gather(*(remote.call("add", a=n, b=n) for n in range(50)))
    assert results == [2 * n for n in range(50)]


async def test_a_refusal_comes_back_as_the_same_remote_error(pair: tuple[Channel, Channel, App]) -> None:
    _, remote, _app = pair
    with pytest.raises(RemoteError) as refused:
        await remote.call("refuse")
    error = refused.value
    assert (error.status, error.code, error.retry_after_ms) == (429, "too_many", 1500)
    assert (error.user_message.zh, error.user_message.en) == ("慢点", "Slow down")
    with pytest.raises(RemoteError) as unknown:
        await remote.call("no_such_call")
    assert unknown.value.status == 500  # an app-side bug is the phone's 500, never a hang


async def test_notes_arrive_in_order(pair: tuple[Channel, Channel, App]) -> None:
    _, remote, app = pair
    for n in range(3):
        remote.note("state", revision=n)
    while len(app.notes) < 3:
        app.noted.clear()
        await app.noted.wait()
    assert app.notes == [("state", {"revision": 0}), ("state", {"revision": 1}), ("state", {"revision": 2})]


async def test_a_waiting_call_fails_when_the_other_side_goes(pair: tuple[Channel, Channel, App]) -> None:
    app_side, remote, app = pair
    waiting = asyncio.ensure_future(remote.call("hang"))
    await asyncio.wait_for(app.hanging.wait(), 5)  # the app is working on it
    app_side.close()
    with pytest.raises(ChannelClosed):
        await asyncio.wait_for(waiting, 5)
    with pytest.raises(ChannelClosed):
        await remote.call("add", a=1, b=1)


def test_a_refused_action_gives_its_count_back() -> None:
    limiter = RateLimiter(Limit(2, 60_000), clock=lambda: 1000)
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    assert limiter.check("a") > 0
    limiter.refund("a")
    assert limiter.check("a") == 0


def test_the_snapshot_ages_only_while_a_song_plays() -> None:
    now = {"position_ms": 1000, "duration_ms": 5000, "playing": True}
    state = {
        "type": "state",
        "revision": 3,
        "at_ms": 1,
        "now": now,
        "queue": [{"starts_in_ms": 4000}, {"starts_in_ms": 9000}, {"starts_in_ms": None}],
    }
    aged = _aged(state, 1500)
    assert "at_ms" not in aged and aged["now"]["position_ms"] == 2500
    assert [e["starts_in_ms"] for e in aged["queue"]] == [2500, 7500, None]
    assert _aged(state, 10_000)["now"]["position_ms"] == 5000  # never past the end
    paused = _aged({**state, "now": {**now, "playing": False}}, 1500)
    assert paused["now"]["position_ms"] == 1000 and paused["queue"][0]["starts_in_ms"] == 4000
