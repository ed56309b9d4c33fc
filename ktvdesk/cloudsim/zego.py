"""ZEGO online KTV: the signed server API at `GET /zego/?Action=…` and a venue resource
endpoint at `/zego/venue/…` answering the JSON of `zego-ktv-request-resource-result.md`.

Server API checks, in the gateway's order: public parameters present and well formed,
AppId known, SignatureVersion 2.0, Timestamp within ±10 minutes of the emulator clock
(100000004), signature (100000005), Action (100000007), then VendorId 0/1, ≤ 20 SongsId[],
the 200/s limit (320050002). Codes are ZEGO's public table and the copyright document's.

The resource endpoint stands in for a venue's own backend: it hands out `share_token`s
(media, `share_token_ttl`, each resource also bounded by `resource_ttl`) and `krc_token`s
(word-timed lyrics, KRC bytes), and refuses expired ones with 403 like a CDN.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ktvdesk.cloudsim.catalog import (
    FILLER_LINE_MS,
    FILLER_WORD_MS,
    SimCatalog,
    SimSong,
    filler_starts_ms,
    media_bytes,
)
from ktvdesk.cloudsim.cdn import MEDIA_TYPES, AccessLog, LinkUse, ranged
from ktvdesk.cloudsim.clock import SimClock
from ktvdesk.cloudsim.krc_file import krc_file
from ktvdesk.cloudsim.limits import SlidingWindowLimiter

PREFIX = "/zego"
VENUE_PREFIX = "/zego/venue"
SONG_ID_BASE = 300_000_000  # ZEGO song ids are numeric strings: base + catalog index
TOLERANCE_S = 600
MAX_SONG_IDS = 20
COPYRIGHT_LIMIT_PER_S = 200
DEFAULT_APP_ID = 1234567890
DEFAULT_SERVER_SECRET = "ktvdesk-sim-zego-server-secret00"

BAD_PARAM = 320000004
BUSY = 320050002


@dataclass
class ZegoConfig:
    app_id: int = DEFAULT_APP_ID
    server_secret: str = DEFAULT_SERVER_SECRET
    resource_ttl_ms: int = 300_000
    share_token_ttl_ms: int = 3_600_000
    krc_token_ttl_ms: int = 43_200_000
    copyright_limit_per_s: int = COPYRIGHT_LIMIT_PER_S


@dataclass
class Grant:
    song: SimSong
    expires_at: datetime
    resource_id: str = ""


@dataclass
class ZegoCalls:
    """What reached the emulator, for tests: every accepted call and the ids it carried."""

    by_action: dict[str, int] = field(default_factory=dict)
    batches: list[list[str]] = field(default_factory=list)
    refused: dict[int, int] = field(default_factory=dict)
    resources: int = 0


def _expected_signature(app_id: str, nonce: str, secret: str, timestamp: str) -> str:
    # Deliberately not shared with the client code: the emulator checks independently.
    return hashlib.md5(b"".join(part.encode() for part in (app_id, nonce, secret, timestamp))).hexdigest()


class ZegoService:
    def __init__(
        self,
        config: ZegoConfig,
        catalog: SimCatalog,
        clock: SimClock,
        access_log: AccessLog,
        base_url: Callable[[], str],
    ) -> None:
        self.config = config
        self.catalog = catalog
        self.clock = clock
        self.access_log = access_log
        self._base_url = base_url
        self._lock = threading.Lock()
        self.calls = ZegoCalls()
        self._index = {s.id: i for i, s in enumerate(catalog.songs)}
        self._limiter = SlidingWindowLimiter(lambda action: self.config.copyright_limit_per_s, clock.time)
        self._share: dict[str, Grant] = {}
        self._krc: dict[str, Grant] = {}

    # -- ids and rights -------------------------------------------------------------------------

    def song_id(self, song: SimSong) -> str:
        return str(SONG_ID_BASE + self._index[song.id])

    def song(self, song_id: str) -> SimSong | None:
        if not song_id.isdigit():
            return None
        index = int(song_id) - SONG_ID_BASE
        return self.catalog.songs[index] if 0 <= index < len(self.catalog.songs) else None

    def channel(self, song: SimSong) -> int:
        """Every third song comes through the owner's channel 0 (badge), the rest channel 1."""
        return 0 if self._index[song.id] % 3 == 0 else 1

    def copyright_row(self, song: SimSong) -> dict[str, Any]:
        lyric, recording = int(song.can_sing), int(song.can_play)
        return {
            "Subright": {"SongLyric": lyric, "Recording": recording, "Channel": self.channel(song)},
            "Right": int(bool(lyric or recording)),
            "SongId": self.song_id(song),
        }

    # -- HTTP ------------------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [
            Route(PREFIX + "/", self.api, methods=["GET"]),
            Route(PREFIX, self.api, methods=["GET"]),
            Route(VENUE_PREFIX + "/resource", self.resource, methods=["GET"]),
            Route(VENUE_PREFIX + "/media/{resource_id}", self.media, methods=["GET", "HEAD"]),
            Route(VENUE_PREFIX + "/krc/{song_id}", self.krc, methods=["GET"]),
            Route("/_admin/zego/calls", self.admin_calls, methods=["GET"]),
        ]

    def _reply(self, code: int, message: str, data: dict[str, Any] | None = None) -> JSONResponse:
        if code:
            with self._lock:
                self.calls.refused[code] = self.calls.refused.get(code, 0) + 1
        body: dict[str, Any] = {"Code": code, "Message": message, "RequestId": str(uuid.uuid4())}
        if data is not None:
            body["Data"] = data
        return JSONResponse(body)

    async def api(self, request: Request) -> Response:
        q = request.query_params
        checks = (
            ("Action", 100000006, "Action is null"),
            ("AppId", 100000001, "Invalid AppId format"),
            ("Timestamp", 100000002, "Timestamp is null"),
            ("SignatureNonce", 100000008, "SignatureNonce is null"),
            ("Signature", 100000009, "Signature is null"),
            ("SignatureVersion", 100000013, "SignatureVersion is null"),
        )
        for name, code, message in checks:
            if not q.get(name):
                return self._reply(code, message)
        app_id, timestamp, nonce = q["AppId"], q["Timestamp"], q["SignatureNonce"]
        if not app_id.isdigit():
            return self._reply(100000001, "Invalid AppId format")
        if not timestamp.isdigit():
            return self._reply(100000003, "Invalid Timestamp format")
        if int(app_id) != self.config.app_id:
            return self._reply(100000010, "Failed to get ServerSecret")
        if q["SignatureVersion"] != "2.0":
            return self._reply(100000014, "Unsupported SignatureVersion")
        if abs(int(timestamp) - self.clock.time()) > TOLERANCE_S:
            return self._reply(100000004, "Signature expired")
        expected = _expected_signature(app_id, nonce, self.config.server_secret, timestamp)
        if len(nonce) != 16 or not secrets.compare_digest(expected, q["Signature"].lower()):
            return self._reply(100000005, "Invalid signature")
        action = q["Action"]
        if action != "QuerySongsCopyright":
            return self._reply(100000007, "Unsupported Action")
        return self._copyright(q.getlist("SongsId[]"), q.get("VendorId", "0"))

    def _copyright(self, ids: list[str], vendor_id: str) -> Response:
        if vendor_id not in ("0", "1"):
            return self._reply(BAD_PARAM, "VendorId only 0 or 1 is supported")
        if not ids or len(ids) > MAX_SONG_IDS:
            return self._reply(BAD_PARAM, f"SongsId[] needs 1 to {MAX_SONG_IDS} ids")
        with self._lock:
            if not self._limiter.allow("zego", "QuerySongsCopyright"):
                allowed = False
            else:
                allowed = True
                self.calls.by_action["QuerySongsCopyright"] = (
                    self.calls.by_action.get("QuerySongsCopyright", 0) + 1
                )
                self.calls.batches.append(list(ids))
        if not allowed:
            return self._reply(BUSY, "system busy")
        rows = [self.copyright_row(song) for i in ids if (song := self.song(i)) is not None]
        return self._reply(0, "succeed", {"Copyright": rows})

    # -- the venue resource endpoint ------------------------------------------------------------

    async def resource(self, request: Request) -> Response:
        q = request.query_params
        request_id = uuid.uuid4().hex
        song = self.song(q.get("song_id", ""))
        if song is None or not q.get("user_id"):
            return JSONResponse(
                {"code": BAD_PARAM, "message": "unknown song_id or missing user_id", "request_id": request_id}
            )
        if not (song.can_play or song.can_sing):
            return JSONResponse(
                {"code": BAD_PARAM, "message": "no copyright for this song", "request_id": request_id}
            )
        is_clip = q.get("is_clip") == "1"
        is_accompany = q.get("is_accompany") == "1"
        now = self.clock.now()
        config = self.config
        resource_id = f"z_{self.song_id(song)}_{3 if is_accompany else 1}{'c' if is_clip else ''}"
        share_token = secrets.token_urlsafe(24)
        krc_token = secrets.token_urlsafe(16)
        share_expiry = now + timedelta(milliseconds=config.share_token_ttl_ms)
        with self._lock:
            self.calls.resources += 1
            self._share[share_token] = Grant(
                song, min(share_expiry, now + timedelta(milliseconds=config.resource_ttl_ms)), resource_id
            )
            self._krc[krc_token] = Grant(song, now + timedelta(milliseconds=config.krc_token_ttl_ms))
        begin, end = song.chorus_ms
        size = len(media_bytes(song))
        return JSONResponse(
            {
                "code": 0,
                "message": "succeed",
                "request_id": request_id,
                "data": {
                    "is_clip": int(is_clip),
                    "is_accompany": int(is_accompany),
                    "krc_token": krc_token,
                    "krc_token_ttl": config.krc_token_ttl_ms,
                    "song_id": self.song_id(song),
                    "share_token_ttl": config.share_token_ttl_ms,
                    "token_ttl": config.share_token_ttl_ms,
                    "segment_begin": begin,
                    "segment_end": end,
                    "prelude_duration": song.prelude_s * 1000,
                    "resources_size": 1,
                    "resources": [
                        {
                            "resource_id": resource_id,
                            "size": size,
                            "quality": "normal",
                            "share_token": share_token,
                            "resource_ttl": config.resource_ttl_ms,
                        }
                    ],
                },
            }
        )

    def _grant(self, table: dict[str, Grant], token: str) -> tuple[Grant | None, int]:
        with self._lock:
            grant = table.get(token)
        if grant is None:
            return None, 403
        return grant, 200 if self.clock.now() < grant.expires_at else 403

    def _log(self, request: Request, status: int, grant: Grant | None) -> None:
        self.access_log.used(
            LinkUse(
                request.url.path,
                self.clock.now(),
                status,
                grant.expires_at if grant else None,
                request.headers.get("range"),
            )
        )

    async def media(self, request: Request) -> Response:
        grant, status = self._grant(self._share, request.query_params.get("share_token", ""))
        if grant is not None and grant.resource_id != request.path_params["resource_id"]:
            status = 403
        if status != 200 or grant is None:
            response: Response = PlainTextResponse(
                "403 Forbidden: share_token expired or invalid", status_code=403
            )
        else:
            response = ranged(
                request, media_bytes(grant.song), MEDIA_TYPES.get(grant.song.ext, "application/octet-stream")
            )
        self._log(request, response.status_code, grant)
        return response

    async def krc(self, request: Request) -> Response:
        grant, status = self._grant(self._krc, request.query_params.get("krc_token", ""))
        if grant is not None and self.song_id(grant.song) != request.path_params["song_id"]:
            status = 403
        if status != 200 or grant is None:
            response: Response = PlainTextResponse(
                "403 Forbidden: krc_token expired or invalid", status_code=403
            )
        else:
            response = Response(krc_file(generated_krc(grant.song)), media_type="application/octet-stream")
        self._log(request, response.status_code, grant)
        return response

    async def admin_calls(self, request: Request) -> Response:
        with self._lock:
            calls = self.calls
            return JSONResponse(
                {
                    "by_action": dict(calls.by_action),
                    "batches": [list(b) for b in calls.batches],
                    "refused": {str(k): v for k, v in calls.refused.items()},
                    "resources": calls.resources,
                }
            )


def generated_krc(song: SimSong) -> str:
    """Invented word-timed KRC around the title (no real lyrics): eight lines after the prelude."""
    words = ["啦", "啦", "啦", song.title]
    rows = [f"[ti:{song.title}]", f"[ar:{' / '.join(song.singers)}]", "[offset:0]"]
    step = FILLER_WORD_MS
    for begin in filler_starts_ms(song):
        body = "".join(f"<{i * step},{step - 100},0>{w}" for i, w in enumerate(words))
        rows.append(f"[{begin},{FILLER_LINE_MS - 300}]{body}")
    return "\r\n".join(rows) + "\r\n"
