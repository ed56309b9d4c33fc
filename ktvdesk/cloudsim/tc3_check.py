"""The emulator's own TC3-HMAC-SHA256 check, written from the document's "签名方法 v3".

Independent of the client's signer on purpose: both written from the same document and
checked against the official SDK and the document's public test vector, a mistake in
one cannot hide behind the same mistake in the other.

The document's steps, as checked here:
1. CanonicalRequest = Method \\n CanonicalURI \\n CanonicalQueryString \\n CanonicalHeaders
   \\n SignedHeaders \\n hex(sha256(payload)); each header line is `key:value\\n` with key
   and value lower-cased and trimmed, sorted by key; SignedHeaders lists the same keys.
2. StringToSign = "TC3-HMAC-SHA256" \\n timestamp \\n `date/service/tc3_request`
   \\n hex(sha256(CanonicalRequest)); the date is the UTC date of the timestamp.
3. kDate = HMAC("TC3" + SecretKey, date), kService = HMAC(kDate, service),
   kSigning = HMAC(kService, "tc3_request"); Signature = hex(HMAC(kSigning, StringToSign)).
4. Authorization = `TC3-HMAC-SHA256 Credential=SecretId/date/service/tc3_request,
   SignedHeaders=…, Signature=…`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

_PREFIX = "TC3-HMAC-SHA256"
_SCOPE_END = "tc3_request"


@dataclass(frozen=True, slots=True)
class Authorization:
    secret_id: str
    date: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


_FIELDS = re.compile(r"(\w+)=([^,]*)")


def read_authorization(header: str) -> Authorization | None:
    """The header's parts, or None when it is not a TC3 Authorization at all."""
    algorithm, _, rest = header.strip().partition(" ")
    if algorithm != _PREFIX:
        return None
    fields = {key: value.strip() for key, value in _FIELDS.findall(rest)}
    credential = fields.get("Credential", "").split("/")
    signed = fields.get("SignedHeaders", "")
    signature = fields.get("Signature", "")
    if (
        len(credential) != 4
        or credential[3] != _SCOPE_END
        or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", credential[1])
        or not signed
        or not re.fullmatch(r"[0-9a-f]{64}", signature)
    ):
        return None
    return Authorization(
        secret_id=credential[0],
        date=credential[1],
        service=credential[2],
        signed_headers=tuple(signed.split(";")),
        signature=signature,
    )


def scope_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).date().isoformat()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def expected_signature(
    secret_key: str,
    *,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    signed_headers: tuple[str, ...],
    payload: bytes,
    timestamp: int,
    service: str,
) -> str:
    """The signature a correct client computes for this request (`headers`: lower-case keys)."""
    keys = sorted(signed_headers)
    header_lines = "".join(f"{key}:{headers[key].strip().lower()}\n" for key in keys)
    canonical = "\n".join((method.upper(), path, query, header_lines, ";".join(keys), _sha256(payload)))
    date = scope_date(timestamp)
    to_sign = "\n".join(
        (_PREFIX, str(timestamp), f"{date}/{service}/{_SCOPE_END}", _sha256(canonical.encode("utf-8")))
    )
    k_date = _mac(("TC3" + secret_key).encode("utf-8"), date)
    k_signing = _mac(_mac(k_date, service), _SCOPE_END)
    return hmac.new(k_signing, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected, given)
