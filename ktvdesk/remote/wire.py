"""The one channel between the app and the remote's process: JSON frames over a socket.

Each frame is a 4-byte big-endian length and a UTF-8 JSON object. Three kinds:
`{"k": "call", "id", "op", "a"}` asks the other side and gets exactly one
`{"k": "reply", "id", "r"}` (or `"e"`: a refusal with its HTTP status and message);
`{"k": "note", "op", "a"}` tells and expects nothing. Both sides may call and note.

Nothing here waits on the peer except `call`: writes are buffered by the transport, so
the app's (GUI) loop never blocks on a remote that stopped reading; `backlog` says how
much is waiting so the owner can give up on such a peer.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import logging
import struct
from collections.abc import Awaitable, Callable
from typing import Any

from ktvdesk.errors import UserMessage
from ktvdesk.remote.errors import RemoteError

log = logging.getLogger(__name__)

HEADER = struct.Struct("!I")
MAX_FRAME = 32 * 1024 * 1024  # a snapshot of a very long queue is well under this
Args = dict[str, Any]
OnCall = Callable[[str, Args], Awaitable[Any] | Any]
OnNote = Callable[[str, Args], None]
_INTERNAL = UserMessage("出错了，请稍后再试。", "Something went wrong. Please try again.")


class ChannelClosed(ConnectionError):
    """The other side is gone (or went while a call waited)."""


def encode(message: Args) -> bytes:
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    return HEADER.pack(len(body)) + body


class Channel:
    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        on_call: OnCall | None = None,
        on_note: OnNote | None = None,
    ) -> None:
        self._reader, self._writer = reader, writer
        self._on_call = on_call
        self._on_note = on_note
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.closed = False

    @classmethod
    async def open(
        cls, sock: Any, *, on_call: OnCall | None = None, on_note: OnNote | None = None
    ) -> Channel:
        reader, writer = await asyncio.open_connection(sock=sock, limit=MAX_FRAME)
        return cls(reader, writer, on_call=on_call, on_note=on_note)

    @property
    def backlog(self) -> int:
        """Bytes written but not yet taken by the peer."""
        return 0 if self.closed else self._writer.transport.get_write_buffer_size()

    def note(self, op: str, **args: Any) -> None:
        self._send({"k": "note", "op": op, "a": args})

    async def call(self, op: str, **args: Any) -> Any:
        """Ask the other side; its answer, or the `RemoteError` it refused with."""
        if self.closed:
            raise ChannelClosed(f"channel closed before {op}")
        call_id = next(self._ids)
        waiting: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[call_id] = waiting
        try:
            self._send({"k": "call", "id": call_id, "op": op, "a": args})
            return await waiting
        finally:
            self._waiting.pop(call_id, None)

    async def serve(self) -> None:
        """Read frames until the peer goes; every call still waiting then fails."""
        try:
            while True:
                header = await self._reader.readexactly(HEADER.size)
                (size,) = HEADER.unpack(header)
                if size > MAX_FRAME:
                    raise ValueError(f"frame of {size} bytes")
                self._dispatch(json.loads(await self._reader.readexactly(size)))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the peer closed: the normal end
        finally:
            self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_exception(ChannelClosed("the other side is gone"))
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            self._writer.close()

    # ---- inside -------------------------------------------------------------------------

    def _send(self, message: Args) -> None:
        if self.closed:
            return  # nobody left to tell
        self._writer.write(encode(message))

    def _dispatch(self, message: Args) -> None:
        kind = message.get("k")
        if kind == "reply":
            waiting = self._waiting.get(int(message["id"]))
            if waiting is None or waiting.done():
                return
            if "e" in message:
                waiting.set_exception(_refusal(message["e"]))
            else:
                waiting.set_result(message.get("r"))
        elif kind == "note":
            if self._on_note is not None:
                self._on_note(str(message["op"]), message.get("a") or {})
        elif kind == "call":
            self._answer(int(message["id"]), str(message["op"]), message.get("a") or {})

    def _answer(self, call_id: int, op: str, args: Args) -> None:
        try:
            if self._on_call is None:
                raise RemoteError(404, "not_found", _INTERNAL)
            result = self._on_call(op, args)
        except Exception as exc:
            self._reply_error(call_id, op, exc)
            return
        if not inspect.isawaitable(result):
            self._send({"k": "reply", "id": call_id, "r": result})
            return

        async def finish(pending: Awaitable[Any]) -> None:
            try:
                value = await pending
            except Exception as exc:
                self._reply_error(call_id, op, exc)
                return
            self._send({"k": "reply", "id": call_id, "r": value})

        task = asyncio.get_running_loop().create_task(finish(result), name=f"remote-{op}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _reply_error(self, call_id: int, op: str, exc: Exception) -> None:
        if not isinstance(exc, RemoteError):
            log.exception("remote: %s failed", op, exc_info=exc)
            exc = RemoteError(500, "internal", _INTERNAL)
        refusal = {
            "status": exc.status,
            "code": exc.code,
            "zh": exc.user_message.zh,
            "en": exc.user_message.en,
            "retry_after_ms": exc.retry_after_ms,
        }
        self._send({"k": "reply", "id": call_id, "e": refusal})


def _refusal(data: Args) -> RemoteError:
    message = UserMessage(str(data.get("zh", "")), str(data.get("en", "")))
    retry = data.get("retry_after_ms")
    return RemoteError(
        int(data.get("status", 500)),
        str(data.get("code") or "internal"),
        message,
        retry_after_ms=int(retry) if retry is not None else None,
    )
