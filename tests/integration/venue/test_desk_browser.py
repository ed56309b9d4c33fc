"""The front desk in a real headless Chromium against the real venue server, with two room
terminals (real sessions on libVLC) on the real broker."""

from __future__ import annotations

from typing import Any

from ktvdesk.venue.room import RoomEvent, RoomEventKind
from tests.browser import BrowserThread, screenshot_dir
from tests.integration.venue.conftest import DESK_NAME, DESK_PASSWORD, MakeTerminal, Venue


async def test_desk_sees_rooms_live_opens_one_and_messages_it(
    venue: Venue, make_terminal: MakeTerminal, browser: BrowserThread
) -> None:
    room_a = await make_terminal("A01", venue.url, autoplay=False)
    room_b = await make_terminal("B02", venue.url, autoplay=False)
    room_a.session.enqueue_for((await room_a.provider.search("mlh")).items[0], "Lin")
    room_b.session.enqueue_for((await room_b.provider.search("Amazing Grace")).items[0], "Sam")

    page: Any = await browser.new_page(f"{venue.url}/desk", locale="en-US")

    def log_in() -> None:
        submit_login(page, DESK_PASSWORD)
        page.wait_for_selector('article.room[data-room="A01"]')
        page.wait_for_selector('article.room[data-room="B02"]')

    await browser.run(log_in)

    def card_text(room: str) -> str:
        return str(page.inner_text(f'article.room[data-room="{room}"]'))

    # Both rooms' live state arrives over the bus: each card shows its queue.
    await browser.run(
        lambda: page.wait_for_function(
            """() => ['A01', 'B02'].every(r => {
                const card = document.querySelector(`article.room[data-room="${r}"] .queue`);
                return card && card.textContent.endsWith('1');
            })"""
        )
    )
    assert "online" in await browser.run(lambda: card_text("A01"))

    def open_for_two_minutes() -> None:
        card = 'article.room[data-room="A01"]'
        page.fill(f"{card} .minutes", "2")
        page.click(f"{card} .open")
        page.wait_for_selector(f"{card}.open")

    await browser.run(open_for_two_minutes)
    await room_a.until(lambda: room_a.agent.hours.open)
    assert 60_000 < room_a.agent.time_left_ms() <= 120_000
    assert not room_b.agent.hours.open

    def send_message() -> None:
        card = 'article.room[data-room="A01"]'
        page.fill(f"{card} .message", "Happy birthday, Lin!")
        page.click(f"{card} .send")

    await browser.run(send_message)
    await room_a.until(lambda: RoomEvent(RoomEventKind.MESSAGE, "Happy birthday, Lin!") in room_a.events)
    assert not any(e.kind is RoomEventKind.MESSAGE for e in room_b.events)

    if (folder := screenshot_dir()) is not None:
        await browser.run(lambda: page.set_viewport_size({"width": 1280, "height": 800}))
        await browser.run(lambda: page.screenshot(path=str(folder / "desk_en.png"), full_page=True))

    # The end of the two minutes (the room's clock moved on): the room closes itself and
    # the desk sees it in the room's live state.
    closes_at = room_a.agent.hours.closes_at
    assert closes_at is not None
    room_a.clock.offset = closes_at - room_a.clock()
    room_a.agent.check_time()
    assert room_a.events[-1] == RoomEvent(RoomEventKind.CLOSED)
    assert room_a.session.upcoming == ()
    await browser.run(
        lambda: page.wait_for_function(
            """() => document.querySelector('article.room[data-room="A01"] .queue').textContent.endsWith('0')"""
        )
    )


async def test_desk_refuses_a_wrong_password(venue: Venue, browser: BrowserThread) -> None:
    page: Any = await browser.new_page(f"{venue.url}/desk", locale="en-US")

    def try_wrong() -> str:
        submit_login(page, "not it")
        page.wait_for_function("() => document.querySelector('#login-error').textContent.length > 0")
        return str(page.inner_text("#login-error"))

    assert "Wrong name or password" in await browser.run(try_wrong)
    assert await browser.run(lambda: page.is_hidden("#desk"))


def submit_login(page: Any, password: str) -> None:
    """The desk page's login form, filled in and sent (on the browser's thread)."""
    page.fill("#name", DESK_NAME)
    page.fill("#password", password)
    page.click("#login button[type=submit]")
