"""The QR-code registration of a QQ Music login state, and its waiting rules.

The service keeps the login; we only hold the 5-minute `session` that lets us ask
whether the user scanned and agreed. What the QR code holds depends on the app: a
`qqmusic://` link (QQ Music), an H5 page URL (QQ) or a base64 PNG (WeChat).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from ktvdesk.catalog.xiaowei.api import QrKind
from ktvdesk.errors import AuthError, UserMessage

SESSION_TTL = timedelta(minutes=5)


class RegisterState(IntEnum):
    WAITING = 0
    AUTHORISED = 1
    FAILED = 2
    CANCELLED = 3


EXPIRED_MESSAGE = UserMessage(
    "二维码已过期，请刷新后重新扫码。", "The QR code expired. Refresh it and scan again."
)
FAILED_MESSAGE = UserMessage("扫码授权失败，请重试。", "The QR login failed. Please try again.")
CANCELLED_MESSAGE = UserMessage("已取消扫码授权。", "The QR login was cancelled.")


@dataclass(frozen=True, slots=True)
class QrLogin:
    kind: QrKind
    qr_code_url: str
    session: str
    expires_at: datetime  # local clock

    @property
    def is_image(self) -> bool:
        """WeChat sends the picture itself (base64), the others a link to encode as a QR code."""
        return self.kind == QrKind.WECHAT and "://" not in self.qr_code_url

    def image_bytes(self) -> bytes | None:
        if not self.is_image:
            return None
        data = (
            self.qr_code_url.split(",", 1)[-1] if self.qr_code_url.startswith("data:") else self.qr_code_url
        )
        try:
            return base64.b64decode(data + "=" * (-len(data) % 4), validate=False)
        except (binascii.Error, ValueError):
            return None

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def state_error(state: RegisterState, detail: str) -> AuthError | None:
    if state == RegisterState.FAILED:
        return AuthError(detail, user_message=FAILED_MESSAGE, code="qr-failed")
    if state == RegisterState.CANCELLED:
        return AuthError(detail, user_message=CANCELLED_MESSAGE, code="qr-cancelled")
    return None


def expired_error(detail: str) -> AuthError:
    return AuthError(detail, user_message=EXPIRED_MESSAGE, code="qr-expired")
