"""A room terminal (real KaraokeSession on real libVLC) against the real venue server,
PostgreSQL and Mosquitto: search, queue, request log, desk hours and messages, caching."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from ktvdesk.catalog.venue import VenueProvider, VenueRoom
from ktvdesk.venue.room import RoomAgent, RoomEvent, RoomEventKind
from tests.integration.venue.conftest import MakeTerminal, Terminal, Venue, desk_client
from tests.venue_servers import free_port


def _request_count(venue: Venue) -> list[tuple[str, int]]:
    with psycopg.connect(venue.pg.dsn) as conn:
        rows = conn.execute("SELECT room, count(*) FROM requests GROUP BY room ORDER BY room").fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


@pytest.fixture
async def terminal(make_terminal: MakeTerminal, venue: Venue) -> Terminal:
    return await make_terminal("101", venue.url, autoplay=False)


async def test_room_queues_from_the_venue_and_logs_each_request_once(
    venue: Venue, terminal: Terminal
) -> None:
    found = await terminal.provider.search("mlh")
    song = found.items[0]
    assert song.title == "茉莉花"
    terminal.session.enqueue_for(song, "Ann")
    await terminal.until(
        lambda: terminal.agent.pending_requests == 0 and _request_count(venue) == [("101", 1)]
    )
    # The queued song is copied to the room: it resolves to local files from now on.
    await terminal.until(lambda: terminal.provider.cache.get(song.id) is not None)
    source = await terminal.provider.resolve_media(song)
    assert not source.is_network and source.url.startswith(str(terminal.provider.cache.folder))
    lyrics = await terminal.provider.fetch_lyrics(song)
    assert lyrics is not None and lyrics.lines
    with desk_client(venue.url) as desk:
        await terminal.until(
            lambda: (desk.get("/api/desk/rooms").json()["rooms"][0]["live"] or {}).get("queue_length") == 1
        )
        room = desk.get("/api/desk/rooms").json()["rooms"][0]
        assert room["online"] and room["live"]["queue"] == [{"title": "茉莉花", "singer": "Ann"}]


async def test_desk_hours_messages_and_the_room_closing_itself(venue: Venue, terminal: Terminal) -> None:
    song = (await terminal.provider.search("mlh")).items[0]
    terminal.session.enqueue(song)
    with desk_client(venue.url) as desk:
        desk.post("/api/desk/rooms/101/open", json={"minutes": 20}).raise_for_status()
        await terminal.until(lambda: terminal.agent.hours.open)
        assert 19 * 60_000 < terminal.agent.time_left_ms() <= 20 * 60_000
        assert RoomEvent(RoomEventKind.WARNING) not in terminal.events
        desk.post("/api/desk/rooms/101/message", json={"text": "送果盘啦"}).raise_for_status()
        await terminal.until(lambda: RoomEvent(RoomEventKind.MESSAGE, "送果盘啦") in terminal.events)
        desk.post("/api/desk/rooms/101/limits", json={"volume_cap": 30}).raise_for_status()
        await terminal.until(lambda: terminal.session.volume == 30)

        terminal.clock.offset = timedelta(minutes=10, seconds=1)  # 9:59 left: warned, once
        terminal.agent.check_time()
        terminal.agent.check_time()
        assert terminal.events.count(RoomEvent(RoomEventKind.WARNING)) == 1
        terminal.clock.offset = timedelta(minutes=20, seconds=1)  # over
        terminal.agent.check_time()
        assert terminal.events[-1] == RoomEvent(RoomEventKind.CLOSED)
        assert terminal.session.upcoming == () and not terminal.agent.hours.open
        await terminal.until(
            lambda: (desk.get("/api/desk/rooms").json()["rooms"][0]["live"] or {}).get("open") is False
        )


async def test_a_room_rebooted_while_the_server_is_down_keeps_its_hours(
    venue: Venue, terminal: Terminal, tmp_path: Path
) -> None:
    with desk_client(venue.url) as desk:
        desk.post("/api/desk/rooms/101/open", json={"minutes": 30}).raise_for_status()
    await terminal.until(lambda: terminal.agent.hours.open)
    closes_at = terminal.agent.hours.closes_at
    await terminal.agent.stop()
    # The same room after a reboot, with the server unreachable (a closed port).
    unreachable = VenueProvider(
        VenueRoom(f"http://127.0.0.1:{free_port()}", "101", "any"), tmp_path / "cache2"
    )
    reborn = RoomAgent(terminal.session, unreachable, data_dir=terminal.agent.data_dir)
    try:
        assert reborn.hours.open and reborn.hours.closes_at == closes_at
        assert 29 * 60_000 < reborn.time_left_ms() <= 30 * 60_000
    finally:
        await unreachable.aclose()
