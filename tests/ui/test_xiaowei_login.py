"""The QQ Music QR login in the window, driven by pytest-qt against cloudsim.

Real parts: cloudsim over loopback, the real `XiaoweiProvider`, the dialog on a qasync
loop. The test plays the user's phone: it authorises the QR session through cloudsim's
admin API (`POST /_admin/xiaowei/qr/{session}?state=1`), as scanning and confirming would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.xiaowei.api import QrKind
from ktvdesk.catalog.xiaowei.login import LoginRecord
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.cloudsim.server import SimHandle, start_in_thread
from ktvdesk.storage.service import THREAD_NAME
from ktvdesk.ui.cloud_accounts import favorite_changed, favorites_sync
from ktvdesk.ui.xiaowei_login import QR_PX, QrLoginDialog, load_record
from tests.integration.xiaowei.conftest import favorite_threads, log_in
from tests.ui.conftest import make_services, run, until


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    with start_in_thread(catalog_size=50, demo_dir=None) as handle:
        yield handle


@pytest.fixture
def provider(sim: SimHandle, qloop: asyncio.AbstractEventLoop) -> Iterator[XiaoweiProvider]:
    settings = load_xiaowei_settings(
        {}, endpoint=sim.base_url, use_keyring=False, device_id="SN-UI-1", client_ip="127.0.0.1",
        product_id="ktvdesk-test", user_id="singer-ui",
    )  # fmt: skip
    made = XiaoweiProvider(settings, retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.05))
    yield made
    qloop.run_until_complete(made.aclose())


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def dark_fraction(dialog: QrLoginDialog) -> float:
    image: QImage = dialog.code.pixmap().toImage()
    dark = sum(1 for y in range(0, image.height(), 4) for x in range(0, image.width(), 4)
               if image.pixelColor(x, y).lightness() < 100)  # fmt: skip
    return dark / max(1, (image.height() // 4) * (image.width() // 4))


async def authorise(sim: SimHandle, session: str, state: int = 1) -> None:
    async with httpx.AsyncClient() as http:
        reply = await http.post(f"{sim.base_url}/_admin/xiaowei/qr/{session}", params={"state": state})
        assert reply.status_code == 200


def test_scan_authorise_show_account_then_log_out(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimHandle, provider: XiaoweiProvider, tmp_path: Path
) -> None:
    clock = Clock()
    record_file = tmp_path / "login.json"
    dialog = QrLoginDialog(provider, poll_ms=20, record_file=record_file, now=clock)
    qtbot.addWidget(dialog)
    dialog.show()

    async def scenario() -> None:
        dialog.login_button.click()
        await until(
            lambda: dialog.login is not None and not dialog.code.pixmap().isNull(), dialog.stateChanged
        )
        assert dialog.login is not None
        # The QR code is large and is a code (dark modules on light), with its countdown.
        assert min(dialog.code.pixmap().width(), dialog.code.pixmap().height()) >= QR_PX - 1
        assert 0.2 < dark_fraction(dialog) < 0.8
        assert (
            dialog.countdown.text().startswith("The code expires in 4:") or "5:00" in dialog.countdown.text()
        )
        polls_before = sim.state.xiaowei.calls.get("register_info.get_register_status", 0)
        await until(
            lambda: sim.state.xiaowei.calls.get("register_info.get_register_status", 0) > polls_before + 1,
            dialog.polled,
        )
        assert dialog.status.text().startswith("Scan the code")
        await authorise(sim, dialog.login.session)
        await until(lambda: dialog.status.text() == "Logged in.", dialog.stateChanged)
        assert (
            "KTV 用户" in dialog.account.text()
            and "Green diamond member until 2027-01-01" in dialog.account.text()
        )
        assert dialog.code.pixmap().isNull() and dialog.countdown.text() == ""
        record = load_record(record_file)
        assert record is not None and record.kind is QrKind.QQ_MUSIC
        assert record.expires_at - record.authorised_at == timedelta(days=90)
        assert "Authorised session valid until" in dialog.account.text()  # its first hour
        assert not dialog.polling  # decided: nothing polls any more
        dialog.logout_button.click()
        await until(lambda: dialog.status.text() == "Logged out.", dialog.stateChanged)
        assert sim.state.xiaowei.calls.get("register_info.release_qr_authorization") == 1
        assert load_record(record_file) is None and dialog.account.text() == ""

    try:
        qloop.run_until_complete(scenario())
    finally:
        qloop.run_until_complete(dialog.aclose())


def test_an_unscanned_code_expires_with_its_countdown(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimHandle, provider: XiaoweiProvider, tmp_path: Path
) -> None:
    clock = Clock()
    dialog = QrLoginDialog(provider, poll_ms=20, record_file=tmp_path / "login.json", now=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind_box.setCurrentIndex(1)  # WeChat: the service sends the picture itself

    async def scenario() -> None:
        dialog.login_button.click()
        await until(lambda: dialog.login is not None, dialog.stateChanged)
        assert not dialog.code.pixmap().isNull()
        clock.offset = timedelta(minutes=5, seconds=1)  # the 5-minute session is over
        await until(lambda: "expired" in dialog.status.text(), dialog.stateChanged, dialog.polled)
        assert dialog.code.pixmap().isNull() and dialog.login is None

    try:
        qloop.run_until_complete(scenario())
    finally:
        qloop.run_until_complete(dialog.aclose())


def test_a_cancelled_scan_and_closing_the_dialog_stop_polling(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimHandle, provider: XiaoweiProvider, tmp_path: Path
) -> None:
    dialog = QrLoginDialog(provider, poll_ms=20, record_file=tmp_path / "login.json")
    qtbot.addWidget(dialog)
    dialog.show()

    async def scenario() -> None:
        dialog.login_button.click()
        await until(lambda: dialog.login is not None, dialog.stateChanged)
        assert dialog.login is not None
        await authorise(sim, dialog.login.session, state=3)
        await until(lambda: "cancelled" in dialog.status.text(), dialog.stateChanged)
        dialog.login_button.click()
        await until(lambda: dialog.login is not None, dialog.stateChanged)
        assert dialog.polling
        dialog.close()
        assert not dialog.polling and dialog.login is None

    try:
        qloop.run_until_complete(scenario())
    finally:
        qloop.run_until_complete(dialog.aclose())


def test_a_login_near_the_end_of_its_lifetime_asks_for_a_new_one(
    qtbot: QtBot, provider: XiaoweiProvider, tmp_path: Path
) -> None:
    record_file = tmp_path / "login.json"
    from ktvdesk.ui.xiaowei_login import save_record

    save_record(LoginRecord(QrKind.WECHAT, datetime.now(UTC) - timedelta(days=27)), record_file)
    dialog = QrLoginDialog(provider, record_file=record_file)
    qtbot.addWidget(dialog)
    assert "runs out in 3 day(s)" in dialog.account.text()
    save_record(LoginRecord(QrKind.QQ, datetime.now(UTC) - timedelta(days=27)), record_file)
    fresh = QrLoginDialog(provider, record_file=record_file)
    qtbot.addWidget(fresh)
    assert "runs out" not in fresh.account.text() and "Login valid until" in fresh.account.text()


def test_a_star_in_the_window_reaches_qq_music_through_the_user_database(
    qloop: asyncio.AbstractEventLoop,
    sim: SimHandle,
    provider: XiaoweiProvider,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window's ★ on a QQ Music song (`favorite_changed`) and the pull after a login
    (`favorites_sync`) use the app's user database through its writer thread."""
    services = make_services(tmp_path, monkeypatch, qloop)
    services.providers["xiaowei"] = provider
    assert services.user_data is not None
    user_data = services.user_data
    threads = favorite_threads(user_data)

    def stored() -> set[str]:
        return user_data.run_blocking(lambda db: db.favorites.keys())

    def in_cloud() -> set[str]:
        (account,) = [a for a in sim.state.xiaowei.accounts.values() if a.logged_in]
        return {f"xiaowei:{i}" for i in account.favorites}

    async def sent() -> None:
        """The ★ is sent by a task of the app's: wait for it."""
        (task,) = [t for t in asyncio.all_tasks() if t.get_name() == "xiaowei-favorite"]
        await task

    async def scenario() -> None:
        await log_in(provider, sim)
        ids = [str(sim.state.xiaowei.song_id(sim.state.catalog.songs[i])) for i in (3, 4)]
        song, other = (detail.song for detail in await provider.details(ids))
        favorite_changed(services, song, True)
        await sent()
        assert song.key in in_cloud() and song.key in stored()
        favorite_changed(services, song, False)
        await sent()
        assert song.key not in in_cloud() and song.key not in stored()
        await provider.set_favorite(other.id, True)  # starred on the phone
        report = await favorites_sync(services).pull()
        assert report.added_here == 1 and other.key in stored()
        assert threads and all(name.startswith(THREAD_NAME) for name in threads), threads

    run(qloop, scenario(), then_close=services)
