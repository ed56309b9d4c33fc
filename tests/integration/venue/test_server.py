"""The venue server over loopback, against a real PostgreSQL and a real Mosquitto."""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from ktvdesk.venue import bus
from tests.integration.venue.conftest import DESK_NAME, DESK_PASSWORD, Venue, desk_client


def _room_client(venue: Venue, room: str, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=venue.url, headers={"Authorization": f"Bearer {key}", "X-KTV-Room": room}, timeout=10
    )


class Listener:
    """A room's own MQTT connection (as the terminal would hold it), for the test to read."""

    def __init__(self, venue: Venue, user: str, password: str, topics: tuple[str, ...]) -> None:
        self.messages: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.refused: queue.Queue[str] = queue.Queue()
        self.ready: queue.Queue[bool] = queue.Queue()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"test-{user}")
        self.client.username_pw_set(user, password)

        def connected(client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
            for topic in topics:
                client.subscribe(topic, qos=1)
            self.ready.put(not reason.is_failure)

        self.client.on_connect = connected
        self.client.on_message = lambda c, u, m: self.messages.put(
            (m.topic, json.loads(m.payload or b"null"))
        )
        self.client.connect("127.0.0.1", venue.broker.port)
        self.client.loop_start()
        assert self.ready.get(timeout=10), f"broker refused {user}"

    def next_on(self, topic: str, timeout: float = 10) -> Any:
        while True:
            got_topic, payload = self.messages.get(timeout=timeout)
            if got_topic == topic:
                return payload

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def room_101(venue: Venue) -> Iterator[tuple[str, Listener]]:
    key = venue.add_room("101")
    listener = Listener(venue, "101", key, (bus.session_topic("101"), bus.commands_topic("101")))
    yield key, listener
    listener.close()


def test_room_searches_and_streams_the_shared_library(venue: Venue, room_101: tuple[str, Listener]) -> None:
    key, _ = room_101
    with _room_client(venue, "101", key) as room:
        found = room.get("/api/room/search", params={"q": "mlh"}).json()["items"]
        assert found[0]["title"] == "茉莉花"
        song_id = found[0]["id"]
        media = room.get(f"/api/room/media/{song_id}").json()
        assert media["source"]["layout"] == "two_tracks" and media["parts"]["lyrics"]
        main = media["parts"]["main"]["url"]
        assert media["source"]["url"] == main
        whole = httpx.get(main)  # signed: libVLC cannot send headers
        assert whole.status_code == 200 and len(whole.content) > 10_000
        part = httpx.get(main, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206 and part.content == whole.content[100:200]
        assert room.get("/api/room/media/999999").status_code == 404
        forged = main.replace(f"/{song_id}/main/", f"/{song_id}/lyrics/")  # signed for another part
        assert httpx.get(forged).status_code == 403
        signature = main.split("/")[-2]
        assert httpx.get(main.replace(signature, "0" * len(signature))).status_code == 403


def test_wrong_room_key_or_unknown_room_is_refused(venue: Venue, room_101: tuple[str, Listener]) -> None:
    key, _ = room_101
    with _room_client(venue, "101", "not-the-key") as wrong:
        assert wrong.get("/api/room/search", params={"q": "mlh"}).status_code == 401
    with _room_client(venue, "999", key) as unknown:
        assert unknown.get("/api/room/status").status_code == 401


def test_requests_are_logged_once(venue: Venue, room_101: tuple[str, Listener]) -> None:
    key, _ = room_101
    with _room_client(venue, "101", key) as room:
        song_id = int(room.get("/api/room/search", params={"q": "mlh"}).json()["items"][0]["id"])
        body = {
            "request_id": "r-1",
            "song_id": song_id,
            "singer": "Ann",
            "requested_at": datetime.now(UTC).isoformat(),
        }
        assert room.post("/api/room/requests", json=body).json() == {"recorded": True}
        assert room.post("/api/room/requests", json=body).json() == {"recorded": False}
        assert (
            room.post("/api/room/requests", json={**body, "request_id": "r-2", "song_id": 999999}).status_code
            == 404
        )
        assert room.post("/api/room/requests", content=b"{not json").status_code == 422
        assert room.post("/api/room/requests", content=b"x" * 100_000).status_code == 413
    with desk_client(venue.url) as desk:
        chart = desk.get("/api/desk/charts", params={"period": "day"}).json()["items"]
        assert [(song["title"], song["requests"]) for song in chart] == [("茉莉花", 1)]


def test_desk_opens_a_room_and_the_room_hears_it(venue: Venue, room_101: tuple[str, Listener]) -> None:
    _, listener = room_101
    with desk_client(venue.url) as desk:
        opened = desk.post("/api/desk/rooms/101/open", json={"minutes": 2}).json()
        assert opened["open"] and 110_000 < opened["time_left_ms"] <= 120_000
        session = listener.next_on(bus.session_topic("101"))
        while not session["open"]:  # the retained "closed" state from start-up comes first
            session = listener.next_on(bus.session_topic("101"))
        assert session["closes_at"] == opened["closes_at"]
        assert desk.post("/api/desk/rooms/101/message", json={"text": "生日快乐"}).json() == {"sent": True}
        assert listener.next_on(bus.commands_topic("101")) == {
            "action": "message",
            "text": "生日快乐",
            "from": "desk",
        }
        assert desk.post("/api/desk/rooms/nope/open", json={"minutes": 2}).status_code == 404
        assert desk.post("/api/desk/rooms/101/open", json={"minutes": 0}).status_code == 422


def test_room_state_reaches_the_desk_and_acl_keeps_rooms_apart(
    venue: Venue, room_101: tuple[str, Listener]
) -> None:
    _key_101, listener_101 = room_101
    key_102 = venue.add_room("102")
    intruder = Listener(venue, "102", key_102, (bus.commands_topic("101"), bus.session_topic("102")))
    try:
        # 102 publishes as 101: the broker's ACL drops it silently; 101's own state arrives.
        intruder.client.publish(
            bus.state_topic("101"), json.dumps({"queue_length": 99}), qos=1
        ).wait_for_publish(5)
        listener_101.client.publish(
            bus.state_topic("101"), json.dumps({"queue_length": 3}), qos=1, retain=True
        )
        with desk_client(venue.url) as desk:
            with desk.stream("GET", "/api/desk/events") as events:
                lines = events.iter_lines()
                assert json.loads(next(lines)) == {"hello": True}
                rooms_now = desk.get("/api/desk/rooms").json()["rooms"]
                live = {room["room"]: room["live"] for room in rooms_now}
                if live.get("101") is None:  # not yet off the bus: wait for its event
                    change = json.loads(next(lines))
                    assert change["room"] == "101"
                    live["101"] = change["live"]
            assert live["101"] == {"queue_length": 3}
            desk.post("/api/desk/rooms/101/message", json={"text": "only for 101"})
        assert listener_101.next_on(bus.commands_topic("101"))["text"] == "only for 101"
        with pytest.raises(queue.Empty):
            intruder.next_on(bus.commands_topic("101"), timeout=1)  # absence: bounded wait
    finally:
        intruder.close()


def test_desk_login_failures_slow_down(venue: Venue) -> None:
    statuses = [
        httpx.post(f"{venue.url}/api/desk/login", json={"name": DESK_NAME, "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [401, 401, 401, 401]
    assert statuses[4] == 429
    locked = httpx.post(f"{venue.url}/api/desk/login", json={"name": DESK_NAME, "password": DESK_PASSWORD})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    assert httpx.get(f"{venue.url}/api/desk/rooms").status_code == 401
    assert (
        httpx.get(f"{venue.url}/api/desk/rooms", headers={"Authorization": "Bearer forged"}).status_code
        == 401
    )
