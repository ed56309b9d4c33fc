"""Remote…: the room's QR code and URL, the host's rules for guests, and "new guests";
how many phones are connected, and, if the remote's process stopped on its own, why and
a button that starts it again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.services import AppServices
from ktvdesk.session_singers import TurnOrder
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.remote_badge import qr_pixmap

log = logging.getLogger(__name__)

DIALOG_QR_PX = 320


class RemoteDialog(QDialog):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("remoteDialog")
        self.setWindowTitle(tr("Phone remote"))
        layout = QVBoxLayout(self)
        self.code = QLabel()
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.code)
        self.url = QLabel()
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url.setWordWrap(True)
        layout.addWidget(self.url)
        remote = services.remote
        if remote is None:
            self.url.setText(
                tr(
                    "The phone remote is off. Start ktvdesk with --remote, or set enabled = true under [remote] in the settings file."
                )
            )
            return
        self.status = QLabel()
        self.status.setObjectName("remoteStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.restart_button = QPushButton(tr("Start the phone remote again"))
        self.restart_button.setObjectName("remoteRestart")
        self.restart_button.clicked.connect(self.start_again)
        self.working: asyncio.Task[None] | None = None  # the last restart or count asked for
        layout.addWidget(self.restart_button)
        remote.on_failure.append(self._stopped)
        self.finished.connect(lambda _result: self._forget())
        policy, session = remote.room.policy, remote.room.session
        self.fair = QCheckBox(tr("Fair turns among singers (otherwise first come, first sung)"))
        self.fair.setChecked(session.singers.order is TurnOrder.FAIR)
        self.priority = QCheckBox(tr("Guests may put their own songs first (优先)"))
        self.priority.setChecked(policy.allow_priority)
        self.skip = QCheckBox(tr("Guests may skip the song (切歌)"))
        self.skip.setChecked(policy.allow_skip)
        self.restart = QCheckBox(tr("Guests may restart the song (重唱)"))
        self.restart.setChecked(policy.allow_restart)
        self.cheers = QCheckBox(tr("Guests may play cheers (气氛)"))
        self.cheers.setChecked(policy.allow_cheers)
        for box in (self.fair, self.priority, self.skip, self.restart, self.cheers):
            layout.addWidget(box)
            box.toggled.connect(self.apply)
        buttons = QHBoxLayout()
        self.reset_button = QPushButton(tr("New guests (new QR code)"))
        self.reset_button.setToolTip(tr("Every phone signed in so far is refused; guests scan the new code."))
        self.reset_button.clicked.connect(self.new_guests)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        remote = self.services.remote
        if remote is None:
            return
        url = remote.url if remote.port else ""
        self.url.setText(url or tr("Starting…"))
        if url:
            self.code.setPixmap(qr_pixmap(url, DIALOG_QR_PX))
        self.restart_button.setVisible(remote.failure is not None)
        if remote.failure is not None:
            self.status.setText(
                tr("The phone remote stopped ({0}). Phones cannot reach the room.").format(remote.failure)
            )
        elif remote.running:
            self.working = self._spawn(self._count_phones(), "remote-phones")
        else:
            self.status.setText("")

    async def _count_phones(self) -> None:
        remote = self.services.remote
        try:
            count = await remote.phones() if remote is not None else 0
        except (TimeoutError, ConnectionError):
            return  # stopped meanwhile: `_stopped` says so
        self.status.setText(tr("Phones connected: {0}").format(count))

    def _stopped(self, _why: str) -> None:
        self.refresh()

    def start_again(self) -> None:
        remote = self.services.remote
        if remote is None:
            return
        self.restart_button.setEnabled(False)

        async def restart() -> None:
            try:
                await remote.restart()
            except Exception:  # the server reported it (`failure`, the log): the button stays
                log.debug("phone remote restart failed", exc_info=True)
            self.restart_button.setEnabled(True)
            self.refresh()

        self.working = self._spawn(restart(), "remote-restart")

    def _spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None] | None:
        try:
            return self.services.tasks.spawn(coroutine, name=name)
        except RuntimeError:  # no running loop (shutting down)
            coroutine.close()
            return None

    def _forget(self) -> None:
        remote = self.services.remote
        if remote is not None and self._stopped in remote.on_failure:
            remote.on_failure.remove(self._stopped)

    def apply(self) -> None:
        remote = self.services.remote
        if remote is None:
            return
        policy = remote.room.policy
        remote.room.session.singers.order = TurnOrder.FAIR if self.fair.isChecked() else TurnOrder.FIRST_COME
        policy.allow_priority = self.priority.isChecked()
        policy.allow_skip = self.skip.isChecked()
        policy.allow_restart = self.restart.isChecked()
        policy.allow_cheers = self.cheers.isChecked()
        remote.room.settings_changed()  # the phones' buttons follow at once

    def new_guests(self) -> None:
        remote = self.services.remote
        if remote is not None:
            remote.room.reset()
            self.refresh()
