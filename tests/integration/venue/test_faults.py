"""The venue's faults with real processes: the server killed with SIGKILL mid-song, the
broker restarted, PostgreSQL restarted. A room keeps singing and loses no request."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from ktvdesk.playback.engine import PlayerState
from tests.integration.venue.conftest import MakeTerminal, ServerProcess, Terminal, Venue, desk_client


def _requests(venue: Venue) -> list[tuple[str, int]]:
    with psycopg.connect(venue.pg.dsn) as conn:
        rows = conn.execute("SELECT request_id, song_id FROM requests ORDER BY received_at").fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def _desk_sees(url: str) -> dict[str, Any]:
    with desk_client(url) as desk:
        rooms: list[dict[str, Any]] = desk.get("/api/desk/rooms").json()["rooms"]
    return {room["room"]: room for room in rooms}["101"]


@pytest.fixture
async def far_terminal(make_terminal: MakeTerminal, venue_process: ServerProcess) -> Terminal:
    return await make_terminal("101", venue_process.url)


async def test_server_killed_mid_song_room_sings_on_and_logs_once(
    venue: Venue, venue_process: ServerProcess, far_terminal: Terminal
) -> None:
    room = far_terminal
    songs = [(await room.provider.search(q)).items[0] for q in ("mlh", "Amazing Grace", "Auld Lang Syne")]
    for song in songs:
        room.session.enqueue(song)
    await room.until(lambda: all(room.provider.cache.get(s.id) is not None for s in songs[1:]), 60)
    await room.until(lambda: len(_requests(venue)) == 3)
    await room.until(lambda: room.session.state is PlayerState.PLAYING, 30)

    venue_process.kill()  # SIGKILL: no goodbye
    room.session.enqueue(songs[0])  # a request made while the server is gone
    await room.until(lambda: room.agent.pending_requests == 1)
    await room.session.next()  # the next queued song plays from the room's cache
    await room.until(
        lambda: room.session.now_playing is not None and room.session.now_playing.song.id == songs[1].id
    )
    await room.until(lambda: room.session.state is PlayerState.PLAYING, 30)
    assert not room.session.now_playing.source.is_network  # type: ignore[union-attr]

    venue_process.start()
    await room.until(lambda: room.agent.pending_requests == 0, 60)  # flushed on its own (every 10 s)
    logged = _requests(venue)
    assert len(logged) == 4 and len({request_id for request_id, _ in logged}) == 4
    assert sorted(song_id for _, song_id in logged) == sorted(int(s.id) for s in [*songs, songs[0]])
    await room.until(lambda: _desk_sees(venue_process.url)["online"] is True, 30)


async def test_broker_restart_rooms_reconnect_and_republish(
    venue: Venue, venue_process: ServerProcess, far_terminal: Terminal
) -> None:
    room = far_terminal
    room.session.enqueue((await room.provider.search("mlh")).items[0])
    await room.until(lambda: (_desk_sees(venue_process.url)["live"] or {}).get("queue_length") is not None)
    venue.broker.restart()  # no persistence: every retained topic is gone
    await room.until(
        lambda: (
            _desk_sees(venue_process.url)["online"] is True
            and (_desk_sees(venue_process.url)["live"] or {}).get("room") == "101"
        ),
        45,
    )


async def test_postgres_restart_loses_no_acknowledged_request(
    venue: Venue, venue_process: ServerProcess, far_terminal: Terminal
) -> None:
    room = far_terminal
    song = (await room.provider.search("mlh")).items[0]
    room.session.enqueue(song)
    await room.until(lambda: len(_requests(venue)) == 1)
    venue.pg.restart()
    room.session.enqueue(song)
    await room.until(lambda: room.agent.pending_requests == 0, 60)
    assert len(_requests(venue)) == 2
