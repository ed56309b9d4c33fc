"""Phones in a real Chromium against the app's own services, window and remote server.

The desktop window (offscreen Qt, qasync loop per test) and the remote share one
KaraokeSession; Chromium runs on its own thread (tests/browser.py) and the test awaits
it, so the loop keeps serving the phones meanwhile. Autoplay is off: a queued song stays
in the queue where both the window and the phones can be checked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.services import AppServices
from ktvdesk.ui.main_window import MainWindow
from tests.browser import BrowserThread, screenshot_dir
from tests.ui.conftest import make_services, run, until

_available, _reason = probe_vlc()


@pytest.fixture
def desk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    if not _available:
        pytest.fail(f"libVLC is needed: {_reason}")
    services = make_services(tmp_path, monkeypatch, qloop)
    run(qloop, services.start())
    assert services.session is not None
    services.session.autoplay = False
    services.open_remote(host="127.0.0.1", port=0, url_file=tmp_path / "url.txt", kiosk=False)
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win  # each scenario serves inside its own run: `_serving`
    run(qloop, services.aclose())


def _serving(qloop: asyncio.AbstractEventLoop, services: AppServices, scenario: Any) -> None:
    """Serve the phones only while the loop runs: uvicorn runs in a spawned process of its
    own (ktvdesk/remote/child.py), but every session call it sends over its channel is
    answered by the room on this loop, and Qt must not step its tasks between runs
    (tests/ui/conftest.py `run`)."""

    async def body() -> None:
        assert services.remote is not None
        await services.remote.start()
        await scenario()

    run(qloop, body(), then_close=services)


def _room_url(services: AppServices) -> str:
    assert services.remote is not None and services.remote.url_file is not None
    return services.remote.url_file.read_text().strip()


async def _join(browser: BrowserThread, url: str, name: str, locale: str = "zh-CN") -> Any:
    page = await browser.new_page(url, locale=locale)

    def sign_in() -> None:
        page.fill("#join-name", name)
        page.click("#join-btn")
        page.wait_for_selector("#app:not([hidden])")
        assert "t=" not in page.url  # the token left the address bar

    await browser.run(sign_in)
    return page


async def _search(browser: BrowserThread, page: Any, query: str) -> None:
    def search() -> None:
        page.fill("#search-q", query)
        page.press("#search-q", "Enter")
        page.wait_for_selector("#results li.result")

    await browser.run(search)


def _shoot(page: Any, name: str) -> None:
    target = screenshot_dir()
    if target is not None:
        page.screenshot(path=str(target / name))


def test_queue_from_a_phone_reaches_the_window_and_another_phone(
    desk: MainWindow, browser: BrowserThread, qloop: asyncio.AbstractEventLoop
) -> None:
    services, session = desk.services, desk.session
    assert session is not None

    async def scenario() -> None:
        url = _room_url(services)
        lin = await _join(browser, url, "小林")
        ming = await _join(browser, url, "Ming", locale="en-US")
        await _search(browser, lin, "mlh")

        def add_jasmine() -> None:
            row = lin.locator("#results li.result", has_text="茉莉花").first
            _shoot(lin, "remote-search-zh.png")
            row.locator("button.add").click()

        await browser.run(add_jasmine)
        # The desktop window's queue shows it, with the singer.
        panel = desk.queue_panel
        await until(lambda: panel.model.rowCount() == 1, desk.bridge.queueChanged)
        (entry,) = session.upcoming
        assert entry.item.title == "茉莉花" and session.singers.singer_of(entry.entry_id) == "小林"
        assert "茉莉花" in panel.model.index(0).data() and "小林" in panel.model.index(0).data()

        def second_phone_sees_it() -> str:
            ming.click("button[data-tab=queue]")
            row = ming.wait_for_selector("#queue li.entry:has-text('茉莉花')")
            _shoot(ming, "remote-queue-en.png")
            return str(row.inner_text())

        text = await browser.run(second_phone_sees_it)  # pushed over the WebSocket: no reload
        assert "小林" in text and "Remove" not in text  # not Ming's song: no remove button

        def own_song_has_remove() -> None:
            lin.click("button[data-tab=queue]")
            lin.wait_for_selector("#queue li.entry.mine button.remove")
            _shoot(lin, "remote-queue-zh.png")

        await browser.run(own_song_has_remove)

        # The host starts the song: the now-playing card on the phones follows by itself.
        await session.play()

        def now_playing_card() -> str:
            ming.wait_for_selector("#now-singer:has-text('小林')")
            _shoot(ming, "remote-now-playing-en.png")
            return str(ming.inner_text("#now-song"))

        assert "茉莉花" in await browser.run(now_playing_card)

    _serving(qloop, services, scenario)


def test_old_token_and_rate_limit_in_the_page(
    desk: MainWindow, browser: BrowserThread, qloop: asyncio.AbstractEventLoop
) -> None:
    services, session = desk.services, desk.session
    assert session is not None and services.remote is not None

    async def scenario() -> None:
        old_url = _room_url(services)
        guest = await _join(browser, old_url, "Greedy", locale="en-US")
        await _search(browser, guest, "mlh")

        def add_seven() -> str:
            button = guest.locator("#results li.result", has_text="茉莉花").first.locator("button.add")
            for _ in range(7):
                with guest.expect_response("**/api/queue") as response:
                    button.click()
                response.value.finished()
            guest.wait_for_selector("#notice:not([hidden])")
            text = str(guest.inner_text("#notice"))
            _shoot(guest, "remote-rate-limit-en.png")
            return text

        notice = await browser.run(add_seven)
        assert "at most 6 songs a minute" in notice
        assert len(session.upcoming) == 6

        assert services.remote is not None
        services.remote.room.reset()  # the host's "new guests"
        late = await browser.new_page(old_url, locale="en-US")

        def old_code_is_refused() -> None:
            late.fill("#join-name", "Late")
            late.click("#join-btn")
            late.wait_for_selector("#expired:not([hidden])")
            # The phone that was in before is out too: its live connection was closed and
            # signing it in again was refused, without the guest touching anything.
            guest.wait_for_selector("#expired:not([hidden])")

        await browser.run(old_code_is_refused)
        assert len(session.upcoming) == 6

    _serving(qloop, services, scenario)


def test_charts_and_starring_a_song_from_the_phone(
    desk: MainWindow, browser: BrowserThread, qloop: asyncio.AbstractEventLoop
) -> None:
    services = desk.services
    assert services.user_data is not None, "the app's user database did not open"
    user_data = services.user_data

    async def scenario() -> None:
        phone = await _join(browser, _room_url(services), "小林")
        await _search(browser, phone, "mlh")

        def star_jasmine() -> str:
            row = phone.locator("#results li.result", has_text="茉莉花").first
            star = row.locator("button.fav")
            assert star.get_attribute("aria-pressed") == "false" and star.inner_text() == "☆ 收藏"
            with phone.expect_response("**/api/favorites") as response:
                star.click()
            assert response.value.status == 201
            phone.wait_for_selector("#notice:not([hidden])")
            phone.wait_for_selector("#results button.fav.on[aria-pressed=true]")
            assert star.inner_text() == "★ 已收藏"
            return str(phone.inner_text("#notice"))

        assert "茉莉花" in await browser.run(star_jasmine)
        # The host's favourites, in the database (written on its own thread).
        keys = await user_data.run(lambda db: db.favorites.keys())
        assert any(key.startswith("local:") for key in keys) and len(keys) == 1

        def charts_tab() -> tuple[int, str]:
            phone.click("button[data-tab=charts]")
            phone.wait_for_selector("#charts li.result")
            favourite = phone.wait_for_selector("#favorites li.result:has-text('茉莉花')")
            _shoot(phone, "remote-charts-zh.png")
            return phone.locator("#charts li.result").count(), str(favourite.inner_text())

        count, favourite = await browser.run(charts_tab)
        assert count > 0 and "茉莉花" in favourite

        def unstar_jasmine() -> tuple[int, str, str]:
            star = phone.locator("#favorites li.result", has_text="茉莉花").locator("button.fav.on")
            with phone.expect_response("**/api/favorites/local/*") as response:
                star.click()
            assert response.value.request.method == "DELETE"
            # The list is read again: the host's favourites are empty, every star is off.
            phone.wait_for_selector("#favorites li.muted")
            phone.wait_for_selector("#notice:has-text('已取消收藏')")
            stars_on = phone.locator("button.fav.on").count()
            return response.value.status, str(phone.inner_text("#notice")), str(stars_on)

        status, notice, stars_on = await browser.run(unstar_jasmine)
        assert status == 200 and "茉莉花" in notice and stars_on == "0"
        assert await user_data.run(lambda db: db.favorites.keys()) == set()

    _serving(qloop, services, scenario)
