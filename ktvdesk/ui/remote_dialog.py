"""Remote…: the room's QR code and URL, the host's rules for guests, and "new guests"."""

from __future__ import annotations

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
