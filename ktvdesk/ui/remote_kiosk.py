"""The phone remote in kiosk mode: the room's QR code on the touch screen between songs,
a row of 气氛 buttons, and "New guests" in the admin panel (a new QR code; every phone
signed in so far is refused)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QPushButton

from ktvdesk.remote.limits import Limit, RateLimiter
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.remote_badge import RemoteBadge

if TYPE_CHECKING:
    from ktvdesk.ui.kiosk.window import KioskWindow

# The touch screen shares the room's sound with the phones: the same room-wide pace.
KIOSK_CHEERS = Limit(1, 2000)


def cheer_labels() -> dict[str, str]:
    return {"applause": tr("Applause"), "cheer": tr("Cheer"), "laugh": tr("Laugh"), "whistle": tr("Whistle")}


@dataclass(slots=True)
class KioskRemote:
    """The widgets added (all children of the kiosk window; found by object name too)."""

    cheer_buttons: dict[str, QPushButton] = field(default_factory=dict)
    badge: RemoteBadge | None = None
    new_guests: QPushButton | None = None


def attach_remote(window: KioskWindow) -> KioskRemote:
    from ktvdesk.ui.kiosk.touch import big_button

    session = window.bridge.session
    limiter = RateLimiter(KIOSK_CHEERS)
    parts = KioskRemote()
    row = QHBoxLayout()
    for sound, label in cheer_labels().items():
        button = big_button(label, name=f"cheer_{sound}", height=56)

        def cheer(_: bool = False, sound: str = sound) -> None:
            if session is not None and limiter.check("kiosk") == 0:
                session.cheer(sound)

        button.clicked.connect(cheer)
        row.addWidget(button, 1)
        parts.cheer_buttons[sound] = button
    root = window.layout()
    if isinstance(root, QBoxLayout):
        root.addLayout(row)
    remote = window.services.remote
    if remote is None:
        return parts
    parts.badge = RemoteBadge(window.bridge, window)
    new_guests = big_button(tr("New guests (new QR code)"), name="adminNewGuests")
    new_guests.clicked.connect(lambda: remote.room.reset())  # noqa: PLW0108 - drops `checked`
    panel_layout = window.admin_panel.card.layout()
    if isinstance(panel_layout, QBoxLayout):
        panel_layout.insertWidget(max(0, panel_layout.count() - 1), new_guests)
    parts.new_guests = new_guests
    return parts
