"""Where each provider's expiry comes from, in one place per fact.

- Yinsuda `PlayToken`: a JWT whose payload carries `ExpireTime` (unix s; `exp` in standard
  JWTs) and sometimes `CurTime` (the sample in the seed has `CurTime: 0`, i.e. unknown).
  The signature is not checked: only the server can, and we only need to know when to ask
  for a new one.
- Xiaowei `url_expiry_time`: unix seconds (the seed's examples are all seconds; a value too
  large to be seconds is taken as milliseconds, as Yinsuda's `Duration` taught us to expect).
- ZEGO `share_token_ttl`, `krc_token_ttl`, `resource_ttl`: milliseconds of life counted from
  when the response arrived.
- Yinsuda segment URLs `http://host/YYYYMMDDHHMM/<md5>/…`: Tencent CDN type-B timestamp
  auth. The path holds the link's *issue* minute in UTC+8 (Beijing time), not its expiry;
  the validity is the CDN's configured TTL, which is not in the URL. Both are parameters.
  Because the issue time is truncated to the minute, the computed expiry is up to 59 s
  early, which errs on the safe side.

Providers whose server clock differs from ours should convert with
`ktvdesk.catalog.http.clock.ServerClock.to_local` before registering an absolute expiry.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from ktvdesk.errors import ProviderError, UserMessage

_BAD_EXPIRY = UserMessage(
    "服务器返回的链接有效期无法识别，请稍后再试。",
    "The server sent a link whose validity could not be read. Please try again later.",
)

BEIJING_UTC_OFFSET_MIN = 8 * 60
# Seconds since 1970 pass 10^11 only in the year 5138: anything larger is milliseconds.
_MS_THRESHOLD = 100_000_000_000
# Type-B puts the stamp first in the path: `/YYYYMMDDHHMM/<md5>/FileName`.
_CDN_PATH = re.compile(r"^/(?P<stamp>\d{12})/[0-9a-fA-F]{32}(?:/|$)")


@dataclass(frozen=True, slots=True)
class Validity:
    expires_at: datetime
    issued_at: datetime | None = None

    @property
    def lifetime_ms(self) -> int | None:
        if self.issued_at is None:
            return None
        return round((self.expires_at - self.issued_at).total_seconds() * 1000)


def _bad(detail: str) -> ProviderError:
    return ProviderError(detail, user_message=_BAD_EXPIRY, code="refresh.bad_expiry")


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")


def from_unix(value: int | float | str) -> datetime:
    """A unix timestamp (seconds, or milliseconds when too large for seconds) as aware UTC."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _bad(f"not a unix timestamp: {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise _bad(f"not a usable unix timestamp: {value!r}")
    seconds = number / 1000 if number >= _MS_THRESHOLD else number
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise _bad(f"unix timestamp out of range: {value!r}") from None


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, base64url-decoded, signature not verified."""
    parts = token.strip().split(".")
    if len(parts) != 3 or not parts[1]:
        raise _bad("not a JWT (expected three dot-separated parts)")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (binascii.Error, UnicodeError, ValueError):
        raise _bad("JWT payload is not base64url JSON") from None
    if not isinstance(claims, dict):
        raise _bad("JWT payload is not a JSON object")
    return claims


def jwt_validity(token: str) -> Validity:
    """Expiry from `ExpireTime` (Yinsuda) or `exp`; issue time from `CurTime`/`iat` when set."""
    claims = jwt_claims(token)
    raw_exp = claims.get("ExpireTime", claims.get("exp"))
    if raw_exp is None or isinstance(raw_exp, bool):
        raise _bad("JWT has no ExpireTime/exp claim")
    expires_at = from_unix(raw_exp)
    issued_at: datetime | None = None
    raw_iat = claims.get("CurTime") or claims.get("iat")
    if raw_iat and not isinstance(raw_iat, bool):
        try:
            issued_at = from_unix(raw_iat)
        except ProviderError:
            issued_at = None
    if issued_at is not None and issued_at >= expires_at:
        issued_at = None
    return Validity(expires_at, issued_at)


def unix_validity(expiry: int | float | str, fetched_at: datetime) -> Validity:
    """A unix-seconds expiry field such as Xiaowei's `url_expiry_time`."""
    _require_aware(fetched_at, "fetched_at")
    return Validity(from_unix(expiry), fetched_at)


def ttl_validity(fetched_at: datetime, *, ttl_ms: int | None = None, ttl_s: float | None = None) -> Validity:
    """A time-to-live counted from when the response arrived (ZEGO `*_ttl` are ms)."""
    _require_aware(fetched_at, "fetched_at")
    if (ttl_ms is None) == (ttl_s is None):
        raise ValueError("give exactly one of ttl_ms and ttl_s")
    life_ms = ttl_ms if ttl_ms is not None else round((ttl_s or 0) * 1000)
    if isinstance(life_ms, bool) or not isinstance(life_ms, int) or life_ms <= 0:
        raise _bad(f"not a usable time-to-live: {ttl_ms if ttl_ms is not None else ttl_s!r}")
    return Validity(fetched_at + timedelta(milliseconds=life_ms), fetched_at)


def cdn_path_issued_at(url: str, *, utc_offset_min: int = BEIJING_UTC_OFFSET_MIN) -> datetime | None:
    """The issue minute of a `/YYYYMMDDHHMM/<md5>/` link, or None when the URL has none."""
    match = _CDN_PATH.match(urlsplit(url).path)
    if match is None:
        return None
    stamp = match.group("stamp")
    try:
        local = datetime.strptime(stamp, "%Y%m%d%H%M")
    except ValueError:
        raise _bad(f"CDN link has an impossible timestamp {stamp}") from None
    return local.replace(tzinfo=timezone(timedelta(minutes=utc_offset_min))).astimezone(UTC)
