"""A real cloudsim over loopback and a real `XiaoweiProvider` pointed at it."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime

import pytest

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.clock import SystemClock
from ktvdesk.cloudsim.server import SimHandle, start_in_thread
from ktvdesk.storage.service import UserDataService

URL_TTL_S = 4 * 3600


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    with start_in_thread(catalog_size=1000, url_ttl_s=URL_TTL_S, demo_dir=None) as handle:
        yield handle


class OffsetClock(SystemClock):
    """The system clock moved by `offset_s`: lets a test stand 5 minutes later without waiting."""

    def __init__(self) -> None:
        self.offset_s = 0.0

    def time(self) -> float:
        return time.time() + self.offset_s

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)


@pytest.fixture
def clock() -> OffsetClock:
    return OffsetClock()


@pytest.fixture
async def provider(sim: SimHandle, clock: OffsetClock) -> AsyncIterator[XiaoweiProvider]:
    settings = load_xiaowei_settings(
        {},
        endpoint=sim.base_url,
        use_keyring=False,
        device_id="SN-TEST-0001",
        client_ip="127.0.0.1",
        product_id="ktvdesk-test",
        user_id="singer-1",
    )
    provider = XiaoweiProvider(settings, clock=clock, retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.05))
    yield provider
    await provider.aclose()


async def log_in(provider: XiaoweiProvider, sim: SimHandle) -> None:
    """The app's QR login, with the emulator playing the user's phone."""
    login = await provider.start_qr_login()
    assert sim.state.xiaowei.authorise(login.session)
    await provider.wait_for_login(login, poll_s=0.01)


def favorite_threads(user_data: UserDataService) -> set[str]:
    """The names of the threads that read or write the user database's favourites from now
    on (filled as they do)."""
    threads: set[str] = set()
    favorites = user_data.db.favorites
    for name in ("add", "remove", "keys"):
        real = getattr(favorites, name)

        def recorded(*args: object, _real: Callable[..., object] = real) -> object:
            threads.add(threading.current_thread().name)
            return _real(*args)

        setattr(favorites, name, recorded)
    return threads
