"""Fault injection for every emulated protocol: latency, error replies, cut connections.

A pure ASGI middleware, so the same knobs apply to the Yinsuda API, the CDN and the
protocols added later; what an "error reply" looks like is asked from a per-path hook.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ErrorReply = Callable[[Scope], Response | None]


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int | None = None
    injected_errors: int = 0
    dropped: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self.rng.seed(self.seed)

    def pick(self, choices: tuple[str, ...]) -> str:
        with self.lock:
            return self.rng.choice(choices)

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self.lock:
            return self.rng.random() < rate


class _Dropped(Exception):
    """Raised after a partial body so the server aborts the connection."""


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults, error_reply: ErrorReply) -> None:
        self.app = app
        self.faults = faults
        self.error_reply = error_reply

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        faults = self.faults
        if faults.latency_ms > 0:
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.roll(faults.error_rate):
            reply = self.error_reply(scope)
            if reply is not None:
                faults.injected_errors += 1
                await reply(scope, receive, send)
                return
        if not faults.roll(faults.drop_rate):
            await self.app(scope, receive, send)
            return

        async def cut(message: Message) -> None:
            if message["type"] == "http.response.body":
                body: bytes = message.get("body", b"")
                await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
                faults.dropped += 1
                raise _Dropped("connection cut by fault injection")
            await send(message)

        try:
            await self.app(scope, receive, cut)
        except _Dropped:
            # Returning with the body unfinished makes uvicorn close the connection.
            return
