"""The clouds' accounts in the window: QQ Music login, Yinsuda membership, what a song is.

`account_buttons(services, parent)` gives the nav rail one button per enabled cloud that
has an account to show; `cloud_note(name)` is the line the provider switcher shows for a
cloud whose songs are not what a user would expect (a Yinsuda song is its accompaniment
segment).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ktvdesk.catalog.xiaowei.favorites_sync import FavoriteStore, XiaoweiFavoritesSync
from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.services import AppServices, FavoritesHook
from ktvdesk.storage.service import ServiceFavorites
from ktvdesk.tasks import TaskRegistry
from ktvdesk.ui.i18n import CONTEXT, tr

if TYPE_CHECKING:  # the payload models cost ~80 ms to build: only a membership box needs them
    from ktvdesk.catalog.yinsuda import payloads as p

CLOUD_NOTES = {
    "yinsuda": QT_TRANSLATE_NOOP(
        "QCoreApplication",
        "Yinsuda songs play their accompaniment segment (the part from SegmentBegin to SegmentEnd, "
        "about half a minute, made for 抢唱); the whole song needs Tencent's native SDK with a PlayToken.",
    ),
}


def cloud_note(name: str) -> str:
    note = CLOUD_NOTES.get(name)
    return QCoreApplication.translate(CONTEXT, str(note)) if note else ""


def account_buttons(services: AppServices, parent: QWidget) -> list[QPushButton]:
    """One button per enabled cloud with an account: it opens that cloud's account dialog."""
    buttons: list[QPushButton] = []
    xiaowei = services.providers.get("xiaowei")
    if xiaowei is not None:
        button = QPushButton(tr("QQ Music account…"), parent)
        button.setObjectName("xiaoweiAccountButton")
        button.clicked.connect(lambda: show_xiaowei_login(services, parent))
        buttons.append(button)
    yinsuda = services.providers.get("yinsuda")
    if yinsuda is not None:
        button = QPushButton(tr("Yinsuda membership…"), parent)
        button.setObjectName("yinsudaAccountButton")
        button.clicked.connect(lambda: YinsudaAccountDialog(yinsuda, services.language, parent).show())  # type: ignore[arg-type]
        buttons.append(button)
    return buttons


def show_xiaowei_login(services: AppServices, parent: QWidget) -> QDialog:
    """The QQ Music QR login (desktop window and the kiosk's admin panel)."""
    from ktvdesk.ui.xiaowei_login import QrLoginDialog

    dialog = QrLoginDialog(services.providers["xiaowei"], language=services.language, parent=parent)  # type: ignore[arg-type]
    # Logged in: the user's QQ Music favourites join ours (and ours theirs).
    dialog.loggedIn.connect(lambda: _spawn(services, favorites_sync(services).pull(), "xiaowei-favorites"))
    dialog.show()
    return dialog


_syncs: dict[int, XiaoweiFavoritesSync] = {}


def favorites_sync(services: AppServices) -> XiaoweiFavoritesSync:
    """The one favourites sync of this app (its memory of the cloud's last answer)."""
    provider: object = services.providers["xiaowei"]
    sync = _syncs.get(id(services))
    # A sync is one provider's: an id can be reused by later services (tests), and a
    # provider replaced.
    if sync is None or sync.cloud is not provider:
        sync = XiaoweiFavoritesSync(provider, _favorite_store(services))  # type: ignore[arg-type]
        _syncs.clear()  # one app per process; a test's earlier services are gone
        _syncs[id(services)] = sync
    return sync


def _favorite_store(services: AppServices) -> FavoriteStore:
    """The user database's favourites through its writer thread; without a database, the
    favourites kept for this run (in memory: nothing to keep off the GUI thread)."""
    if services.user_data is not None:
        return ServiceFavorites(services.user_data)
    return _RunFavorites(services.favorites)


class _RunFavorites:
    def __init__(self, hook: FavoritesHook) -> None:
        self._hook = hook

    async def add(self, song: Song) -> bool:
        return self._hook.add(song)

    async def remove(self, key: str) -> bool:
        return self._hook.remove(key)

    async def keys(self) -> set[str]:
        return self._hook.keys()


def favorite_changed(services: AppServices, song: Song, favorite: bool) -> None:
    """A QQ Music song (un)favourited in the window: the cloud hears of it too."""
    if song.provider == "xiaowei" and "xiaowei" in services.providers:
        _spawn(services, favorites_sync(services).set(song, favorite), "xiaowei-favorite")


def _spawn(services: AppServices, coro: Coroutine[Any, Any, object], name: str) -> None:
    try:
        services.tasks.spawn(coro, name=name)
    except RuntimeError:  # shutting down, or no loop: the next pull reconciles
        coro.close()


class MembershipProvider(Protocol):
    """What the Yinsuda dialog needs (`YinsudaProvider.api`)."""

    async def vip_user_info(self, r: p.DescribeVipUserInfoRequest) -> p.DescribeVipUserInfoResponse: ...

    async def user_info(self, r: p.DescribeUserInfoRequest) -> p.DescribeUserInfoResponse: ...


class _HasApi(Protocol):
    @property
    def api(self) -> MembershipProvider: ...


class YinsudaAccountDialog(QDialog):
    """DescribeVipUserInfo (monthly membership) and DescribeUserInfo (live membership)."""

    loaded = Signal()

    def __init__(self, provider: _HasApi, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("yinsudaAccountDialog")
        self.setWindowTitle(tr("Yinsuda membership"))
        self.provider = provider
        self.language = language
        self._tasks = TaskRegistry()
        layout = QVBoxLayout(self)
        self.note = QLabel(cloud_note("yinsuda"))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.body = QLabel(tr("Loading…"))
        self.body.setObjectName("yinsudaMembership")
        self.body.setWordWrap(True)
        layout.addWidget(self.body)
        self._spawn(self.load())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            self._tasks.spawn(coro, name="yinsuda-membership")
        except RuntimeError:  # no running loop (a test without one): nothing to load
            coro.close()

    async def load(self) -> None:
        from ktvdesk.catalog.yinsuda import payloads as p

        api = self.provider.api
        try:
            vip, user = await asyncio.gather(
                api.vip_user_info(p.DescribeVipUserInfoRequest()), api.user_info(p.DescribeUserInfoRequest())
            )
        except KtvError as exc:
            self.body.setText(exc.message(self.language))
            self.loaded.emit()
            return
        self.body.setText("\n".join(membership_lines(vip, user)))
        self.loaded.emit()

    async def aclose(self) -> None:
        await self._tasks.aclose()


def membership_lines(vip: p.DescribeVipUserInfoResponse, user: p.DescribeUserInfoResponse) -> list[str]:
    if vip.Status == 1 and vip.IsVip:
        lines = [tr("Monthly member until {0}").format(vip.EndTime or "—")]
    elif vip.Status == 2:
        lines = [tr("Monthly membership ended on {0}").format(vip.EndTime or "—")]
    else:
        lines = [tr("Not a monthly member")]
    live = user.UserInfo.LiveVipUserInfo if user.UserInfo is not None else None
    if live is not None and live.LiveVipStatus == "Valid":
        lines.append(tr("Live-streaming member until {0}").format(live.LiveVipEndTime or "—"))
    elif live is not None:
        lines.append(tr("Live-streaming membership ended on {0}").format(live.LiveVipEndTime or "—"))
    else:
        lines.append(tr("Not a live-streaming member"))
    return lines
