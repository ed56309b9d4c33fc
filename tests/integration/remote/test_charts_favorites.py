"""Charts and the host's favourites from a phone, over loopback against a real session,
the demo library and a real user database behind its writer thread."""

from __future__ import annotations

import httpx

from ktvdesk.catalog.local import LocalLibraryProvider
from ktvdesk.storage.service import THREAD_NAME, ServiceFavorites, UserDataService
from tests.integration.remote.conftest import Remote


async def _local_song(remote: Remote, phone: httpx.AsyncClient, query: str) -> dict[str, str]:
    found = await phone.get(f"{remote.base}/api/search", params={"q": query, "provider": "local"})
    assert found.status_code == 200, found.text
    song: dict[str, str] = found.json()["results"][0]["items"][0]
    return song


async def test_charts_list_the_most_sung_songs_first(quiet_remote: Remote) -> None:
    library = quiet_remote.session.providers["local"]
    assert isinstance(library, LocalLibraryProvider)
    phone = await quiet_remote.phone("Ann")
    async with phone:
        song = await _local_song(quiet_remote, phone, "送别")
        for _ in range(3):
            library.index.record_play(song["id"])
        charts = await phone.get(f"{quiet_remote.base}/api/charts", params={"provider": "local"})
        assert charts.status_code == 200, charts.text
        items = charts.json()["items"]
        assert items[0]["id"] == song["id"] and len(items) > 1
        assert set(items[0]) == {"provider", "id", "title", "singers", "duration_ms"}  # no paths, no URLs
        # A song from the charts is queued without another catalog lookup.
        added = await phone.post(
            f"{quiet_remote.base}/api/queue", json={"provider": "local", "song_id": song["id"]}
        )
        assert added.status_code == 201, added.text
        unknown = await phone.get(f"{quiet_remote.base}/api/charts", params={"provider": "nope"})
        assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_provider"


async def test_a_phone_stars_a_song_in_the_hosts_favourites(
    quiet_remote: Remote, user_data: UserDataService
) -> None:
    session = quiet_remote.session
    session.favorites = ServiceFavorites(user_data)
    writers: list[str] = []
    real_add = user_data.db.favorites.add

    def watched_add(song: object) -> bool:  # which thread writes (the real call runs)
        import threading

        writers.append(threading.current_thread().name)
        return real_add(song)  # type: ignore[arg-type]

    user_data.db.favorites.add = watched_add  # type: ignore[method-assign]
    phone = await quiet_remote.phone("Ann")
    async with phone:
        song = await _local_song(quiet_remote, phone, "mlh")
        body = {"provider": "local", "song_id": song["id"]}
        first = await phone.post(f"{quiet_remote.base}/api/favorites", json=body)
        assert first.status_code == 201 and first.json() == {"favorite": True, "added": True}
        again = await phone.post(f"{quiet_remote.base}/api/favorites", json=body)
        assert again.status_code == 200 and again.json()["added"] is False
        listed = await phone.get(f"{quiet_remote.base}/api/favorites")
        assert [s["title"] for s in listed.json()["items"]] == ["茉莉花"]
        missing = await phone.post(
            f"{quiet_remote.base}/api/favorites", json={"provider": "local", "song_id": "999999"}
        )
        assert missing.status_code == 404
        extra = await phone.post(f"{quiet_remote.base}/api/favorites", json={**body, "path": "/etc/passwd"})
        assert extra.status_code == 422
    assert await user_data.run(lambda db: db.favorites.count()) == 1
    assert writers and all(name.startswith(THREAD_NAME) for name in writers)


async def test_without_a_user_database_favourites_say_so(quiet_remote: Remote) -> None:
    phone = await quiet_remote.phone("Ann")
    async with phone:
        song = await _local_song(quiet_remote, phone, "mlh")
        refused = await phone.post(
            f"{quiet_remote.base}/api/favorites", json={"provider": "local", "song_id": song["id"]}
        )
        assert refused.status_code == 503
        assert refused.json()["message"]["en"] == "Favourites are not available right now."
        assert (await phone.get(f"{quiet_remote.base}/api/favorites")).status_code == 503


async def test_a_phone_unstars_a_song(quiet_remote: Remote, user_data: UserDataService) -> None:
    session = quiet_remote.session
    session.favorites = ServiceFavorites(user_data)
    base = quiet_remote.base
    phone = await quiet_remote.phone("Ann")
    async with phone:
        song = await _local_song(quiet_remote, phone, "mlh")
        body = {"provider": "local", "song_id": song["id"]}
        assert (await phone.post(f"{base}/api/favorites", json=body)).status_code == 201
        removed = await phone.delete(f"{base}/api/favorites/local/{song['id']}")
        assert removed.status_code == 200 and removed.json() == {"favorite": False, "removed": True}
        again = await phone.delete(f"{base}/api/favorites/local/{song['id']}")
        assert again.status_code == 200 and again.json()["removed"] is False
        assert (await phone.get(f"{base}/api/favorites")).json()["items"] == []
        unknown = await phone.delete(f"{base}/api/favorites/nope/{song['id']}")
        assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_provider"
        too_long = await phone.delete(f"{base}/api/favorites/local/{'9' * 300}")
        assert too_long.status_code == 422
        async with httpx.AsyncClient() as stranger:
            anonymous = await stranger.delete(f"{base}/api/favorites/local/{song['id']}")
        assert anonymous.status_code == 401
    assert await user_data.run(lambda db: db.favorites.count()) == 0


async def test_favourite_stars_share_one_rate_limit(quiet_remote: Remote, user_data: UserDataService) -> None:
    """Starring and un-starring count together (20 a minute per phone); refused ones
    (an unknown song) do not count."""
    quiet_remote.session.favorites = ServiceFavorites(user_data)
    base = quiet_remote.base
    phone = await quiet_remote.phone("Ann")
    async with phone:
        song = await _local_song(quiet_remote, phone, "mlh")
        body = {"provider": "local", "song_id": song["id"]}
        for _ in range(5):
            missing = await phone.post(
                f"{base}/api/favorites", json={"provider": "local", "song_id": "999999"}
            )
            assert missing.status_code == 404
        codes = []
        for n in range(quiet_remote.room.limits.favorites.count + 1):
            if n % 2:
                r = await phone.delete(f"{base}/api/favorites/local/{song['id']}")
            else:
                r = await phone.post(f"{base}/api/favorites", json=body)
            codes.append(r.status_code)
        assert codes[:-1].count(429) == 0 and codes[-1] == 429
