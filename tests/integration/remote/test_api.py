"""The remote's JSON API over loopback: auth, queueing, ownership, control, limits."""

from __future__ import annotations

import asyncio

import httpx

from ktvdesk.playback import PlayerState
from tests.integration.remote.conftest import Remote, raw_requests


async def _song_id(phone: httpx.AsyncClient, remote: Remote, query: str) -> str:
    response = await phone.get(f"{remote.base}/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    (local,) = [r for r in response.json()["results"] if r["provider"] == "local"]
    assert local["items"], f"nothing found for {query}"
    return str(local["items"][0]["id"])


async def test_url_file_holds_the_page_url_with_the_token(quiet_remote: Remote) -> None:
    url = quiet_remote.url_file.read_text().strip()
    assert url == f"{quiet_remote.base}/?t={quiet_remote.room.key.token}"
    assert len(quiet_remote.room.key.token) >= 32  # 24 random bytes, base64url
    assert quiet_remote.url_file.stat().st_mode & 0o077 == 0
    async with httpx.AsyncClient() as client:
        page = await client.get(url)
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "/static/remote.js" in page.text


async def test_search_and_queue_carry_the_singer(quiet_remote: Remote) -> None:
    phone = await quiet_remote.phone("小林")
    async with phone:
        response = await phone.get(f"{quiet_remote.base}/api/search", params={"q": "mlh"})
        titles = [s["title"] for r in response.json()["results"] for s in r["items"]]
        assert "茉莉花" in titles
        song_id = await _song_id(phone, quiet_remote, "mlh")
        added = await phone.post(
            f"{quiet_remote.base}/api/queue", json={"provider": "local", "song_id": song_id}
        )
        assert added.status_code == 201, added.text
        entry_id = added.json()["entry_id"]
        (entry,) = quiet_remote.session.upcoming
        assert entry.entry_id == entry_id and entry.item.title == "茉莉花"
        assert quiet_remote.session.singers.singer_of(entry_id) == "小林"
        queue = (await phone.get(f"{quiet_remote.base}/api/queue")).json()
        assert [(e["singer"], e["song"]["title"]) for e in queue["queue"]] == [("小林", "茉莉花")]


async def test_wrong_or_old_token_is_refused_and_nothing_changes(quiet_remote: Remote) -> None:
    base = quiet_remote.base
    old_phone = await quiet_remote.phone("Old")
    async with httpx.AsyncClient() as client, old_phone:
        wrong = await client.post(f"{base}/api/session", json={"token": "x" * 32, "singer": "Eve"})
        assert wrong.status_code == 401
        old_token = quiet_remote.room.key.token
        quiet_remote.room.reset()
        assert quiet_remote.url_file.read_text().strip().endswith(quiet_remote.room.key.token)
        old = await client.post(f"{base}/api/session", json={"token": old_token, "singer": "Eve"})
        assert old.status_code == 401
        assert "扫描" in old.json()["message"]["zh"]
        song_id = "1"
        refused = await old_phone.post(f"{base}/api/queue", json={"provider": "local", "song_id": song_id})
        assert refused.status_code == 401
        no_auth = await client.get(f"{base}/api/queue")
        assert no_auth.status_code == 401
    assert quiet_remote.session.upcoming == ()


async def test_only_own_songs_can_be_removed_or_put_on_top(quiet_remote: Remote) -> None:
    base = quiet_remote.base
    alice, bob = await quiet_remote.phone("Alice"), await quiet_remote.phone("Bob")
    async with alice, bob:
        song_id = await _song_id(alice, quiet_remote, "mlh")
        first = (await alice.post(f"{base}/api/queue", json={"provider": "local", "song_id": song_id})).json()
        second = (await bob.post(f"{base}/api/queue", json={"provider": "local", "song_id": song_id})).json()
        assert (await bob.delete(f"{base}/api/queue/{first['entry_id']}")).status_code == 403
        assert (await bob.post(f"{base}/api/queue/{first['entry_id']}/top")).status_code == 403
        assert (await bob.post(f"{base}/api/queue/{second['entry_id']}/top")).status_code == 200
        assert [e.entry_id for e in quiet_remote.session.upcoming] == [second["entry_id"], first["entry_id"]]
        assert (await alice.delete(f"{base}/api/queue/{first['entry_id']}")).status_code == 200
        assert (await alice.delete(f"{base}/api/queue/{first['entry_id']}")).status_code == 404
        assert [e.entry_id for e in quiet_remote.session.upcoming] == [second["entry_id"]]


async def test_bad_input_gets_clean_4xx(quiet_remote: Remote) -> None:
    base = quiet_remote.base
    phone = await quiet_remote.phone("Mallory")
    async with phone:
        huge = await phone.post(
            f"{base}/api/queue",
            content=b'{"provider": "local", "song_id": "' + b"9" * 100_000 + b'"}',
            headers={"content-type": "application/json"},
        )
        assert huge.status_code == 413
        broken = await phone.post(
            f"{base}/api/queue", content=b'{"provider": ', headers={"content-type": "application/json"}
        )
        assert broken.status_code == 400
        not_json = await phone.post(f"{base}/api/queue", content=b"provider=local")
        assert not_json.status_code == 415
        extra = await phone.post(
            f"{base}/api/queue", json={"provider": "local", "song_id": "1", "path": "/etc/passwd"}
        )
        assert extra.status_code == 422
        unknown = await phone.post(f"{base}/api/queue", json={"provider": "local", "song_id": "no-such-song"})
        assert unknown.status_code == 404
        other = await phone.post(f"{base}/api/queue", json={"provider": "yinsuda", "song_id": "1"})
        assert other.status_code == 404
        action = await phone.post(f"{base}/api/control", json={"action": "format_disk"})
        assert action.status_code == 422
        skip = await phone.post(f"{base}/api/control", json={"action": "skip"})
        assert skip.status_code in (403, 409)
        assert (await phone.get(f"{base}/api/../../etc/passwd")).status_code == 404
        assert (await phone.get(f"{base}/static/../index.html")).status_code == 404
        for error in (huge, broken, unknown):
            assert set(error.json()["message"]) == {"zh", "en"}
    assert quiet_remote.session.upcoming == ()


async def test_a_flood_from_one_client_gets_429_and_the_room_still_answers(frozen_remote: Remote) -> None:
    base = frozen_remote.base
    flooder, guest = await frozen_remote.phone("Flood"), await frozen_remote.phone("Calm")
    async with flooder, guest:
        credential = flooder.headers["authorization"].encode()
        request = b"GET /api/queue HTTP/1.1\r\nHost: x\r\nAuthorization: " + credential + b"\r\n\r\n"
        codes = await raw_requests(base, request, 1000)
        limit = frozen_remote.room.limits.requests.count
        assert codes.count(200) == limit and codes.count(429) == 1000 - limit
        limited = await flooder.get(f"{base}/api/queue")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert (await guest.get(f"{base}/api/queue")).status_code == 200


async def test_song_limit_per_singer(quiet_remote: Remote) -> None:
    base = quiet_remote.base
    phone = await quiet_remote.phone("Greedy")
    async with phone:
        song_id = await _song_id(phone, quiet_remote, "mlh")
        codes = []
        for _ in range(8):
            r = await phone.post(f"{base}/api/queue", json={"provider": "local", "song_id": song_id})
            codes.append(r.status_code)
        assert codes == [201] * 6 + [429] * 2
        assert "6" in r.json()["message"]["en"]
    assert len(quiet_remote.session.upcoming) == 6


async def test_three_singers_in_a_burst_come_out_in_fair_order(quiet_remote: Remote) -> None:
    base = quiet_remote.base
    phones = {name: await quiet_remote.phone(name) for name in ("A", "B", "C")}
    try:
        song_id = await _song_id(phones["A"], quiet_remote, "mlh")

        async def queue(name: str) -> None:
            for _ in range(3):
                r = await phones[name].post(
                    f"{base}/api/queue", json={"provider": "local", "song_id": song_id}
                )
                assert r.status_code == 201, r.text

        # A sends all three first: with first-come order A would sing three in a row.
        await queue("A")
        await asyncio.gather(queue("B"), queue("C"))
        singers = [
            str(quiet_remote.session.singers.singer_of(e.entry_id)) for e in quiet_remote.session.upcoming
        ]
        assert singers[0] == "A"
        for start in range(0, 9, 3):
            assert sorted(singers[start : start + 3]) == ["A", "B", "C"], singers
        state = (await phones["B"].get(f"{base}/api/queue")).json()
        assert [e["singer"] for e in state["queue"]] == singers
        assert state["queue"][0]["starts_in_ms"] == 0
        assert state["queue"][1]["starts_in_ms"] > 0
    finally:
        for phone in phones.values():
            await phone.aclose()


async def test_browse_tags_and_their_songs(quiet_remote: Remote) -> None:
    base = quiet_remote.base
    phone = await quiet_remote.phone("Browser")
    async with phone:
        assert (await phone.get(f"{base}/api/providers")).json() == {"providers": ["local"]}
        groups = (await phone.get(f"{base}/api/tags", params={"provider": "local"})).json()["groups"]
        tags = [tag for group in groups for tag in group["tags"]]
        assert tags, groups
        songs = (await phone.get(f"{base}/api/tags/{tags[0]['id']}", params={"provider": "local"})).json()
        assert songs["items"] and {"provider", "id", "title", "singers", "duration_ms"} == set(
            songs["items"][0]
        )
        # A song seen while browsing can be queued straight away.
        added = await phone.post(
            f"{base}/api/queue", json={"provider": "local", "song_id": songs["items"][0]["id"]}
        )
        assert added.status_code == 201
        assert (await phone.get(f"{base}/api/tags", params={"provider": "zego"})).status_code == 404


async def test_the_song_plays_on_through_abuse(remote: Remote) -> None:
    """Floods, junk and oversized bodies while a song plays: 4xx answers, the same song on."""
    session, base = remote.session, remote.base
    changed = asyncio.Event()
    session.subscribe(lambda _: changed.set())
    session.enqueue((await session.providers["local"].search("mlh")).items[0])
    while session.state is not PlayerState.PLAYING:
        changed.clear()
        await asyncio.wait_for(changed.wait(), 20)
    playing = session.now_playing
    assert playing is not None
    started_ms = session.position_ms()
    phone = await remote.phone("Mallory")
    async with phone:
        credential = phone.headers["authorization"].encode()
        junk = [
            b"POST /api/queue HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + credential
            + b"\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{not json",
            b"GET /api/search?q="
            + b"x" * 200
            + b" HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + credential
            + b"\r\n\r\n",
            b"DELETE /api/queue/999999 HTTP/1.1\r\nHost: x\r\nAuthorization: " + credential + b"\r\n\r\n",
        ]
        codes = []
        for request in junk:
            codes += await raw_requests(base, request, 30, connections=3)
        assert set(codes) <= {400, 404, 422, 429}, set(codes)
        huge = await phone.post(
            f"{base}/api/cheer",
            content=b"{" + b" " * 1_000_000 + b"}",
            headers={"content-type": "application/json"},
        )
        assert huge.status_code in (413, 429)
    # Wait for the engine's next position report: the song is still on and moving.
    while session.position_ms() <= started_ms:
        changed.clear()
        await asyncio.wait_for(changed.wait(), 10)
    assert session.now_playing is playing and session.state is PlayerState.PLAYING
