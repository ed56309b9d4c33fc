"""The clouds' accounts in the window: the buttons, Yinsuda's membership, what a song is.

Real parts: cloudsim over loopback, the real `YinsudaProvider`, Qt offscreen, a qasync loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.catalog.yinsuda.settings import YinsudaSettings
from ktvdesk.cloudsim.server import SimHandle, start_in_thread
from ktvdesk.services import AppServices
from ktvdesk.ui.cloud_accounts import YinsudaAccountDialog
from ktvdesk.ui.main_window import MainWindow
from tests.integration.yinsuda import vendor_actions as vendor
from tests.ui.conftest import until


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    with start_in_thread(catalog_size=20, demo_dir=None) as handle:
        yield handle


@pytest.fixture
def yinsuda(sim: SimHandle, qloop: asyncio.AbstractEventLoop) -> Iterator[YinsudaProvider]:
    settings = YinsudaSettings.model_validate(
        {"secret_id": sim.config.secret_id, "secret_key": sim.config.secret_key, "app_name": "ui",
         "user_id": "ui-member", "endpoint": sim.base_url}
    )  # fmt: skip
    provider = YinsudaProvider(settings, retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.05))
    yield provider
    qloop.run_until_complete(provider.aclose())


def test_the_window_offers_the_account_and_says_what_a_yinsuda_song_is(
    qtbot: QtBot, services: AppServices, yinsuda: YinsudaProvider
) -> None:
    services.providers["yinsuda"] = yinsuda
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.findChild(QPushButton, "yinsudaAccountButton") is not None
    assert window.findChild(QPushButton, "xiaoweiAccountButton") is None  # not enabled here
    model = window.provider_box.model()
    assert isinstance(model, QStandardItemModel)
    row = window.provider_box.findData("yinsuda")
    note = model.item(row).toolTip()
    assert "accompaniment segment" in note and "PlayToken" in note


def test_yinsuda_membership_is_shown_from_the_service(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, yinsuda: YinsudaProvider
) -> None:
    async def scenario() -> None:
        dialog = YinsudaAccountDialog(yinsuda)
        qtbot.addWidget(dialog)
        await until(lambda: dialog.body.text() != "Loading…", dialog.loaded)
        assert "Not a monthly member" in dialog.body.text()
        assert "Not a live-streaming member" in dialog.body.text()
        await yinsuda.api.call(
            vendor.RechargeVipRequest(RoomId="1", VipDays=31, AnchorId="a"), vendor.RechargeVipResponse
        )
        await yinsuda.recharge_live_vip(31, room_id="r1")
        again = YinsudaAccountDialog(yinsuda)
        qtbot.addWidget(again)
        await until(lambda: again.body.text() != "Loading…", again.loaded)
        assert "Monthly member until 20" in again.body.text()
        assert "Live-streaming member until 20" in again.body.text()
        await dialog.aclose()
        await again.aclose()

    qloop.run_until_complete(scenario())
