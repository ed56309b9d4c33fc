"""The emulator app: Starlette under uvicorn, on 127.0.0.1 only.

`start_in_thread()` runs it inside the current process (tests, the GUI's --demo-cloud);
`serve()` runs it in the foreground (`ktvdesk sim`). Protocols are sibling modules
sharing the catalog, the CDN, the clock and the fault knobs.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ktvdesk.cloudsim.catalog import SimCatalog, default_demo_dir, lyrics_bytes, media_bytes, pitch_bytes
from ktvdesk.cloudsim.cdn import MEDIA_TYPES, AccessLog, CdnSigner, LinkUse, ranged
from ktvdesk.cloudsim.clock import SimClock
from ktvdesk.cloudsim.faults import FaultMiddleware, Faults
from ktvdesk.cloudsim.segment_files import SEGMENT_EXT, segment_bytes, segment_song_id
from ktvdesk.cloudsim.xiaowei import XiaoweiConfig, XiaoweiService
from ktvdesk.cloudsim.yinsuda import YinsudaConfig, YinsudaService, error_envelope
from ktvdesk.cloudsim.zego import ZegoConfig, ZegoService

log = logging.getLogger(__name__)

DEFAULT_SECRET_ID = "AKIDktvdeskSIM0000000000000000000000"
DEFAULT_SECRET_KEY = "ktvdesk-sim-secret-key-0000000000"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

# A 1×1 grey PNG for every cover and singer picture.
_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c63b80700008100801d5e4e8d0000000049454e44ae426082"
)


@dataclass
class SimConfig:
    host: str = "127.0.0.1"
    port: int = 0
    secret_id: str = DEFAULT_SECRET_ID
    secret_key: str = DEFAULT_SECRET_KEY
    url_ttl_s: int = 3600
    token_ttl_s: int = 7200
    latency_ms: int = 0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    clock_skew_s: float = 0.0
    catalog_size: int = 3000
    seed: int = 20220527
    fault_seed: int | None = None
    demo_dir: Path | None = field(default_factory=default_demo_dir)


class SimState:
    """Everything a running emulator holds; tests reach it through the handle."""

    def __init__(self, config: SimConfig) -> None:
        if config.host not in LOOPBACK:
            raise ValueError(f"cloudsim binds loopback only, not {config.host!r}")
        self.config = config
        self.base_url = ""
        self.clock = SimClock(config.clock_skew_s)
        self.catalog = SimCatalog(size=config.catalog_size, seed=config.seed, demo_dir=config.demo_dir)
        self.access_log = AccessLog()
        self.cdn = CdnSigner(config.secret_key + ":cdn", self.clock, self.access_log)
        self.faults = Faults(
            latency_ms=config.latency_ms,
            error_rate=config.error_rate,
            drop_rate=config.drop_rate,
            seed=config.fault_seed,
        )
        self.yinsuda = YinsudaService(
            YinsudaConfig(config.secret_id, config.secret_key, config.url_ttl_s, config.token_ttl_s),
            self.catalog,
            self.cdn,
            self.clock,
            lambda: self.base_url,
        )
        self.xiaowei = XiaoweiService(
            XiaoweiConfig(url_ttl_s=config.url_ttl_s),
            self.catalog,
            self.cdn,
            self.clock,
            lambda: self.base_url,
        )
        self.zego = ZegoService(
            ZegoConfig(), self.catalog, self.clock, self.access_log, lambda: self.base_url
        )

    def fault_reply(self, scope: Scope) -> Response | None:
        if scope["path"] == "/" and scope["method"] == "POST":
            kind = self.faults.pick(("InternalError", "ServiceUnavailable", "502"))
            if kind == "502":  # what a gateway in front of the service says: no envelope at all
                return PlainTextResponse("502 Bad Gateway", status_code=502)
            return error_envelope(kind, "Injected fault: the service is temporarily unavailable.")
        return PlainTextResponse("injected fault", status_code=503)


class _DateHeader:
    """`Date` from the emulator's (possibly skewed) clock: clients learn their offset from it."""

    def __init__(self, app: ASGIApp, clock: SimClock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                headers.append((b"date", self.clock.http_date().encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, stamped if scope["type"] == "http" else send)


def build_app(state: SimState) -> ASGIApp:
    config = state.config

    async def media(request: Request) -> Response:
        stamp, digest, file = (request.path_params[k] for k in ("stamp", "digest", "file"))
        status, expires = state.cdn.check_media(stamp, digest, file, config.url_ttl_s)
        response = _media_response(request, status, file)
        state.access_log.used(
            LinkUse(
                request.url.path,
                state.clock.now(),
                response.status_code,
                expires,
                request.headers.get("range"),
            )
        )
        return response

    def _media_response(request: Request, status: int, file: str) -> Response:
        if status != 200:
            return PlainTextResponse("403 Forbidden: link expired or invalid", status_code=403)
        segment_of = segment_song_id(file)
        song = state.catalog.by_id.get(segment_of or file.rsplit(".", 1)[0])
        if song is None:
            return PlainTextResponse("not found", status_code=404)
        if segment_of is not None:
            return ranged(request, segment_bytes(song), MEDIA_TYPES[SEGMENT_EXT])
        return ranged(request, media_bytes(song), MEDIA_TYPES.get(song.ext, "application/octet-stream"))

    async def download(request: Request) -> Response:
        q = request.query_params
        source = unquote(q.get("source", ""))
        status, expires = state.cdn.check_download(
            q.get("sign", ""), source, q.get("t", ""), config.token_ttl_s
        )
        response = _download_response(request, status, source)
        path = request.url.path + ("?" + request.url.query if request.url.query else "")
        state.access_log.used(
            LinkUse(path, state.clock.now(), response.status_code, expires, request.headers.get("range"))
        )
        return response

    def _download_response(request: Request, status: int, source: str) -> Response:
        if status != 200:
            return PlainTextResponse("403 Forbidden: link expired or invalid", status_code=403)
        parts = source.strip("/").split("/")
        song = state.catalog.by_id.get(parts[1]) if len(parts) == 3 else None
        if song is None:
            return PlainTextResponse("not found", status_code=404)
        if parts[0] == "Lyrics" and song.has_lyrics:
            ext = parts[2].rsplit(".", 1)[-1]
            return ranged(request, lyrics_bytes(song), MEDIA_TYPES.get(ext, "text/plain; charset=utf-8"))
        if parts[0] == "Pitch" and song.has_pitch:
            return ranged(request, pitch_bytes(song), "application/octet-stream")
        return PlainTextResponse("not found", status_code=404)

    async def picture(request: Request) -> Response:
        return Response(_PIXEL, media_type="image/png")

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    # -- the knobs, over HTTP too: a `ktvdesk sim` in another process is driven the same way --

    async def fail_next(request: Request) -> Response:
        """`POST /_admin/yinsuda/fail?code=IpNotInWhitelist&times=1` (`code=` alone: clear)."""
        code = request.query_params.get("code", "")
        if not code:
            state.yinsuda.clear_failures()
            return JSONResponse({"cleared": True})
        times = int(request.query_params.get("times", "1"))
        state.yinsuda.fail_next(code, times)
        return JSONResponse({"code": code, "times": times})

    async def temporary_credentials(request: Request) -> Response:
        """`POST /_admin/yinsuda/sts`: TmpSecretId, TmpSecretKey and Token, as an STS gives them."""
        secret_id, secret_key, token = state.yinsuda.issue_temporary_credentials()
        return JSONResponse({"TmpSecretId": secret_id, "TmpSecretKey": secret_key, "Token": token})

    async def cut_media(request: Request) -> Response:
        """`POST /_admin/media/cut?count=1&fraction=0.5&refuse_after=1`."""
        q = request.query_params
        try:
            state.faults.cut_media(
                int(q.get("count", "1")),
                float(q.get("fraction", "0.5")),
                refuse_after=int(q.get("refuse_after", "0")),
            )
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"ok": True})

    app = Starlette(
        routes=[
            Route("/", state.yinsuda.endpoint, methods=["POST", "GET"]),
            *state.xiaowei.routes(),  # before the catch-all CDN route below
            *state.zego.routes(),
            Route("/download", download, methods=["GET"]),
            Route("/covers/{size:int}/{file}", picture, methods=["GET"]),
            Route("/singers/{size:int}/{file}", picture, methods=["GET"]),
            Route("/healthz", health, methods=["GET"]),
            Route("/_admin/yinsuda/fail", fail_next, methods=["POST"]),
            Route("/_admin/yinsuda/sts", temporary_credentials, methods=["POST"]),
            Route("/_admin/media/cut", cut_media, methods=["POST"]),
            Route("/{stamp:str}/{digest:str}/{file:str}", media, methods=["GET", "HEAD"]),
        ]
    )
    return _DateHeader(FaultMiddleware(app, state.faults, state.fault_reply, _is_media), state.clock)


def _is_media(scope: Scope) -> bool:
    """A CDN media path `/{stamp}/{digest}/{file}` (what `Faults.cut_media` cuts)."""
    parts = str(scope["path"]).split("/")
    return (
        scope["method"] == "GET"
        and len(parts) == 4
        and (_STAMP.fullmatch(parts[1]) is not None or _MD5.fullmatch(parts[1]) is not None)
    )


_STAMP = re.compile(r"\d{12}")  # type-B links: the issue minute
_MD5 = re.compile(r"[0-9a-f]{32}")  # type-C links (the soak emulator): the md5 first


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: uvicorn writes headers and body separately, and
    # Nagle would hold the body back for the client's delayed ACK (~40 ms per response).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)  # connections queue here before uvicorn accepts: no start-up race
    return sock


class _QuietDrops(logging.Filter):
    """An injected mid-body cut is the point, not a server error worth a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


def _uvicorn(app: ASGIApp, config: SimConfig) -> uvicorn.Server:
    # log_config=None: leave the host process's logging alone (tests, the GUI's --demo-cloud).
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=config.host,
            port=config.port,
            log_config=None,
            log_level="warning",
            access_log=False,
            date_header=False,
            server_header=False,
            lifespan="off",
        )
    )
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in error_log.filters):
        error_log.addFilter(_QuietDrops())
    return server


class SimHandle:
    def __init__(self, state: SimState, server: uvicorn.Server, thread: threading.Thread) -> None:
        self.state = state
        self.base_url = state.base_url
        self._server = server
        self._thread = thread

    @property
    def config(self) -> SimConfig:
        return self.state.config

    @property
    def clock(self) -> SimClock:
        return self.state.clock

    @property
    def access_log(self) -> AccessLog:
        return self.state.access_log

    @property
    def faults(self) -> Faults:
        return self.state.faults

    def yinsuda_env(self, app_name: str = "ktvdesk-demo", user_id: str = "demo-user") -> dict[str, str]:
        """`KTVDESK_YINSUDA_*` values that point a provider at this emulator (--demo-cloud)."""
        return {
            "KTVDESK_YINSUDA_SECRET_ID": self.config.secret_id,
            "KTVDESK_YINSUDA_SECRET_KEY": self.config.secret_key,
            "KTVDESK_YINSUDA_APP_NAME": app_name,
            "KTVDESK_YINSUDA_USER_ID": user_id,
            "KTVDESK_YINSUDA_ENDPOINT": self.base_url,
            "KTVDESK_YINSUDA_URL_TTL_S": str(self.config.url_ttl_s),
        }

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> SimHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def start_in_thread(config: SimConfig | None = None, **overrides: Any) -> SimHandle:
    """Start the emulator on a background thread; the socket listens before this returns."""
    config = config or SimConfig()
    for key, value in overrides.items():
        if not hasattr(config, key):
            raise TypeError(f"unknown SimConfig field {key!r}")
        setattr(config, key, value)
    state = SimState(config)
    sock = _listening_socket(config.host, config.port)
    state.base_url = _base_url(config.host, sock.getsockname()[1])
    server = _uvicorn(build_app(state), config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="cloudsim", daemon=True)
    thread.start()
    return SimHandle(state, server, thread)


def serve(config: SimConfig, announce: Any = print) -> None:
    """Run in the foreground until interrupted."""
    state = SimState(config)
    sock = _listening_socket(config.host, config.port)
    state.base_url = _base_url(config.host, sock.getsockname()[1])
    announce(f"cloudsim listening on {state.base_url}")
    announce(f"  yinsuda endpoint: {state.base_url}  (POST /, service yinsuda, version 2022-05-27)")
    announce(f"  secret id:  {config.secret_id}")
    announce(f"  secret key: {config.secret_key}")
    announce(f"  xiaowei endpoint: {state.base_url}  (/xwcloudapi/…)")
    announce(
        f"  zego endpoint: {state.base_url}/zego  (AppId {state.zego.config.app_id}, ServerSecret {state.zego.config.server_secret})"
    )
    announce(f"  zego resource endpoint: {state.base_url}/zego/venue/resource")
    announce(f"  catalog: {len(state.catalog.songs)} songs ({state.catalog.demo_count} demo)")
    _uvicorn(build_app(state), config).run(sockets=[sock])
