"""The QQ Music QR login from the kiosk's admin panel, driven by pytest-qt against cloudsim.

Real parts: the app's services with the in-process cloudsim (loopback), the real
`XiaoweiProvider`, the real `KioskWindow` and its admin panel offscreen. The test plays
the staff member's phone: it authorises the QR session through cloudsim's admin API.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.ui.kiosk.window import KioskWindow
from ktvdesk.ui.xiaowei_login import QrLoginDialog
from tests.ui.conftest import make_services, run, until
from tests.unit.kiosk.conftest import FakeClock


def test_the_admin_logs_the_venue_qq_music_account_in_from_the_kiosk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(tmp_path, monkeypatch, qloop, demo_cloud=True, provider="yinsuda")
    sim = services.demo_cloud
    settings = load_xiaowei_settings(
        {}, endpoint=sim.base_url, use_keyring=False, device_id="SN-KIOSK-1", client_ip="127.0.0.1",
        product_id="ktvdesk-test", user_id="kiosk",
    )  # fmt: skip
    services.providers["xiaowei"] = XiaoweiProvider(settings, retry=RetryPolicy(base_delay_s=0.01))
    win = KioskWindow(services, db=services.user_db, clock=FakeClock(), pin_hash=lambda: None)
    qtbot.addWidget(win)
    dialogs: list[QrLoginDialog] = []

    async def scenario() -> None:
        button = win.xiaowei_login_button
        assert win.admin_panel.isAncestorOf(button)  # offered in the admin panel
        win.admin.unlock()
        win.admin_panel.open()
        button.click()
        [dialog] = win.findChildren(QrLoginDialog)
        assert dialog.isVisible()
        dialogs.append(dialog)
        dialog.login_button.click()
        await until(
            lambda: dialog.login is not None and not dialog.code.pixmap().isNull(), dialog.stateChanged
        )
        assert dialog.login is not None
        async with httpx.AsyncClient() as http:
            reply = await http.post(
                f"{sim.base_url}/_admin/xiaowei/qr/{dialog.login.session}", params={"state": 1}
            )
            assert reply.status_code == 200
        await until(lambda: dialog.status.text() == "Logged in.", dialog.stateChanged)
        assert "KTV 用户" in dialog.account.text()
        # The login also brings the account's favourites in: let that finish in this run.
        await asyncio.gather(*(t for t in asyncio.all_tasks() if t.get_name() == "xiaowei-favorites"))
        assert sim.state.xiaowei.calls.get("register_info.get_register_status", 0) >= 1
        win.relock()  # the staff leave: the account dialog goes with the admin panel
        assert not dialog.isVisible() and not win.admin_panel.isVisible()

    try:
        run(qloop, scenario())
    finally:
        for dialog in dialogs:
            run(qloop, dialog.aclose())
        win.release()
        win.exit_allowed = True
        win.close()
        run(qloop, services.aclose())


def test_no_qq_music_button_without_xiaowei(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(tmp_path, monkeypatch, qloop)
    win = KioskWindow(services, db=services.user_db, clock=FakeClock(), pin_hash=lambda: None)
    qtbot.addWidget(win)
    try:
        assert "xiaowei" not in services.providers
        assert not hasattr(win, "xiaowei_login_button")
    finally:
        win.release()
        win.exit_allowed = True
        win.close()
        run(qloop, services.aclose())
