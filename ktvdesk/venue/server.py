"""The venue server: an ASGI app over PostgreSQL and the MQTT bus.

Two audiences, two credentials:
- rooms send `Authorization: Bearer <room key>` and `X-KTV-Room: <name>`: search,
  browse and charts of the whole venue, media streamed with Range requests, and the
  song requests they log (idempotent by the room's own request id);
- the front desk logs in (`POST /api/desk/login`) and sends its session token: the rooms
  grid with each room's live state from the bus, open / extend / close, messages,
  volume caps and pauses, charts, and the library's scan status.

Database work is synchronous psycopg on a small pool, run in worker threads: the same
functions serve the CLI (`venue scan`) and the server, and a slow query never blocks
the event loop that carries the bus and every other request.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import psycopg
import uvicorn
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ktvdesk.catalog.venue.wire import SOURCE_PARTS
from ktvdesk.errors import KtvError
from ktvdesk.logs import register_secret
from ktvdesk.paths import cache_dir, resources_dir
from ktvdesk.venue import bus, library, media, rooms
from ktvdesk.venue.credentials import tokens_match
from ktvdesk.venue.schema import migrate

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_BODY = 16 * 1024
LINK_TTL_S = 6 * 3600
KEY_CACHE_S = 60.0
PAGE = 30
_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


@dataclass
class VenueConfig:
    dsn: str
    mqtt_url: str
    mqtt_password: str
    media_roots: tuple[Path, ...] = ()
    # The broker as rooms reach it (the server may use a local address for itself).
    public_mqtt_url: str | None = None
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # MP3+G zips are unpacked here once (libVLC's CD+G demuxer needs a `.cdg` file).
    cache_dir: Path = field(default_factory=lambda: cache_dir() / "venue-server")


class _Login(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class _Minutes(BaseModel):
    minutes: int = Field(ge=1, le=24 * 60)


class _Message(BaseModel):
    text: str = Field(min_length=1, max_length=200)


class _Limits(BaseModel):
    volume_cap: int | None = Field(default=None, ge=0, le=100)
    paused: bool | None = None


class _SongRequest(BaseModel):
    request_id: str = Field(min_length=1, max_length=64)
    song_id: int
    singer: str | None = Field(default=None, max_length=40)
    requested_at: datetime


def _error(status: int, zh: str, en: str, code: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": {"zh": zh, "en": en}}, status_code=status)


def _ktv_error(exc: KtvError) -> JSONResponse:
    status = 404 if exc.code in {"no_room", "no_song"} else 409 if exc.code == "room_exists" else 400
    message = exc.user_message
    return JSONResponse(
        {"error": exc.code or "error", "message": {"zh": message.zh, "en": message.en} if message else None},
        status_code=status,
    )


class VenueServer:
    def __init__(self, config: VenueConfig) -> None:
        self.config = config
        register_secret(config.mqtt_password)
        self.pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            config.dsn, min_size=1, max_size=8, open=False, kwargs={"autocommit": False}
        )
        self.live: dict[str, dict[str, Any]] = {}  # room → its last published state
        self.online: dict[str, bool] = {}
        self._watchers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._room_keys: dict[str, tuple[str, float]] = {}  # room → (key hash, valid until)
        self._bus: bus.Bus | None = None
        self.app = Starlette(routes=self._routes(), lifespan=self._lifespan)

    # -- plumbing -----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(self.pool.open, wait=True, timeout=30)
        await self.db(migrate)
        self._bus = bus.Bus(
            self.config.mqtt_url,
            rooms.SERVER_MQTT_USER,
            self.config.mqtt_password,
            loop=asyncio.get_running_loop(),
            on_message=self._bus_message,
            on_connect=self._republish_sessions,
            subscriptions=(bus.ALL_STATES, bus.ALL_ONLINE),
        )
        self._bus.start()
        try:
            yield
        finally:
            self._bus.stop()
            await asyncio.to_thread(self.pool.close)

    async def db(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        def run() -> T:
            with self.pool.connection() as conn:
                return work(conn)

        return await asyncio.to_thread(run)

    def _bus_message(self, topic: str, payload: Any) -> None:
        room = bus.room_of(topic)
        if room is None:
            return
        if topic == bus.state_topic(room) and isinstance(payload, dict):
            self.live[room] = payload
        elif topic == bus.online_topic(room):
            self.online[room] = bool(payload)
        else:
            return
        change = {"room": room, "online": self.online.get(room, False), "live": self.live.get(room)}
        for queue in list(self._watchers):
            try:
                queue.put_nowait(change)
            except asyncio.QueueFull:
                self._watchers.discard(queue)  # a desk that stopped reading: it reloads

    def _republish_sessions(self) -> None:
        """After every (re)connection: a broker restarted without persistence has lost
        the retained session topics, and a room rebooting needs them."""
        asyncio.get_running_loop().create_task(self._publish_all_sessions())

    async def _publish_all_sessions(self) -> None:
        try:
            listed = await self.db(rooms.list_rooms)
        except psycopg.Error as exc:  # the database is restarting: rooms keep their last copy
            log.warning("cannot re-publish the rooms' sessions: %s", type(exc).__name__)
            return
        for room in listed:
            self._publish_session(room)

    def _publish_session(self, room: rooms.Room) -> None:
        if self._bus is not None:
            self._bus.publish(bus.session_topic(room.name), room.to_json(self.config.now()), retain=True)

    def _command(self, room: str | None, payload: dict[str, Any]) -> None:
        if self._bus is not None:
            self._bus.publish(bus.BROADCAST if room is None else bus.commands_topic(room), payload)

    # -- auth ---------------------------------------------------------------------------

    async def _room(self, request: Request) -> str | None:
        """Rooms call on every keystroke: a key checked once is remembered by its hash for
        `KEY_CACHE_S`, so a search costs one database round trip, not two."""
        name = request.headers.get("x-ktv-room", "")
        key = _bearer(request)
        if not name or not key:
            return None
        now = time.monotonic()
        remembered = self._room_keys.get(name)
        if remembered is not None and now < remembered[1] and tokens_match(key, remembered[0]):
            return name
        stored = await self.db(lambda conn: rooms.room_key_hash(conn, name))
        if stored is None or not tokens_match(key, stored):
            return None
        self._room_keys[name] = (stored, now + KEY_CACHE_S)
        return name

    async def _staff(self, request: Request) -> str | None:
        token = _bearer(request)
        if not token:
            return None
        return await self.db(lambda conn: rooms.session_staff(conn, token, self.config.now()))

    # -- routes -------------------------------------------------------------------------

    def _routes(self) -> list[Route]:
        room = self._as_room
        desk = self._as_staff
        return [
            Route("/api/room/status", room(self.room_status)),
            Route("/api/room/search", room(self.room_search)),
            Route("/api/room/songs", room(self.room_songs)),
            Route("/api/room/singers", room(self.room_singers)),
            Route("/api/room/charts", room(self.charts)),
            Route("/api/room/media/{song_id:int}", room(self.room_media)),
            Route("/media/{song_id:int}/{part}/{room}/{exp:int}/{sig}/{name}", self.signed_media),
            Route("/api/room/requests", room(self.room_request), methods=["POST"]),
            Route("/api/desk/login", self.desk_login, methods=["POST"]),
            Route("/api/desk/rooms", desk(self.desk_rooms)),
            Route("/api/desk/events", desk(self.desk_events)),
            Route("/api/desk/rooms/{room}/{action}", desk(self.desk_room_action), methods=["POST"]),
            Route("/api/desk/message", desk(self.desk_broadcast), methods=["POST"]),
            Route("/api/desk/charts", desk(self.charts)),
            Route("/api/desk/library", desk(self.desk_library)),
            Route("/desk", self.desk_page),
            Route("/desk/{name:path}", self.desk_asset),
        ]

    Handler = Callable[[Request, str], Awaitable[Response]]

    def _as_room(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            name = await self._room(request)
            if name is None:
                return _error(401, "包厢密钥不对。", "Wrong room key.", "unauthorised")
            return await _safely(handler, request, name)

        return guarded

    def _as_staff(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            staff = await self._staff(request)
            if staff is None:
                return _error(401, "请先登录。", "Please log in.", "unauthorised")
            return await _safely(handler, request, staff)

        return guarded

    async def room_status(self, request: Request, room: str) -> Response:
        found = await self.db(lambda conn: rooms.get_room(conn, room))
        mqtt_url = self.config.public_mqtt_url or self.config.mqtt_url
        return JSONResponse({**found.to_json(self.config.now()), "mqtt": mqtt_url})

    async def room_search(self, request: Request, room: str) -> Response:
        query = request.query_params.get("q", "")[:100]
        offset = _offset(request)
        found = await self.db(lambda conn: library.search(conn, query, offset=offset, limit=PAGE + 1))
        return _page(found, offset)

    async def room_songs(self, request: Request, room: str) -> Response:
        ids = [int(i) for i in request.query_params.get("ids", "").split(",") if i.strip().isdigit()][:100]
        singer = request.query_params.get("singer")
        offset = _offset(request)
        if singer:
            found = await self.db(
                lambda conn: library.songs_of_singer(conn, singer, offset=offset, limit=PAGE + 1)
            )
            return _page(found, offset)
        return JSONResponse(
            {"items": [_song_json(s) for s in await self.db(lambda c: library.songs(c, ids))]}
        )

    async def room_singers(self, request: Request, room: str) -> Response:
        offset = _offset(request)
        found = await self.db(lambda conn: library.singers(conn, offset=offset, limit=100))
        return JSONResponse({"items": [{"name": name, "songs": count} for name, count in found]})

    async def charts(self, request: Request, who: str) -> Response:
        days = 7 if request.query_params.get("period") == "week" else 1
        chart = await self.db(lambda conn: library.chart(conn, days=days, now=self.config.now()))
        return JSONResponse({"items": [{**_song_json(song), "requests": count} for song, count in chart]})

    async def room_media(self, request: Request, room: str) -> Response:
        """How to play one song: the source the local provider would give the player,
        with every file a link signed for this room and valid for `LINK_TTL_S` (libVLC
        cannot send an Authorization header, so the link carries it), plus the clip a
        chorus request plays and each part's link and file name for the room's cache."""
        song_id = int(request.path_params["song_id"])
        row = await self.db(lambda conn: library.media_row(conn, song_id))
        if row is None:
            return _error(404, "曲库里没有这首歌。", "That song is not in the library.", "no_song")
        found = await asyncio.to_thread(media.song_media, row, self.config.cache_dir)
        key_hash = await self.db(lambda conn: rooms.room_key_hash(conn, room)) or ""
        expires = int(self.config.now().timestamp()) + LINK_TTL_S
        base = str(request.base_url).rstrip("/")
        parts: dict[str, dict[str, str]] = {}
        for part, path in found.parts.items():
            signature = sign_link(key_hash, room, song_id, part, expires)
            name = media.part_name(part, path)
            # Signed in the path, the file name last: libVLC recognises some formats
            # (CD+G) by the URL's ending, which a query string would hide.
            url = f"{base}/media/{song_id}/{part}/{quote(room)}/{expires}/{signature}/{name}"
            parts[part] = {"url": url, "name": name}
        expires_at = datetime.fromtimestamp(expires, UTC)
        links = {field: parts[part]["url"] if part in parts else None for part, field in SOURCE_PARTS.items()}
        source = found.source.model_copy(update={**links, "expires_at": expires_at})
        return JSONResponse(
            {
                "song_id": str(song_id),
                "kind": row.kind,
                "lyrics_kind": row.lyrics_kind,
                "expires_at": expires_at.isoformat(),
                "source": source.model_dump(mode="json"),
                "chorus": found.chorus.model_dump(mode="json") if found.chorus else None,
                "parts": parts,
            }
        )

    async def signed_media(self, request: Request) -> Response:
        params = request.path_params
        room, part, expires = params["room"], params["part"], int(params["exp"])
        song_id = int(params["song_id"])
        if expires < self.config.now().timestamp():
            return _error(403, "链接已过期。", "This link has expired.", "expired")
        key_hash = await self.db(lambda conn: rooms.room_key_hash(conn, room))
        if key_hash is None or not hmac.compare_digest(  # as bytes: any text a link may hold
            sign_link(key_hash, room, song_id, part, expires).encode(), str(params["sig"]).encode()
        ):
            return _error(403, "链接无效。", "This link is not valid.", "bad_signature")
        row = await self.db(lambda conn: library.media_row(conn, song_id))
        path = None
        if row is not None:
            try:
                _, files = await asyncio.to_thread(media.song_parts, row, self.config.cache_dir)
            except KtvError as exc:  # a zip that changed or cannot be unpacked since the scan
                return _ktv_error(exc)
            path = files.get(part)
        if path is None or not self._servable(path):
            return _error(404, "没有这个文件。", "No such file for this song.", "no_file")
        return FileResponse(path)

    def _servable(self, path: Path) -> bool:
        """Only files under the configured media roots, and only existing ones: a row
        edited by hand must not turn the server into a file reader."""
        real = path.resolve()
        roots = self.config.media_roots
        if real.is_file() and real.is_relative_to(self.config.cache_dir.resolve()):
            return True  # a zip's pair, unpacked by this server
        return real.is_file() and (not roots or any(real.is_relative_to(r.resolve()) for r in roots))

    async def room_request(self, request: Request, room: str) -> Response:
        body = await _body(request, _SongRequest)
        if isinstance(body, Response):
            return body
        new = await self.db(
            lambda conn: rooms.record_request(
                conn, room, body.request_id, body.song_id, singer=body.singer, requested_at=body.requested_at
            )
        )
        return JSONResponse({"recorded": new}, status_code=201 if new else 200)

    async def desk_login(self, request: Request) -> Response:
        body = await _body(request, _Login)
        if isinstance(body, Response):
            return body
        result = await self.db(lambda conn: rooms.login(conn, body.name, body.password, self.config.now()))
        if result.token is None:
            headers = {"Retry-After": str(result.retry_after_s)} if result.retry_after_s else None
            status = 429 if result.retry_after_s else 401
            wait = f"（{result.retry_after_s} 秒后再试）" if result.retry_after_s else ""
            wait_en = f" (try again in {result.retry_after_s} s)" if result.retry_after_s else ""
            response = _error(
                status, f"用户名或密码不对{wait}。", f"Wrong name or password{wait_en}.", "bad_login"
            )
            if headers:
                response.headers.update(headers)
            return response
        return JSONResponse({"token": result.token, "staff": body.name})

    async def desk_rooms(self, request: Request, staff: str) -> Response:
        now = self.config.now()
        listed = await self.db(rooms.list_rooms)
        return JSONResponse(
            {
                "rooms": [
                    {
                        **room.to_json(now),
                        "online": self.online.get(room.name, False),
                        "live": self.live.get(room.name),
                    }
                    for room in listed
                ]
            }
        )

    async def desk_events(self, request: Request, staff: str) -> Response:
        """Room changes as they come off the bus, one JSON object per line. A desk reads it
        with fetch() (EventSource cannot send the Authorization header)."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=256)
        self._watchers.add(queue)

        async def lines() -> AsyncIterator[bytes]:
            try:
                yield b'{"hello": true}\n'
                while True:
                    try:
                        change = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        change = {"ping": True}  # keeps proxies and dead-peer detection honest
                    yield (json.dumps(change, ensure_ascii=False) + "\n").encode()
            finally:
                self._watchers.discard(queue)

        return StreamingResponse(
            lines(), media_type="application/x-ndjson", headers={"Cache-Control": "no-store"}
        )

    async def desk_room_action(self, request: Request, staff: str) -> Response:
        name, action = request.path_params["room"], request.path_params["action"]
        now = self.config.now()
        if action in {"open", "extend"}:
            minutes = await _body(request, _Minutes)
            if isinstance(minutes, Response):
                return minutes
            change = rooms.open_room if action == "open" else rooms.extend_room
            room = await self.db(lambda conn: change(conn, name, minutes.minutes, now))
        elif action == "close":
            room = await self.db(lambda conn: rooms.close_room(conn, name, now))
        elif action == "limits":
            limits = await _body(request, _Limits)
            if isinstance(limits, Response):
                return limits
            room = await self.db(
                lambda conn: rooms.set_room_limits(
                    conn, name, volume_cap=limits.volume_cap, paused=limits.paused
                )
            )
        elif action == "message":
            message = await _body(request, _Message)
            if isinstance(message, Response):
                return message
            room = await self.db(lambda conn: rooms.get_room(conn, name))
            self._command(name, {"action": "message", "text": message.text, "from": staff})
            return JSONResponse({"sent": True})
        else:
            return _error(404, "没有这个操作。", "No such action.", "no_action")
        log.info("desk %s: %s room %s", staff, action, name)
        self._publish_session(room)
        return JSONResponse(room.to_json(now))

    async def desk_broadcast(self, request: Request, staff: str) -> Response:
        message = await _body(request, _Message)
        if isinstance(message, Response):
            return message
        self._command(None, {"action": "message", "text": message.text, "from": staff})
        return JSONResponse({"sent": True})

    async def desk_library(self, request: Request, staff: str) -> Response:
        return JSONResponse(await self.db(library.scan_status))

    async def desk_page(self, request: Request) -> Response:
        page = (resources_dir() / "venue" / "desk.html").read_text(encoding="utf-8")
        return HTMLResponse(page, headers=_PAGE_HEADERS)

    async def desk_asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        folder = (resources_dir() / "venue").resolve()
        path = (folder / name).resolve()
        if not path.is_relative_to(folder) or not path.is_file() or path.suffix not in {".js", ".css"}:
            return _error(404, "没有这个文件。", "No such file.", "no_file")
        return FileResponse(path, headers=_PAGE_HEADERS)


_PAGE_HEADERS = {
    "Content-Security-Policy": _CSP,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def sign_link(key_hash: str, room: str, song_id: int, part: str, expires: int) -> str:
    """HMAC keyed by the room key's hash: the server keeps only that hash, the room can
    derive it from its key, and nobody else can make a link."""
    message = f"{room}/{song_id}/{part}/{expires}".encode()
    return hmac.new(key_hash.encode(), message, hashlib.sha256).hexdigest()


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


async def _safely(handler: VenueServer.Handler, request: Request, who: str) -> Response:
    try:
        return await handler(request, who)
    except KtvError as exc:
        return _ktv_error(exc)
    except psycopg.OperationalError:  # AdminShutdown and lost connections too
        log.warning("database unavailable for %s", request.url.path)
        return _error(
            503,
            "曲库服务器暂时不可用，请稍后再试。",
            "The venue database is unavailable; try again soon.",
            "db_unavailable",
        )


B = TypeVar("B", bound=BaseModel)


async def _body(request: Request, model: type[B]) -> B | Response:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return _error(413, "请求太大。", "Request too large.", "too_large")
    try:
        return model.model_validate_json(raw)
    except ValidationError:
        return _error(422, "请求格式不对。", "Malformed request.", "bad_request")


def _offset(request: Request) -> int:
    cursor = request.query_params.get("cursor", "0")
    return min(int(cursor), 10_000) if cursor.isdigit() else 0


def _song_json(song: library.VenueSong) -> dict[str, Any]:
    return {
        "id": str(song.id),
        "title": song.title,
        "singers": list(song.singers),
        "album": song.album,
        "duration_ms": song.duration_ms,
        "has_lyrics": song.has_lyrics,
    }


def _page(found: list[library.VenueSong], offset: int) -> Response:
    more = len(found) > PAGE
    return JSONResponse(
        {"items": [_song_json(s) for s in found[:PAGE]], "next": str(offset + PAGE) if more else None}
    )


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit it: uvicorn writes headers and body separately, and Nagle
    # would hold the body of every kept-alive reply for the peer's delayed ACK (~40 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(256)
    return sock


def serve(config: VenueConfig, host: str, port: int, announce: Callable[[str], None] = print) -> None:
    """Run until SIGINT/SIGTERM (uvicorn's own handlers)."""
    sock = listening_socket(host, port)
    bound = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(VenueServer(config).app, log_level="warning", lifespan="on"))
    announce(f"venue server on http://{host}:{bound} (desk: http://{host}:{bound}/desk)")
    server.run(sockets=[sock])


def media_roots_from(values: list[str]) -> tuple[Path, ...]:
    return tuple(Path(os.path.abspath(v)) for v in values)
