"""Serving the phone remote: uvicorn on a thread of its own, with its own asyncio loop.

Why a thread: with uvicorn on the GUI thread's loop (qasync), fifty phones doubled the
lyric view's paint p99, because HTTP parsing, JSON and WebSocket writes took turns with
painting. On its own loop the server does all of that off the GUI thread and hands only
the session calls over (`bridge.LoopBridge`); the session stays single-threaded.

The socket is bound synchronously before anything starts, so a wrong `--remote-host` or
a taken port is one clear error at start-up. The default address is the machine's
primary LAN address (what a phone in the room can reach); 0.0.0.0 is used only when
typed. uvicorn's access log is off: the page's own URL carries the token.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ipaddress
import logging
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import uvicorn

from ktvdesk.errors import ConfigError, UserMessage
from ktvdesk.remote.api import build_app
from ktvdesk.remote.room import RemoteRoom

log = logging.getLogger(__name__)

# A TEST-NET address: connecting a UDP socket to it sends nothing, it only makes the
# kernel pick the interface (and so the address) it would route through.
_ROUTE_PROBE = ("192.0.2.1", 9)
THREAD_NAME = "ktvdesk-remote"
STOP_TIMEOUT_S = 5.0
_CANNOT_BIND = UserMessage(
    "手机点歌服务无法在 {addr} 启动：{why}", "The phone remote cannot listen on {addr}: {why}"
)


def primary_lan_address() -> str:
    """The address of the interface that carries the default route, else loopback."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(_ROUTE_PROBE)
        address = str(probe.getsockname()[0])
        if not ipaddress.ip_address(address).is_unspecified:
            return address
    return "127.0.0.1"


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        addr = f"{host}:{port}"
        why = exc.strerror or str(exc)
        raise ConfigError(
            f"cannot bind {addr}: {why}",
            user_message=UserMessage(
                _CANNOT_BIND.zh.format(addr=addr, why=why), _CANNOT_BIND.en.format(addr=addr, why=why)
            ),
            code="remote_bind",
        ) from exc
    return sock


class _Server(uvicorn.Server):
    """uvicorn inside someone else's loop: no signal handlers of its own (the app has
    them), and a `ready` event instead of polling `started`."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


class RemoteServer:
    def __init__(
        self,
        room: RemoteRoom,
        *,
        host: str | None = None,
        port: int = 0,
        url_file: Path | None = None,
        own_thread: bool = True,
    ) -> None:
        self.room = room
        # False: uvicorn on the caller's loop, as before the thread (the benchmark
        # measures both layouts in one run).
        self.own_thread = own_thread
        self._inline: asyncio.Task[None] | None = None
        self.host = host or primary_lan_address()
        self.port = port
        self.url_file = url_file
        self._socket: socket.socket | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._finished: concurrent.futures.Future[None] = concurrent.futures.Future()
        room.on_reset.append(self._write_url_file)

    def bind(self) -> None:
        """Take the address now (raises `ConfigError`); serving starts with `start`."""
        if self._socket is None:
            self._socket = bind_socket(self.host, self.port)
            self.port = int(self._socket.getsockname()[1])

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def url(self) -> str:
        """What the QR code holds: the page with the room's current token."""
        return f"{self.base_url}?t={self.room.key.token}"

    async def start(self) -> None:
        """Serve (on the server thread); returns once it listens (raises what stopped it)."""
        self.bind()
        if self._loop is not None:
            return
        session_loop = asyncio.get_running_loop()
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        if self.own_thread:
            self._thread = threading.Thread(
                target=self._serve_thread, args=(session_loop, ready), name=THREAD_NAME, daemon=True
            )
            self._thread.start()
        else:
            self._loop = session_loop
            self._inline = session_loop.create_task(self._serve_inline(ready), name="remote-server")
        await asyncio.wrap_future(ready)
        log.info("phone remote listening on %s", self.base_url)
        self._write_url_file()

    def _serve_thread(
        self, session_loop: asyncio.AbstractEventLoop, ready: concurrent.futures.Future[None]
    ) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self.room.bridge.attach(session_loop, loop)
        try:
            loop.run_until_complete(self._serve(ready))
        except BaseException as exc:  # reported to `start`, or logged
            if not ready.done():
                ready.set_exception(exc)
            else:
                log.exception("remote server stopped with an error")
        finally:
            self.room.bridge.detach()
            self.room.hub.close_all(reason="server stopping")
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self._finished.set_result(None)

    async def _serve_inline(self, ready: concurrent.futures.Future[None]) -> None:
        try:
            await self._serve(ready)
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            else:
                log.exception("remote server stopped with an error")
        finally:
            self._finished.set_result(None)

    async def _serve(self, ready: concurrent.futures.Future[None]) -> None:
        assert self._socket is not None
        config = uvicorn.Config(
            build_app(self.room),
            log_config=None,
            access_log=False,
            lifespan="off",
            server_header=False,
            ws_max_size=4096,
            ws_per_message_deflate=False,  # LAN traffic; saves CPU on the room terminal
            ws_ping_interval=20.0,
            ws_ping_timeout=20.0,
            timeout_keep_alive=10,
            limit_concurrency=400,
            h11_max_incomplete_event_size=8192,
        )
        logging.getLogger("uvicorn.access").disabled = True  # its lines would carry ?t=TOKEN
        server = self._server = _Server(config)
        task = asyncio.get_running_loop().create_task(
            server.serve(sockets=[self._socket]), name="remote-server"
        )
        started = asyncio.ensure_future(server.ready.wait())
        await asyncio.wait({started, task}, return_when=asyncio.FIRST_COMPLETED)
        if not started.done():
            started.cancel()
            task.result()  # raises what stopped it
            raise RuntimeError("the remote server stopped during start-up")
        ready.set_result(None)
        await task

    def _write_url_file(self) -> None:
        if self.url_file is None or self._server is None:
            return
        target = self.url_file
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        # Owner-only: the file holds the room's token.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(self.url + "\n")
        os.replace(temporary, target)

    async def aclose(self) -> None:
        """Stop the server thread (uvicorn says goodbye, 1012, to every phone itself),
        then let go of the session."""
        loop, server = self._loop, self._server
        if loop is not None:
            if server is not None:
                with contextlib.suppress(RuntimeError):  # its loop already ended
                    loop.call_soon_threadsafe(setattr, server, "should_exit", True)
            finished = asyncio.wrap_future(self._finished)
            try:
                await asyncio.wait_for(asyncio.shield(finished), STOP_TIMEOUT_S)
            except TimeoutError:
                if server is not None:
                    with contextlib.suppress(RuntimeError):
                        loop.call_soon_threadsafe(setattr, server, "force_exit", True)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(finished, STOP_TIMEOUT_S)
            self._thread, self._inline, self._loop = None, None, None
        self.room.close()
        if self._socket is not None:
            self._socket.close()
            self._socket = None
