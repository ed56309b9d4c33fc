"""The remote's own process: uvicorn + Starlette serving the phones, one channel to the app.

Started by `server.RemoteServer` with the `spawn` method (a fresh interpreter: the app
runs Qt and libVLC threads, which `fork` would copy half-way). It gets the listening
socket the app bound and its end of a socketpair (`wire.Channel`), and imports nothing
of the session, the catalogs or Qt: only the web stack, auth, limits and the page.

It dies with the app: the channel's end of file (the app exited, crashed or closed it)
stops the server; on Linux the kernel also sends SIGTERM when the app's process goes
(PR_SET_PDEATHSIG), in case this process is too stuck to read. Ctrl+C in a terminal
reaches the whole process group; here it is ignored, the app decides when to stop.
Log lines go to the app over the channel (redacted here first) and land in its log.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from typing import Any

import uvicorn

from ktvdesk.logs import redact
from ktvdesk.remote.api import build_app
from ktvdesk.remote.front import FrontConfig, RoomFront
from ktvdesk.remote.wire import Channel

log = logging.getLogger(__name__)

GRACE_S = 2.0  # open requests get this long to finish when the app stops the server
NICENESS = 5  # below the app: a busy room terminal serves phones a little later, never frames late
_PR_SET_PDEATHSIG = 1


def main(config: FrontConfig, listener: socket.socket, channel: socket.socket) -> None:
    """The process's entry point (`multiprocessing` spawn target)."""
    _die_with_parent()
    _forget_secrets()
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICENESS)  # when the CPU is short, the song and the lyrics go first, phones wait
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        asyncio.run(serve(config, listener, channel))
    except BaseException:  # told to the app over the channel when it can still hear
        log.exception("remote process failed")
        raise


async def serve(config: FrontConfig, listener: socket.socket, channel_sock: socket.socket) -> None:
    """Serve until the app says stop or goes away."""
    front = RoomFront(config)
    server: _Server | None = None
    first_state = asyncio.get_running_loop().create_future()

    def on_note(op: str, args: dict[str, Any]) -> None:
        if op == "state":
            front.on_state(args["state"])
            if not first_state.done():
                first_state.set_result(None)
        elif op == "reset":
            front.on_reset(str(args["token"]))
        elif op == "stop" and server is not None:
            server.should_exit = True

    def on_call(op: str, args: dict[str, Any]) -> Any:
        if op == "phones":
            return len(front.hub)
        raise KeyError(op)

    channel = await Channel.open(channel_sock, on_call=on_call, on_note=on_note)
    front.channel = channel
    with _forwarded_logs(channel, config.log_level):
        reading = asyncio.ensure_future(channel.serve())
        await asyncio.wait({first_state, reading}, return_when=asyncio.FIRST_COMPLETED)
        if not first_state.done():
            return  # the app went before it said anything
        server = _Server(_uvicorn_config(front))
        serving = asyncio.ensure_future(server.serve(sockets=[listener]))
        started = asyncio.ensure_future(server.ready.wait())
        await asyncio.wait({started, serving}, return_when=asyncio.FIRST_COMPLETED)
        if not started.done():
            started.cancel()
            reading.cancel()
            why = _failure(serving)
            channel.note("failed", why=why)
            await _drain(channel)
            channel.close()
            return
        channel.note("ready")
        await asyncio.wait({serving, reading}, return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True  # the app went, or told us to stop
        front.hub.close_all(reason="server stopping")
        with contextlib.suppress(Exception):
            await serving
        channel.close()
        reading.cancel()


def _uvicorn_config(front: RoomFront) -> uvicorn.Config:
    logging.getLogger("uvicorn.access").disabled = True  # its lines would carry ?t=TOKEN
    return uvicorn.Config(
        build_app(front),
        log_config=None,
        access_log=False,
        lifespan="off",
        server_header=False,
        ws_max_size=4096,
        ws_per_message_deflate=False,  # LAN traffic; saves CPU on the room terminal
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        timeout_keep_alive=10,
        timeout_graceful_shutdown=int(GRACE_S),
        limit_concurrency=400,
        h11_max_incomplete_event_size=8192,
    )


class _Server(uvicorn.Server):
    """uvicorn without signal handlers of its own (the app decides when it stops), and a
    `ready` event instead of polling `started`."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.should_exit:
            self.ready.set()


def _failure(serving: asyncio.Future[None]) -> str:
    if serving.cancelled():
        return "cancelled"
    error = serving.exception()
    return redact(repr(error)) if error is not None else "the server stopped during start-up"


async def _drain(channel: Channel) -> None:
    """Let the last note leave before the process ends."""
    for _ in range(50):
        if not channel.backlog:
            return
        await asyncio.sleep(0.01)


class _ToApp(logging.Handler):
    """Sends each record, redacted, over the channel; the app logs it under its name."""

    def __init__(self, channel: Channel, loop: asyncio.AbstractEventLoop, level: int) -> None:
        super().__init__(level)
        self.channel, self.loop = channel, loop
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = redact(self.format(record))
            note = {"level": record.levelno, "name": record.name, "text": text}
            if self.loop.is_closed():
                return
            self.loop.call_soon_threadsafe(lambda: self.channel.note("log", **note))
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def _forwarded_logs(channel: Channel, level: int) -> Iterator[None]:
    root = logging.getLogger()
    handler = _ToApp(channel, asyncio.get_running_loop(), level)
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield
    finally:
        root.removeHandler(handler)


_SECRET_WORDS = ("SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL", "API_KEY", "SIGNATURE")


def _forget_secrets() -> None:
    """The phones' process needs no provider credential or setting: take the app's
    (`KTVDESK_*`) and anything secret-looking out of its environment, so nothing it runs
    can read them from `os.environ`."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith("KTVDESK_") or any(word in upper for word in _SECRET_WORDS):
            os.environ.pop(name, None)


def _die_with_parent() -> None:
    """Linux: SIGTERM to this process when the app's process ends (a belt to the
    channel's braces: it works even if this process's loop is stuck)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
