"""HTTP and WebSocket routes of the phone remote (Starlette), over a `RoomFront`; they
run in the remote's own process (`child`).

Every API call but `POST /api/session` needs `Authorization: Bearer <credential>`.
Bodies are JSON, at most `MAX_BODY_BYTES`, validated by pydantic; every refusal is a
JSON `{"error": code, "message": {"zh", "en"}}` with a 4xx status (429 with Retry-After).
The page and its two assets are the only files served, from a fixed list.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from ktvdesk import paths
from ktvdesk.remote import errors as msg
from ktvdesk.remote.auth import Guest, bearer
from ktvdesk.remote.errors import RemoteError
from ktvdesk.remote.events import cancel
from ktvdesk.remote.front import RoomFront
from ktvdesk.remote.views import (
    MAX_BODY_BYTES,
    CheerBody,
    ControlBody,
    FavoriteBody,
    JoinBody,
    QueueBody,
    SearchQuery,
)

log = logging.getLogger(__name__)

B = TypeVar("B", bound=BaseModel)
AUTH_TIMEOUT_S = 5.0
CLOSE_UNAUTHORIZED = 4401
CLOSE_FULL = 4429

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
}
PAGE_FILES = {
    "remote.js": "text/javascript; charset=utf-8",
    "remote.css": "text/css; charset=utf-8",
}


def static_dir() -> Path:
    return paths.resources_dir() / "remote"


def build_app(room: RoomFront) -> Starlette:
    routes = [
        Route("/", lambda request: _page(), methods=["GET"]),
        Route("/static/{name}", _asset, methods=["GET"]),
        Route("/api/session", _endpoint(room, _join, auth=False), methods=["POST"]),
        Route("/api/search", _endpoint(room, _search), methods=["GET"]),
        Route("/api/providers", _endpoint(room, _providers), methods=["GET"]),
        Route("/api/tags", _endpoint(room, _tags), methods=["GET"]),
        Route("/api/tags/{tag_id}", _endpoint(room, _tag_songs), methods=["GET"]),
        Route("/api/charts", _endpoint(room, _charts), methods=["GET"]),
        Route("/api/favorites", _endpoint(room, _favorites), methods=["GET", "POST"]),
        Route("/api/favorites/{provider}/{song_id:path}", _endpoint(room, _unfavorite), methods=["DELETE"]),
        Route("/api/queue", _endpoint(room, _queue), methods=["GET", "POST"]),
        Route("/api/queue/{entry_id:int}/top", _endpoint(room, _top), methods=["POST"]),
        Route("/api/queue/{entry_id:int}", _endpoint(room, _remove), methods=["DELETE"]),
        Route("/api/control", _endpoint(room, _control), methods=["POST"]),
        Route("/api/cheer", _endpoint(room, _cheer), methods=["POST"]),
        WebSocketRoute("/api/events", lambda ws: _events(room, ws)),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(_SecurityHeaders)])
    app.add_exception_handler(404, _not_found)
    app.add_exception_handler(405, _not_found)
    return app


# ---- plumbing -----------------------------------------------------------------------------

Handler = Callable[[RoomFront, Request, Guest | None], Awaitable[Any]]


def _endpoint(
    room: RoomFront, handler: Handler, *, auth: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            guest = room.guest(bearer(request.headers.get("authorization"))) if auth else None
            result = await handler(room, request, guest)
        except RemoteError as exc:
            return _refusal(exc)
        if isinstance(result, Response):
            return result
        return JSONResponse(result)

    return endpoint


def _refusal(exc: RemoteError) -> JSONResponse:
    headers = {}
    if exc.retry_after_ms is not None:
        headers["retry-after"] = str(max(1, -(-exc.retry_after_ms // 1000)))
    body = {"error": exc.code, "message": {"zh": exc.user_message.zh, "en": exc.user_message.en}}
    return JSONResponse(body, status_code=exc.status, headers=headers)


async def _not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    return _refusal(RemoteError(status, "not_found", msg.NOT_FOUND))


async def _body(request: Request, model: type[B]) -> B:
    """The JSON body as `model`: 415 not JSON, 413 too large, 400 malformed, 422 invalid."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise RemoteError(415, "need_json", msg.NEED_JSON)
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise RemoteError(413, "too_large", msg.BODY_TOO_LARGE)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY_BYTES:
            raise RemoteError(413, "too_large", msg.BODY_TOO_LARGE)
    try:
        payload = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RemoteError(400, "bad_json", msg.BAD_JSON) from exc
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise RemoteError(422, "bad_fields", msg.BAD_FIELDS) from exc


def _query(request: Request, model: type[B]) -> B:
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise RemoteError(422, "bad_fields", msg.BAD_FIELDS) from exc


def _need(guest: Guest | None) -> Guest:
    assert guest is not None  # routes with auth=True always have one
    return guest


# ---- routes -------------------------------------------------------------------------------


async def _join(room: RoomFront, request: Request, _: Guest | None) -> Any:
    body = await _body(request, JoinBody)
    address = request.client.host if request.client else "?"
    guest = room.join(body.token, body.singer, address)
    return {"credential": guest.credential, "guest_id": guest.guest_id, "singer": guest.singer}


async def _providers(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    return {"providers": await room.providers()}


async def _search(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    query = _query(request, SearchQuery)
    return await room.search(query.q, query.provider, query.cursor)


async def _tags(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    provider = request.query_params.get("provider", "local")[:32]
    return await room.tags(provider)


async def _tag_songs(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    provider = request.query_params.get("provider", "local")[:32]
    cursor = request.query_params.get("cursor")
    tag_id = str(request.path_params["tag_id"])[:128]
    return await room.tag_songs(provider, tag_id, cursor[:512] if cursor else None)


async def _charts(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    provider = request.query_params.get("provider", "local")[:32]
    return await room.charts(provider)


async def _favorites(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    """The host's favourites: GET lists them, POST `{provider, song_id}` stars one."""
    if request.method == "POST":
        body = await _body(request, FavoriteBody)
        added = await room.favorite(_need(guest), body, star=True)
        return JSONResponse({"favorite": True, "added": added}, status_code=201 if added else 200)
    return await room.favorites()


async def _unfavorite(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    """DELETE /api/favorites/{provider}/{song_id}: un-star it (200 either way)."""
    try:
        body = FavoriteBody.model_validate(
            {"provider": request.path_params["provider"], "song_id": request.path_params["song_id"]}
        )
    except ValidationError as exc:
        raise RemoteError(422, "bad_fields", msg.BAD_FIELDS) from exc
    removed = await room.favorite(_need(guest), body, star=False)
    return {"favorite": False, "removed": removed}


async def _queue(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    if request.method == "POST":
        body = await _body(request, QueueBody)
        entry_id = await room.enqueue(_need(guest), body)
        return JSONResponse({"entry_id": entry_id}, status_code=201)  # the state follows on /api/events
    return _state(room)


async def _top(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    return _text(await room.top(_need(guest), int(request.path_params["entry_id"])))


async def _remove(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    return _text(await room.remove(_need(guest), int(request.path_params["entry_id"])))


async def _control(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    body = await _body(request, ControlBody)
    return _text(await room.control(body.action))


async def _cheer(room: RoomFront, request: Request, guest: Guest | None) -> Any:
    body = await _body(request, CheerBody)
    await room.cheer(_need(guest), body.sound)
    return {"sound": body.sound}


def _state(room: RoomFront) -> Response:
    return Response(room.state_text(), media_type="application/json")


def _text(text: str) -> Response:
    return Response(text, media_type="application/json")


def _page() -> Response:
    return FileResponse(static_dir() / "index.html", media_type="text/html; charset=utf-8")


async def _asset(request: Request) -> Response:
    name = str(request.path_params["name"])
    media_type = PAGE_FILES.get(name)
    if media_type is None:
        return _refusal(RemoteError(404, "not_found", msg.NOT_FOUND))
    return FileResponse(static_dir() / name, media_type=media_type)


async def _events(room: RoomFront, ws: WebSocket) -> None:
    """Live state: the credential comes as the Authorization header (scripts) or, since a
    browser cannot set headers on a WebSocket, as the first message `{"credential": …}`."""
    await ws.accept()
    try:
        credential = bearer(ws.headers.get("authorization"))
        if credential is None:
            first = await asyncio.wait_for(ws.receive_text(), AUTH_TIMEOUT_S)
            credential = str(json.loads(first).get("credential", ""))[:128]
        room.key.guest(credential)
    except (RemoteError, TimeoutError, ValueError, AttributeError, KeyError, WebSocketDisconnect):
        await _close(ws, CLOSE_UNAUTHORIZED, "not signed in")
        return
    subscriber = room.hub.subscribe()
    if subscriber is None:
        await _close(ws, CLOSE_FULL, "too many phones")
        return
    first = room.state_text()
    if not any(snapshot for _, snapshot in subscriber.outbox):  # one published meanwhile is as new
        subscriber.offer(first, snapshot=True)
    pump = asyncio.ensure_future(room.hub.pump(subscriber, ws.send_text))
    reader = asyncio.ensure_future(_drain(ws))
    try:
        await asyncio.wait({pump, reader}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        room.hub.unsubscribe(subscriber)
        await cancel(reader)
        await cancel(pump)
        await _close(ws, subscriber.close_code, subscriber.close_reason)


async def _drain(ws: WebSocket) -> None:
    """Phones say nothing after signing in; reading notices when they leave."""
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _close(ws: WebSocket, code: int, reason: str) -> None:
    try:
        await asyncio.wait_for(ws.close(code, reason), 2.0)
    except Exception:  # already gone, or a peer that never reads the close frame
        return


class _SecurityHeaders:
    """Adds the CSP and friends to every HTTP response (a pure ASGI middleware, so it
    stays out of the WebSocket path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
