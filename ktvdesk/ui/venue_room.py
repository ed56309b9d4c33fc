"""A room terminal in a venue: its hours on the touch screen, the desk's messages on the
stage, the warning before the end and the end itself.

The room agent runs on the asyncio loop, which qasync runs on this (the GUI) thread, so
its events arrive here on the right thread and touch widgets directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from ktvdesk.ui.i18n import tr
from ktvdesk.ui.toast import ToastStack
from ktvdesk.venue.room import RoomAgent, RoomEvent, RoomEventKind

if TYPE_CHECKING:
    from ktvdesk.ui.kiosk.window import KioskWindow

MESSAGE_MS = 12_000


def time_left_text(agent: RoomAgent) -> str:
    if not agent.hours.open:
        return tr("Room closed — please ask the front desk")
    minutes, seconds = divmod(agent.time_left_ms() // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return tr("Time left: {0} h {1:02d} min").format(hours, minutes)
    return tr("Time left: {0}:{1:02d}").format(minutes, seconds)


@dataclass(slots=True)
class VenueRoomView:
    """The widgets added to a kiosk window (found by object name in tests too)."""

    agent: RoomAgent
    window: KioskWindow
    clock_label: QLabel
    toasts: ToastStack
    stage_toasts: ToastStack | None = None

    def refresh(self) -> None:
        self.clock_label.setText(time_left_text(self.agent))

    def on_event(self, event: RoomEvent) -> None:
        if event.kind is RoomEventKind.MESSAGE:
            self._say(tr("From the front desk: {0}").format(event.text))
        elif event.kind is RoomEventKind.WARNING:
            self._say(tr("10 minutes left in this room."))
        elif event.kind is RoomEventKind.CLOSED:
            self._say(tr("Time is up: thank you for singing with us!"))
            remote = self.window.services.remote
            if remote is not None:
                remote.room.reset()  # the next guests get a new QR code; these phones are out
        self.refresh()

    def _say(self, text: str) -> None:
        self.toasts.show_message(text)
        stage = self.window.stage
        if stage is not None:
            if self.stage_toasts is None or self.stage_toasts.parent() is not stage:
                self.stage_toasts = ToastStack(stage)
            self.stage_toasts.show_message(text)


def attach_venue_room(window: KioskWindow, agent: RoomAgent) -> VenueRoomView:
    clock_label = QLabel(window)
    clock_label.setObjectName("venueTimeLeft")
    root = window.layout()
    if isinstance(root, QBoxLayout):
        root.insertWidget(0, clock_label)
    holder: QWidget = window
    view = VenueRoomView(agent, window, clock_label, ToastStack(holder))
    agent.subscribe(view.on_event)
    ticker = QTimer(clock_label)
    ticker.timeout.connect(view.refresh)
    ticker.start(1000)
    view.refresh()
    return view
