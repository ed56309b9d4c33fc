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

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ErrorReply = Callable[[Scope], Response | None]
IsMedia = Callable[[Scope], bool]


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int | None = None
    injected_errors: int = 0
    dropped: int = 0
    # Deterministic cuts of media downloads (a CDN edge dropping a stream mid-file):
    # the next `media_cuts` media responses stop after `media_cut_fraction` of their body.
    media_cuts: int = 0
    media_cut_fraction: float = 0.5
    media_cut: int = 0
    # After a cut, refuse this many media requests with 403 (the edge lost the link):
    # the player cannot simply reconnect, it needs a fresh link from the catalog.
    refuse_after_cut: int = 0
    media_refusals: int = 0
    media_refused: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self.rng.seed(self.seed)

    def pick(self, choices: tuple[str, ...]) -> str:
        with self.lock:
            return self.rng.choice(choices)

    def cut_media(self, count: int = 1, fraction: float = 0.5, *, refuse_after: int = 0) -> None:
        """Cut the next `count` media responses after `fraction` of their body, then refuse
        the `refuse_after` media requests that follow each cut (403)."""
        if not 0 < fraction < 1:
            raise ValueError("fraction must be between 0 and 1")
        with self.lock:
            self.media_cuts = count
            self.media_cut_fraction = fraction
            self.refuse_after_cut = refuse_after

    def take_media_refusal(self) -> bool:
        with self.lock:
            if self.media_refusals <= 0:
                return False
            self.media_refusals -= 1
            self.media_refused += 1
            return True

    def take_media_cut(self) -> float | None:
        """The fraction to cut this media response at, or None to serve it whole."""
        with self.lock:
            if self.media_cuts <= 0:
                return None
            self.media_cuts -= 1
            self.media_cut += 1
            self.media_refusals += self.refuse_after_cut
            return self.media_cut_fraction

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self.lock:
            return self.rng.random() < rate


class _Dropped(Exception):
    """Raised after a partial body so the server aborts the connection."""


class FaultMiddleware:
    def __init__(
        self, app: ASGIApp, faults: Faults, error_reply: ErrorReply, is_media: IsMedia | None = None
    ) -> None:
        self.app = app
        self.faults = faults
        self.error_reply = error_reply
        self.is_media = is_media

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
        media = self.is_media is not None and self.is_media(scope)
        if media and faults.take_media_refusal():
            await PlainTextResponse("403 Forbidden: link lost at the edge", 403)(scope, receive, send)
            return
        fraction = faults.take_media_cut() if media else None
        if fraction is None and faults.roll(faults.drop_rate):
            fraction = 0.5
        if fraction is None:
            await self.app(scope, receive, send)
            return

        async def cut(message: Message) -> None:
            if message["type"] == "http.response.body":
                body: bytes = message.get("body", b"")
                kept = body[: int(len(body) * fraction)]
                await send({"type": "http.response.body", "body": kept, "more_body": True})
                faults.dropped += 1
                raise _Dropped("connection cut by fault injection")
            await send(message)

        try:
            await self.app(scope, receive, cut)
        except _Dropped:
            # Returning with the body unfinished makes uvicorn close the connection.
            return
