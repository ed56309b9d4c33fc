"""The desktop's Favourites page follows a phone's ★ at once: the phone stars (and
un-stars) over real loopback HTTP through the remote's process; the session says the
favourites changed, and the page, shown, reads its list again. No refresh by hand."""

from __future__ import annotations

import asyncio

import httpx

from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import run


def test_a_phone_star_shows_in_the_desktop_favourites_at_once(
    desk: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    services = desk.services
    remote = services.remote
    assert remote is not None and services.user_data is not None, "no remote or no user database"
    page = desk.favorites_page

    def shown() -> list[str]:
        return [song.title for song in page.songs.songs]

    async def scenario() -> None:
        await remote.start()
        desk.pages.setCurrentWidget(page)
        await page.settled()
        assert page.isVisible() and shown() == []
        base = remote.base_url.rstrip("/")
        async with httpx.AsyncClient(base_url=base, timeout=10) as phone:
            joined = await phone.post("/api/session", json={"token": remote.room.key.token, "singer": "Ann"})
            phone.headers["authorization"] = f"Bearer {joined.json()['credential']}"
            found = await phone.get("/api/search", params={"q": "mlh", "provider": "local"})
            song = found.json()["results"][0]["items"][0]
            starred = await phone.post("/api/favorites", json={"provider": "local", "song_id": song["id"]})
            assert starred.status_code == 201, starred.text
            # The app told the page before it answered the phone; the page's read is under way.
            await page.settled()
            assert shown() == ["茉莉花"]
            unstarred = await phone.delete(f"/api/favorites/local/{song['id']}")
            assert unstarred.status_code == 200 and unstarred.json() == {"favorite": False, "removed": True}
            await page.settled()
            assert shown() == []

    run(qloop, scenario(), then_close=services)
