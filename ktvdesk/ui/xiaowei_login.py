"""QQ Music (Xiaowei) login in the window: the QR code large, polled until decided.

The Xiaowei document needs a user's QQ Music login before it serves music. The flow:
`get_qr_code` → show the code (QQ Music and QQ send a link to encode, WeChat the picture
itself) → poll `get_register_status` until authorised, failed, cancelled or the 5-minute
session ends (a countdown shows how long is left) → show the account and membership
(`member_info`). Logout is `release_qr_authorization`. The login's lifetime (90 days for
QQ / QQ Music, 30 for WeChat) is remembered on this device, and the dialog asks for a new
login a week before it runs out.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPixmap
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ktvdesk import paths
from ktvdesk.catalog.xiaowei.api import QrKind
from ktvdesk.catalog.xiaowei.login import (
    CANCELLED_MESSAGE,
    EXPIRED_MESSAGE,
    FAILED_MESSAGE,
    LoginRecord,
    QrLogin,
    RegisterState,
)
from ktvdesk.catalog.xiaowei.payloads import MemberInfo
from ktvdesk.errors import KtvError
from ktvdesk.remote.qr import qr_png
from ktvdesk.tasks import TaskRegistry
from ktvdesk.ui.i18n import tr

log = logging.getLogger(__name__)

QR_PX = 360  # large: scanned from a phone held at arm's length
RECORD_FILE = "xiaowei-login.json"


class QrLoginProvider(Protocol):
    """What the dialog needs of `XiaoweiProvider` (a Protocol: tests may pass a fake)."""

    async def start_qr_login(self, kind: QrKind = ...) -> QrLogin: ...

    async def login_state(self, login: QrLogin | str) -> RegisterState: ...

    async def member_info(self) -> MemberInfo: ...

    async def release_login(self) -> None: ...


def record_path() -> Path:
    return paths.data_dir() / RECORD_FILE


def load_record(path: Path | None = None) -> LoginRecord | None:
    try:
        return LoginRecord.from_json(json.loads((path or record_path()).read_text("utf-8")))
    except (OSError, ValueError):
        return None


def save_record(record: LoginRecord | None, path: Path | None = None) -> None:
    target = path or record_path()
    try:
        if record is None:
            target.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(record.as_json()), "utf-8")
    except OSError as exc:  # the login still works; only the reminder is lost
        log.warning("cannot keep the QQ Music login date: %s", exc)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class QrLoginDialog(QDialog):
    """Log in, see who is logged in, log out. `stateChanged` carries the status text."""

    stateChanged = Signal(str)
    polled = Signal(int)  # each answer of get_register_status (its state)
    loggedIn = Signal()
    KINDS = ((QrKind.QQ_MUSIC, "QQ Music"), (QrKind.WECHAT, "WeChat"), (QrKind.QQ, "QQ"))

    def __init__(
        self,
        provider: QrLoginProvider,
        *,
        language: str = "en",
        poll_ms: int = 2000,
        record_file: Path | None = None,
        now: Callable[[], datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("xiaoweiLoginDialog")
        self.setWindowTitle(tr("QQ Music login"))
        self.provider = provider
        self.language = language
        self.poll_ms = poll_ms
        self.record_file = record_file
        self._now = now  # the QR session's 5 minutes and the login's days count on this
        self.record = load_record(record_file)
        self.login: QrLogin | None = None
        self.member: MemberInfo | None = None
        self._tasks = TaskRegistry()
        self._poll: asyncio.Task[None] | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.kind_box = QComboBox()
        for kind, label in self.KINDS:
            self.kind_box.addItem(label, int(kind))
        row.addWidget(QLabel(tr("Scan with:")))
        row.addWidget(self.kind_box, 1)
        layout.addLayout(row)
        self.code = QLabel()
        self.code.setObjectName("xiaoweiQr")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setMinimumSize(QR_PX, QR_PX)
        layout.addWidget(self.code, 1)
        self.countdown = QLabel()
        self.countdown.setObjectName("xiaoweiCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.countdown)
        self.status = QLabel()
        self.status.setObjectName("xiaoweiStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.account = QLabel()
        self.account.setObjectName("xiaoweiAccount")
        self.account.setWordWrap(True)
        layout.addWidget(self.account)
        buttons = QHBoxLayout()
        self.login_button = QPushButton(tr("Show QR code"))
        self.logout_button = QPushButton(tr("Log out"))
        self.close_button = QPushButton(tr("Close"))
        for button in (self.login_button, self.logout_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.login_button.clicked.connect(lambda: self._spawn(self.start(), "xiaowei-qr"))
        self.logout_button.clicked.connect(lambda: self._spawn(self.logout(), "xiaowei-logout"))
        self.close_button.clicked.connect(self.close)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._show_record()

    # -- the flow ------------------------------------------------------------------------------

    async def start(self) -> None:
        """A new QR code for the chosen app, then poll until the session is decided."""
        self._stop_polling()
        self.member = None
        kind = QrKind(int(self.kind_box.currentData()))
        try:
            self.login = await self.provider.start_qr_login(kind)
        except KtvError as exc:
            self._set_status(exc.message(self.language))
            return
        self.code.setPixmap(self._qr_pixmap(self.login))
        self._set_status(tr("Scan the code with the app and confirm the login."))
        self._ticker.start()
        self._tick()
        self._poll = self._spawn(self._poll_until_decided(self.login), "xiaowei-qr-poll")

    async def logout(self) -> None:
        self._stop_polling()
        try:
            await self.provider.release_login()
        except KtvError as exc:
            self._set_status(exc.message(self.language))
            return
        self.record = None
        self.member = None
        save_record(None, self.record_file)
        self.code.clear()
        self.countdown.clear()
        self.account.clear()
        self._set_status(tr("Logged out."))

    async def _poll_until_decided(self, login: QrLogin) -> None:
        while True:
            if login.expired(self._now()):
                self._expired()
                return
            try:
                state = await self.provider.login_state(login)
            except KtvError as exc:
                if not exc.retryable:
                    self._finish(exc.message(self.language))
                    return
                state = RegisterState.WAITING
            self.polled.emit(int(state))
            if state is RegisterState.AUTHORISED:
                await self._authorised(login)
                return
            if state is RegisterState.FAILED:
                self._finish(FAILED_MESSAGE.text(self.language))
                return
            if state is RegisterState.CANCELLED:
                self._finish(CANCELLED_MESSAGE.text(self.language))
                return
            await asyncio.sleep(self.poll_ms / 1000)

    async def _authorised(self, login: QrLogin) -> None:
        self._ticker.stop()
        self.countdown.clear()
        self.code.clear()
        self.record = LoginRecord(login.kind, self._now())
        save_record(self.record, self.record_file)
        try:
            self.member = await self.provider.member_info()
        except KtvError as exc:
            log.info("member_info after login failed: %s", exc.detail)
        self._show_record()
        self._set_status(tr("Logged in."))
        self.loggedIn.emit()

    def _expired(self) -> None:
        self._finish(EXPIRED_MESSAGE.text(self.language))

    def _finish(self, text: str) -> None:
        self._ticker.stop()
        self.countdown.clear()
        self.code.clear()
        self.login = None
        self._set_status(text)

    # -- showing -------------------------------------------------------------------------------

    def _qr_pixmap(self, login: QrLogin) -> QPixmap:
        data = login.image_bytes() if login.is_image else qr_png(login.qr_code_url, scale=10)
        pixmap = QPixmap()
        if not data or not pixmap.loadFromData(data):
            return QPixmap()
        return pixmap.scaled(
            QR_PX, QR_PX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
        )

    def _tick(self) -> None:
        login = self.login
        if login is None:
            self._ticker.stop()
            return
        left_s = max(0, int((login.expires_at - self._now()).total_seconds()))
        self.countdown.setText(tr("The code expires in {0}:{1:02d}").format(left_s // 60, left_s % 60))
        if left_s == 0:
            self._stop_polling()
            self._expired()

    def _show_record(self) -> None:
        record = self.record
        lines: list[str] = []
        member = self.member
        if member is not None:
            lines.append(tr("Account: {0}").format(member.nickname or "—"))
            if member.is_super_green_vip or member.is_green_vip:
                end = member.super_green_vip_end_time or member.green_vip_end_time
                lines.append(tr("Green diamond member until {0}").format(end or "—"))
            else:
                lines.append(tr("Not a QQ Music member"))
        if record is not None:
            if self._now() < record.session_expires_at:  # an authorised session lasts one hour
                valid = record.session_expires_at.astimezone().strftime("%H:%M")
                lines.append(tr("Authorised session valid until {0}").format(valid))
            lines.append(
                tr("Login valid until {0}").format(record.expires_at.astimezone().strftime("%Y-%m-%d"))
            )
            reminder = record.relogin_message(self._now())
            if reminder is not None:
                lines.append(reminder.text(self.language))
        self.account.setText("\n".join(lines))

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.stateChanged.emit(text)

    # -- tasks ---------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        return self._tasks.spawn(coro, name=name)

    @property
    def polling(self) -> bool:
        return self._poll is not None and not self._poll.done()

    def _stop_polling(self) -> None:
        if self._poll is not None and self.polling:
            self._poll.cancel()
        self._poll = None
        self._ticker.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing cancels the wait: nothing polls for a dialog nobody sees."""
        self._stop_polling()
        self.login = None
        super().closeEvent(event)

    async def aclose(self) -> None:
        self._stop_polling()
        await self._tasks.aclose()
