"""ZEGO server API signature (SignatureVersion 2.0), pure so the emulator can share it.

Signature = md5_hex(AppId + SignatureNonce + ServerSecret + Timestamp), all as decimal /
hex text, lower-case hex digest; the nonce is 16 hex characters; Timestamp in seconds.
"""

from __future__ import annotations

import hashlib
import secrets

SIGNATURE_VERSION = "2.0"
NONCE_HEX_CHARS = 16
# The service accepts requests whose Timestamp is within this many seconds of its clock.
TOLERANCE_S = 600


def signature(app_id: int | str, nonce: str, server_secret: str, timestamp: int | str) -> str:
    text = f"{app_id}{nonce}{server_secret}{timestamp}"
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(NONCE_HEX_CHARS // 2)
