"""Serving the phone remote: uvicorn in a process of its own, one channel to the app.

Why a process: on a thread of the app's process the server's Python work (HTTP parsing,
auth, rate limits, JSON, the WebSocket fan-out) still took turns with the lyric view's
painting under the GIL; fifty phones raised the paint p99 from 2.7 to 6.1 ms. In a
process of its own (`child`, started with `spawn`) it has its own interpreter and GIL.
What needs the session (queue edits, controls, cheers, favourites, catalog look-ups)
crosses one socketpair (`wire.Channel`) to `RemoteRoom` on the app's loop; the room sends
one state snapshot per change back, which the process keeps and fans out.

The listening socket is bound here, synchronously, so a wrong `--remote-host` or a taken
port is one clear error at start-up; the process gets a copy. Because the app keeps its
copy, a crashed remote process can be started again on the same address
(`restart`), and phones that connect meanwhile wait in the backlog. The app never waits
for the process: every write is buffered, nothing blocks on a reply, and a process that
stops reading is stopped (`MAX_BACKLOG`). The default address is the machine's primary
LAN address; 0.0.0.0 is used only when typed. uvicorn's access log is off: the page's
own URL carries the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import multiprocessing
import os
import socket
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ktvdesk.errors import ConfigError, UserMessage
from ktvdesk.remote.auth import Guest
from ktvdesk.remote.front import FrontConfig
from ktvdesk.remote.room import RemoteRoom
from ktvdesk.remote.wire import Channel

log = logging.getLogger(__name__)

# A TEST-NET address: connecting a UDP socket to it sends nothing, it only makes the
# kernel pick the interface (and so the address) it would route through.
_ROUTE_PROBE = ("192.0.2.1", 9)
PROCESS_NAME = "ktvdesk-remote"
START_TIMEOUT_S = 60.0  # a cold start of a fresh interpreter on a slow room terminal
STOP_TIMEOUT_S = 5.0
MAX_BACKLOG = 16 * 1024 * 1024  # bytes the process may leave unread before it is stopped
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


class RemoteServer:
    def __init__(
        self,
        room: RemoteRoom,
        *,
        host: str | None = None,
        port: int = 0,
        url_file: Path | None = None,
        max_phones: int | None = None,
        send_timeout_s: float | None = None,
    ) -> None:
        self.room = room
        self.host = host or primary_lan_address()
        self.port = port
        self.url_file = url_file
        self.failure: str | None = None  # why the remote process stopped on its own
        self.on_failure: list[Callable[[str], None]] = []
        self._tuning = {
            k: v for k, v in (("max_phones", max_phones), ("send_timeout_s", send_timeout_s)) if v is not None
        }
        self._socket: socket.socket | None = None
        self._process: BaseProcess | None = None
        self._channel: Channel | None = None
        self._reading: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[None] | None = None
        self._stopping = False
        self._started = False  # ready once: a later end is a failure `_read` reports
        self._calls = room.calls()
        room.on_reset.append(self._on_reset)

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

    @property
    def running(self) -> bool:
        return self._channel is not None and not self._channel.closed

    @property
    def pid(self) -> int | None:
        """The remote process's id (None when stopped)."""
        return self._process.pid if self._process is not None and self.running else None

    async def start(self) -> None:
        """Start the remote's process; returns once it listens (raises what stopped it)."""
        self.bind()
        if self.running:
            return
        assert self._socket is not None
        self._stopping, self._started, self.failure = False, False, None
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        config = FrontConfig(
            token=self.room.key.token,
            guests=tuple(self.room.key.guests()),
            limits=self.room.limits,
            log_level=logging.getLogger().getEffectiveLevel(),
            **self._tuning,  # type: ignore[arg-type]
        )
        self._ready = loop.create_future()
        try:
            self._launch(config, theirs)
        finally:
            theirs.close()  # the child holds its copy; ours would hide its end of file
        channel = self._channel = await Channel.open(ours, on_call=self._on_call, on_note=self._on_note)
        self._reading = loop.create_task(self._read(channel), name="remote-channel")
        self.room.attach(self._send_state)
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), START_TIMEOUT_S)
        except BaseException as exc:
            await self._stop_worker()
            if isinstance(exc, Exception):
                self._failed(str(exc) or type(exc).__name__)
            raise
        self._started = True
        log.info("phone remote listening on %s (%s)", self.base_url, self._where())
        self._write_url_file()

    def _launch(self, config: FrontConfig, theirs: socket.socket) -> None:
        from ktvdesk.remote import child

        assert self._socket is not None
        # spawn, never fork: the app runs Qt and libVLC threads.
        context = multiprocessing.get_context("spawn")
        process = context.Process(
            target=child.main, args=(config, self._socket, theirs), name=PROCESS_NAME, daemon=True
        )
        process.start()
        self._process = process

    def _where(self) -> str:
        return f"process {self._process.pid}" if self._process is not None else "stopped"

    async def restart(self) -> None:
        """Start the remote process again (after a crash, or the host's wish): same address,
        same token, the same phones signed in."""
        await self._stop_worker()
        await self.start()

    async def phones(self) -> int:
        """How many phones hold a live connection now (asks the process)."""
        if self._channel is None:
            return 0
        count: int = await asyncio.wait_for(self._channel.call("phones"), STOP_TIMEOUT_S)
        return count

    # ---- the channel -------------------------------------------------------------------

    def _on_call(self, op: str, args: dict[str, Any]) -> Any:
        handler = self._calls.get(op)
        if handler is None:
            raise KeyError(op)
        return handler(args)

    def _on_note(self, op: str, args: dict[str, Any]) -> None:
        if op == "ready" and self._ready is not None and not self._ready.done():
            self._ready.set_result(None)
        elif op == "failed" and self._ready is not None and not self._ready.done():
            self._ready.set_exception(RuntimeError(f"the phone remote could not start: {args.get('why')}"))
        elif op == "joined":
            guest = Guest(str(args["guest_id"]), str(args["singer"]), str(args["credential"]))
            self.room.key.admit(guest, str(args["token"]))
        elif op == "log":
            logging.getLogger(str(args["name"])).log(int(args["level"]), "%s", args["text"])

    def _send_state(self, state: dict[str, Any]) -> None:
        channel = self._channel
        if channel is None or channel.closed:
            return
        channel.note("state", state=state)
        if channel.backlog > MAX_BACKLOG:
            log.error("phone remote: its process stopped reading; stopping it")
            self._kill()

    def _on_reset(self) -> None:
        if self._channel is not None:
            self._channel.note("reset", token=self.room.key.token)
        self._write_url_file()

    async def _read(self, channel: Channel) -> None:
        await channel.serve()
        if self._channel is channel:
            self._channel = None
            self.room.detach()
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(RuntimeError("the phone remote stopped during start-up"))
        if self._started and not self._stopping:  # during start-up, `start` reports it
            self._failed(await self._reap())

    def _failed(self, why: str) -> None:
        self.failure = why
        log.error("phone remote stopped on its own (%s); phones cannot reach the room", why)
        for listener in list(self.on_failure):
            listener(why)

    # ---- stopping ----------------------------------------------------------------------

    async def _stop_worker(self) -> None:
        """Ask the process to stop, wait for it without blocking the loop,
        and make sure it is gone."""
        self._stopping = True
        channel, reading = self._channel, self._reading
        if channel is not None:
            channel.note("stop")
            if reading is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(reading), STOP_TIMEOUT_S)
            channel.close()
        if reading is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reading
        await self._reap()
        self._channel, self._reading = None, None
        self.room.detach()

    async def _reap(self) -> str:
        """Make sure the worker is gone; how it ended."""
        process = self._process
        why = "it ended"
        if process is not None:
            if not await _ended(process, STOP_TIMEOUT_S):
                process.terminate()
                if not await _ended(process, STOP_TIMEOUT_S):
                    process.kill()
                    await _ended(process, STOP_TIMEOUT_S)
            code = process.exitcode
            why = "it is stuck" if code is None else f"exit status {code}" if code >= 0 else f"signal {-code}"
            self._process = None
            with contextlib.suppress(ValueError):
                process.close()
        return why

    def _kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        if self._channel is not None:
            self._channel.close()

    def _write_url_file(self) -> None:
        if self.url_file is None or not self.running:
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
        """Stop the remote (uvicorn says goodbye, 1012, to every phone), then let go of
        the session."""
        await self._stop_worker()
        self.room.close()
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _ended(process: BaseProcess, timeout_s: float) -> bool:
    """Wait for the process to end, watching it on the loop (never a blocking `join`).

    A pidfd (Linux) becomes readable exactly when the process can be reaped; the
    sentinel pipe elsewhere, which the kernel closes a moment earlier, hence the short
    re-check after it."""
    if process.exitcode is not None:
        return True
    loop = asyncio.get_running_loop()
    ended = loop.create_future()
    pidfd = _pidfd(process)
    watched = pidfd if pidfd is not None else process.sentinel
    loop.add_reader(watched, _settle, ended)
    try:
        await asyncio.wait_for(ended, timeout_s)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(watched)
        if pidfd is not None:
            os.close(pidfd)
    for _ in range(100):
        if process.exitcode is not None:  # reaps it (WNOHANG): it has ended, this does not wait
            return True
        await asyncio.sleep(0.01)  # only between the sentinel and the zombie: microseconds
    return False


def _pidfd(process: BaseProcess) -> int | None:
    open_pidfd = getattr(os, "pidfd_open", None)
    if open_pidfd is None or process.pid is None:
        return None
    try:
        return int(open_pidfd(process.pid))
    except OSError:  # an old kernel, or already reaped
        return None


__all__ = ["RemoteServer", "bind_socket", "primary_lan_address"]
