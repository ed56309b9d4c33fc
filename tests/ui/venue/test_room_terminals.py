"""Two room terminals (offscreen kiosk windows, real libVLC with the dummy output) on one
venue: each searches the shared library with the touch keypad and queues a song; the
desk opens one room, messages its stage and closes it; the other is untouched."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ktvdesk.catalog.venue import VenueRoom
from ktvdesk.kiosk import PinLock
from ktvdesk.playback import PlayerState
from ktvdesk.services import AppServices
from ktvdesk.ui.kiosk.shell import make_stage
from ktvdesk.ui.kiosk.window import KioskWindow
from ktvdesk.ui.venue_room import VenueRoomView, attach_venue_room
from tests.integration.venue.conftest import Venue, desk_token
from tests.ui.conftest import make_services, run, until
from tests.ui.kiosk.conftest import STORED
from tests.unit.kiosk.conftest import FakeClock

LEFT = Qt.MouseButton.LeftButton


@dataclass
class Room:
    name: str
    services: AppServices
    win: KioskWindow
    view: VenueRoomView


@pytest.fixture
def rooms(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    venue: Venue,
) -> Iterator[dict[str, Room]]:
    made: dict[str, Room] = {}
    for name in ("A01", "B02"):
        key = venue.add_room(name)
        monkeypatch.setenv("KTVDESK_CACHE_DIR", str(tmp_path / name / "cache"))
        services = make_services(tmp_path / name, monkeypatch, qloop, venue=VenueRoom(venue.url, name, key))
        assert services.room_agent is not None and services.user_db is not None
        if name == "A01":  # A01's guests have phones: the room's end must lock them out
            services.open_remote(host="127.0.0.1", port=0, url_file=None, kiosk=True)
        run(qloop, services.start())
        clock = FakeClock()
        win = KioskWindow(
            services,
            db=services.user_db,
            clock=clock,
            pin_hash=lambda: STORED,
            lock=PinLock(clock=clock, wall=clock),
        )
        win.mirror = services.queue_mirror
        win.set_stage(make_stage(win, video=False), own_screen=False)
        qtbot.addWidget(win)
        win.show_on_screen(0)
        view = attach_venue_room(win, services.room_agent)
        made[name] = Room(name, services, win, view)
    yield made
    # The scenario closed the services inside its own run (nothing of theirs is left for
    # Qt to step once the loop stopped); the windows go last.
    for room in made.values():
        assert room.services.closed
        room.win.release()
        room.win.exit_allowed = True
        room.win.close()


async def _keypad_add(room: Room, qtbot: QtBot, letters: str, title: str) -> None:
    page = room.win.search_page
    page.clear()
    for letter in letters:
        qtbot.mouseClick(page.keys[letter], LEFT)  # type: ignore[no-untyped-call]
    await until(lambda: title in [s.title for s in page.results.songs], page.results.changed)
    row = [s.title for s in page.results.songs].index(title)
    qtbot.mouseClick(page.results.findChildren(QPushButton, "kioskAdd")[row], LEFT)  # type: ignore[no-untyped-call]


async def settle(predicate: Callable[[], object], timeout_s: float = 30) -> None:
    """The desk's view and the rooms' reactions cross the bus and HTTP (other threads and
    a server): re-checked every 50 ms until they hold."""
    never = asyncio.Event()
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(never.wait(), 0.05)


class Desk:
    def __init__(self, venue: Venue) -> None:
        self.client = httpx.AsyncClient(
            base_url=venue.url, headers={"Authorization": f"Bearer {desk_token(venue.url)}"}, timeout=10
        )
        self.rooms: dict[str, dict[str, Any]] = {}

    async def post(self, path: str, body: dict[str, Any]) -> None:
        (await self.client.post(path, json=body)).raise_for_status()

    async def refresh(self) -> None:
        self.rooms = {r["room"]: r for r in (await self.client.get("/api/desk/rooms")).json()["rooms"]}

    def live(self, room: str) -> dict[str, Any]:
        return self.rooms.get(room, {}).get("live") or {}


def test_two_rooms_search_queue_and_follow_the_desk(
    rooms: dict[str, Room], venue: Venue, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    a, b = rooms["A01"], rooms["B02"]
    desk = Desk(venue)

    async def scenario() -> None:
        for room in (a, b):
            assert room.services.room_agent is not None
            await room.services.room_agent.start()
        assert a.win.provider is not None and a.win.provider.name == "venue"
        await _keypad_add(a, qtbot, "MLH", "茉莉花")
        await _keypad_add(b, qtbot, "SONGBIE", "送别")

        async def both_singing() -> bool:
            await desk.refresh()
            return bool(desk.live("A01").get("now_playing") and desk.live("B02").get("now_playing"))

        await until_async(both_singing)
        assert desk.live("A01")["now_playing"]["title"] == "茉莉花"
        assert desk.live("B02")["now_playing"]["title"] == "送别"

        await desk.post("/api/desk/rooms/A01/open", {"minutes": 2})
        agent = a.services.room_agent
        assert agent is not None
        await settle(lambda: agent.hours.open)
        a.view.refresh()
        assert a.view.clock_label.text().startswith(("Time left: 1:", "Time left: 2:00"))
        assert b.view.clock_label.text().startswith("Room closed")

        await desk.post("/api/desk/rooms/A01/message", {"text": "Fruit plate on its way"})
        await settle(lambda: a.view.stage_toasts is not None and "Fruit plate" in a.view.stage_toasts.text())
        assert "Fruit plate" in a.view.toasts.text()
        assert b.view.stage_toasts is None

        assert a.services.remote is not None
        guests_token = a.services.remote.room.key.token
        await desk.post("/api/desk/rooms/A01/close", {})
        session = a.services.session
        assert session is not None
        await settle(lambda: session.state is not PlayerState.PLAYING and not session.upcoming)
        assert "Time is up" in a.view.toasts.text()
        assert a.services.remote.room.key.token != guests_token  # the next guests get a new QR code
        assert b.services.session is not None and b.services.session.now_playing is not None  # B sings on
        await desk.client.aclose()

    async def scenario_then_close() -> None:
        try:
            await scenario()
        finally:
            for room in rooms.values():
                await room.services.aclose()

    run(qloop, scenario_then_close())


async def until_async(predicate: Callable[[], Awaitable[bool]], timeout_s: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
