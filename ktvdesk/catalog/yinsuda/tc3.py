"""TC3-HMAC-SHA256, Tencent Cloud API 3.0 request signing, as pure functions.

Pure (hashlib/hmac only). The emulator checks signatures with its own code
(`ktvdesk.cloudsim.tc3_check`), written apart from this one: the public test vector, the
official SDK conformance test and each checking the other keep both honest.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

ALGORITHM = "TC3-HMAC-SHA256"
TERMINATOR = "tc3_request"


@dataclass(frozen=True, slots=True)
class Credentials:
    secret_id: str
    secret_key: str = field(repr=False)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def utc_date(timestamp: int) -> str:
    """The credential scope's date: always UTC, never local time (the document's warning)."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def derived_keys(secret_key: str, date: str, service: str) -> tuple[bytes, bytes, bytes]:
    secret_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    secret_service = _hmac(secret_date, service)
    return secret_date, secret_service, _hmac(secret_service, TERMINATOR)


def canonical_request(
    method: str,
    uri: str,
    query: str,
    *,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    payload: bytes,
) -> str:
    """`headers` maps lower-case names to values; names and values are lower-cased and trimmed."""
    names = sorted(name.lower() for name in signed_headers)
    lowered = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{name}:{lowered[name].strip().lower()}\n" for name in names)
    return "\n".join([method.upper(), uri, query, canonical_headers, ";".join(names), sha256_hex(payload)])


def string_to_sign(timestamp: int, date: str, service: str, canonical: str) -> str:
    scope = f"{date}/{service}/{TERMINATOR}"
    return "\n".join([ALGORITHM, str(timestamp), scope, sha256_hex(canonical.encode("utf-8"))])


def signature(secret_key: str, date: str, service: str, to_sign: str) -> str:
    key = derived_keys(secret_key, date, service)[2]
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization(secret_id: str, date: str, service: str, signed_headers: Sequence[str], sig: str) -> str:
    names = ";".join(sorted(name.lower() for name in signed_headers))
    return (
        f"{ALGORITHM} Credential={secret_id}/{date}/{service}/{TERMINATOR}, "
        f"SignedHeaders={names}, Signature={sig}"
    )


def sign_request(
    credentials: Credentials,
    *,
    service: str,
    timestamp: int,
    method: str,
    uri: str,
    query: str,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    payload: bytes,
) -> str:
    """The `Authorization` header value for one request."""
    date = utc_date(timestamp)
    canonical = canonical_request(
        method, uri, query, headers=headers, signed_headers=signed_headers, payload=payload
    )
    sig = signature(
        credentials.secret_key, date, service, string_to_sign(timestamp, date, service, canonical)
    )
    return authorization(credentials.secret_id, date, service, signed_headers, sig)
