"""A real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for any test.

Playwright's sync API refuses to run inside a running asyncio loop, and the servers under
test (the phone remote, the venue desk) run on the test's loop. So the browser lives on
a thread of its own and tests await it:

    async def test_x(browser: BrowserThread) -> None:
        page = await browser.new_page("http://127.0.0.1:…/")
        await browser.run(lambda: page.fill("#name", "Lin"))

Every Playwright object must only be touched inside `browser.run(...)`. To use the
`browser` fixture, import it into your test folder's conftest.py:

    from tests.browser import browser  # noqa: F401  (the fixture)

`playwright install` is never run: the executable is the distribution's Chromium, and a
missing one fails the test with a message instead of skipping it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

CHROMIUM = os.environ.get("KTVDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}  # a common phone, CSS pixels
SCREENSHOT_DIR_ENV = "KTVDESK_SCREENSHOTS"  # set to a folder: tests save their screenshots there

R = TypeVar("R")


class BrowserThread:
    """One Chromium, owned by one worker thread. Playwright launches it with a fresh
    temporary user-data-dir; every `new_page` is a new browser context, i.e. another
    phone with its own storage and cookies."""

    def __init__(self) -> None:
        if not Path(CHROMIUM).exists():
            pytest.fail(
                f"{CHROMIUM} is missing: run `make setup` (packaging/system-deps.sh installs chromium)"
            )
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="chromium")
        self._playwright: Any = None
        self._browser: Any = None
        self.pages: list[Any] = []

    def _launch(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )

    def start(self) -> None:
        """Blocking: call it from a fixture, before any loop runs."""
        self._pool.submit(self._launch).result()

    async def run(self, call: Callable[[], R]) -> R:
        """Run `call` on the browser's thread; the test's loop keeps serving meanwhile."""
        return await asyncio.wrap_future(self._pool.submit(call))

    async def new_page(self, url: str | None = None, *, locale: str = "zh-CN") -> Any:
        """A new phone (its own context: storage, cookies) with a phone-sized viewport."""

        def open_page() -> Any:
            context = self._browser.new_context(
                viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True, locale=locale
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            if url:
                page.goto(url)
            self.pages.append(page)
            return page

        return await self.run(open_page)

    def close_pages(self) -> None:
        """Close the phones (browser contexts) opened so far: the next test starts with none."""

        def close() -> None:
            for context in {page.context for page in self.pages}:
                context.close()
            self.pages.clear()

        self._pool.submit(close).result()

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def close(self) -> None:
        try:
            self._pool.submit(self._stop).result()
        finally:
            self._pool.shutdown(wait=True)


def screenshot_dir() -> Path | None:
    value = os.environ.get(SCREENSHOT_DIR_ENV)
    if not value:
        return None
    target = Path(value)
    target.mkdir(parents=True, exist_ok=True)
    return target


_shared: list[BrowserThread] = []


@pytest.fixture
def browser(request: pytest.FixtureRequest) -> Iterator[BrowserThread]:
    """Works with pytest-asyncio tests and with the Qt tests' `qloop` alike.

    One Chromium for the whole run (a launch takes over a second), closed when the run
    ends; each test's phones are contexts of their own, closed when the test ends."""
    if not _shared:
        chromium = BrowserThread()
        chromium.start()
        _shared.append(chromium)
        request.config.add_cleanup(lambda: _shared.pop().close())
    try:
        yield _shared[0]
    finally:
        _shared[0].close_pages()
