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


# The document's lifetimes: a QQ or QQ Music login lasts 90 days, a WeChat one 30; the
# authorised QR session itself one hour ("如果授权成功，有效期为1小时").
LOGIN_LIFETIME: dict[QrKind, timedelta] = {
    QrKind.QQ_MUSIC: timedelta(days=90),
    QrKind.QQ: timedelta(days=90),
    QrKind.WECHAT: timedelta(days=30),
}
AUTHORISED_SESSION_TTL = timedelta(hours=1)
# Ask for a new login this long before the old one runs out: a venue opens weekly at least.
RELOGIN_NOTICE = timedelta(days=7)

RELOGIN_MESSAGE = UserMessage(
    "QQ音乐登录将在 {days} 天后失效，请重新扫码登录。",
    "The QQ Music login runs out in {days} day(s). Please scan the QR code again.",
)
LOGGED_OUT_MESSAGE = UserMessage(
    "QQ音乐登录已失效，请重新扫码登录。", "The QQ Music login has run out. Please log in again."
)


@dataclass(frozen=True, slots=True)
class LoginRecord:
    """A login this device registered by QR code, and when its lifetimes end."""

    kind: QrKind
    authorised_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.authorised_at + LOGIN_LIFETIME[self.kind]

    @property
    def session_expires_at(self) -> datetime:
        return self.authorised_at + AUTHORISED_SESSION_TTL

    def relogin_message(self, now: datetime, notice: timedelta = RELOGIN_NOTICE) -> UserMessage | None:
        """What to tell the user once the login is within `notice` of its end; None before."""
        left = self.expires_at - now
        if left <= timedelta(0):
            return LOGGED_OUT_MESSAGE
        if left > notice:
            return None
        days = -(-left // timedelta(days=1))  # whole days, rounded up: "1 day" until the end
        return UserMessage(RELOGIN_MESSAGE.zh.format(days=days), RELOGIN_MESSAGE.en.format(days=days))

    def as_json(self) -> dict[str, object]:
        return {"kind": int(self.kind), "authorised_at": self.authorised_at.isoformat()}

    @classmethod
    def from_json(cls, data: object) -> LoginRecord | None:
        """None for anything that is not a record this class wrote (a hand-edited file)."""
        if not isinstance(data, dict):
            return None
        try:
            moment = datetime.fromisoformat(str(data["authorised_at"]))
            return cls(QrKind(int(data["kind"])), moment) if moment.tzinfo is not None else None
        except (KeyError, TypeError, ValueError):
            return None
