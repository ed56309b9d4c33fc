"""CDN-style expiring links served by the emulator itself, and the log of their use.

Media: Tencent CDN "type B" timestamp auth, `/YYYYMMDDHHMM/<md5>/<file>` where the stamp
is the issue minute in Beijing time and md5 = md5(key + stamp + "/" + file); the edge
answers 403 once `stamp + ttl` has passed. Lyrics and pitch: `/download?sign=…&source=…&t=…`
as in the document's examples, valid for the token TTL after `t`.

Every issued link and every use of one is recorded, so a soak test can check that each
link was used before it expired.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ktvdesk.cloudsim.clock import SimClock

BEIJING = timezone(timedelta(hours=8))
_STAMP_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True, slots=True)
class IssuedLink:
    url: str
    path: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkUse:
    path: str
    used_at: datetime
    status: int
    expires_at: datetime | None
    range: str | None


class AccessLog:
    """Bounded so that a sim left running for days does not grow without end; a soak test
    of a few hours stays far below the bound."""

    def __init__(self, max_entries: int = 500_000) -> None:
        self._lock = threading.Lock()
        self._issued: deque[IssuedLink] = deque(maxlen=max_entries)
        self._uses: deque[LinkUse] = deque(maxlen=max_entries)

    def issued(self, link: IssuedLink) -> None:
        with self._lock:
            self._issued.append(link)

    def used(self, use: LinkUse) -> None:
        with self._lock:
            self._uses.append(use)

    def issued_links(self) -> list[IssuedLink]:
        with self._lock:
            return list(self._issued)

    def uses(self) -> list[LinkUse]:
        with self._lock:
            return list(self._uses)

    def late_uses(self) -> list[LinkUse]:
        """Uses refused because the link had expired (a client kept a link too long)."""
        return [
            u
            for u in self.uses()
            if u.status == 403 and u.expires_at is not None and u.used_at > u.expires_at
        ]

    def uses_of(self, url_or_path: str) -> list[LinkUse]:
        path = (
            "/" + url_or_path.split("://", 1)[-1].split("/", 1)[-1] if "://" in url_or_path else url_or_path
        )
        path = path.split("?", 1)[0] if not path.startswith("/download") else path
        return [u for u in self.uses() if u.path == path]


class CdnSigner:
    def __init__(self, key: str, clock: SimClock, log: AccessLog) -> None:
        self._key = key
        self._clock = clock
        self._log = log

    def _md5(self, text: str) -> str:
        return hashlib.md5((self._key + text).encode("utf-8")).hexdigest()

    def media_url(self, base_url: str, file: str, ttl_s: int) -> str:
        issued = self._clock.now().astimezone(BEIJING).replace(second=0, microsecond=0)
        stamp = issued.strftime("%Y%m%d%H%M")
        path = f"/{stamp}/{self._md5(stamp + '/' + file)}/{file}"
        link = IssuedLink(
            base_url + path, path, issued.astimezone(UTC), (issued + timedelta(seconds=ttl_s)).astimezone(UTC)
        )
        self._log.issued(link)
        return link.url

    def check_media(self, stamp: str, digest: str, file: str, ttl_s: int) -> tuple[int, datetime | None]:
        """(HTTP status, expiry) for a media path."""
        if not _STAMP_RE.match(stamp) or self._md5(stamp + "/" + file) != digest:
            return 403, None
        try:
            issued = datetime.strptime(stamp, "%Y%m%d%H%M").replace(tzinfo=BEIJING)
        except ValueError:
            return 403, None
        expires = (issued + timedelta(seconds=ttl_s)).astimezone(UTC)
        return (200 if self._clock.now() <= expires else 403), expires

    def download_url(self, base_url: str, source: str, user: str, ttl_s: int) -> str:
        t = int(self._clock.time())
        url = (
            f"{base_url}/download?sign={self._md5(source + str(t))}&source={quote(source, safe='')}"
            f"&t={t}&us={quote(user, safe='')}"
        )
        issued = datetime.fromtimestamp(t, UTC)
        self._log.issued(IssuedLink(url, url[len(base_url) :], issued, issued + timedelta(seconds=ttl_s)))
        return url

    def check_download(self, sign: str, source: str, t: str, ttl_s: int) -> tuple[int, datetime | None]:
        if not t.isdigit() or self._md5(source + t) != sign:
            return 403, None
        expires = datetime.fromtimestamp(int(t) + ttl_s, UTC)
        return (200 if self._clock.now() <= expires else 403), expires


def ranged(request: Request, data: bytes, media_type: str) -> Response:
    """200 or 206 for a `Range: bytes=…` request (one range), 416 when unsatisfiable."""
    size = len(data)
    header = request.headers.get("range")
    base = {"Accept-Ranges": "bytes"}
    if not header:
        return Response(data, media_type=media_type, headers=base)
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if match is None or (not match[1] and not match[2]):
        return Response(data, media_type=media_type, headers=base)
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        start, end = max(0, size - int(match[2])), size - 1
    if start >= size or start > end:
        return PlainTextResponse("range not satisfiable", 416, headers={"Content-Range": f"bytes */{size}"})
    return Response(
        data[start : end + 1],
        status_code=206,
        media_type=media_type,
        headers={**base, "Content-Range": f"bytes {start}-{end}/{size}"},
    )


MEDIA_TYPES = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
    "mkv": "video/x-matroska",
    "ogg": "audio/ogg",
    "opus": "audio/ogg",
    "flac": "audio/flac",
    "vtt": "text/vtt; charset=utf-8",
    "lrc": "text/plain; charset=utf-8",
}
