"""What only some clouds can do, reached in the window through the capability protocols:
Yinsuda's tag filters (`TagFilters`), Xiaowei's singer / playlist / album search and
playlist categories (`SingerSearch`, `PlaylistSearch`, `PlaylistTags`), and the Available
column's lyrics mark for cloud songs.

Real parts: the app's services on the in-process cloudsim (loopback HTTP), the real
providers, the real `MainWindow` offscreen on a qasync loop.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.cloudsim.server import SimHandle
from ktvdesk.ui.browse_pages import PLAYLIST_KIND
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.song_list import LoadState, SongListPanel
from tests.ui.conftest import make_services, run, until


@pytest.fixture
def window(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    services = make_services(tmp_path, monkeypatch, qloop, demo_cloud=True, provider="yinsuda")
    services.providers["xiaowei"] = xiaowei_on(services.demo_cloud)  # --demo-cloud wires Yinsuda only
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win


def xiaowei_on(sim: SimHandle) -> XiaoweiProvider:
    settings = load_xiaowei_settings(
        {}, endpoint=sim.base_url, use_keyring=False, device_id="SN-UI-2", client_ip="127.0.0.1",
        product_id="ktvdesk-test", user_id="singer-ui",
    )  # fmt: skip
    return XiaoweiProvider(settings, retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.05))


def tree_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    items: list[QTreeWidgetItem] = []
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        assert group is not None
        for c in range(group.childCount()):
            child = group.child(c)
            assert child is not None
            items.append(child)
    return items


def available_texts(panel: SongListPanel) -> list[str]:
    model = panel.table.model()
    return [str(model.index(row, 4).data()) for row in range(model.rowCount())]


async def ready(panel: SongListPanel) -> None:
    await until(lambda: panel.state in (LoadState.READY, LoadState.EMPTY), panel.stateChanged)


def choose_provider(win: MainWindow, name: str) -> None:
    win.provider_box.setCurrentIndex(win.provider_box.findData(name))
    assert win.services.active_provider == name


def test_yinsuda_tags_offer_the_service_filters_and_mark_lyrics(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    sim = win.services.demo_cloud
    page = win.tags_page

    async def scenario() -> None:
        page.loaded_for = win.services.active_provider
        page.refresh()
        assert not page.filter_row.isHidden()  # Yinsuda filters a tag's songs itself
        await until(lambda: page.tree.topLevelItemCount() > 0, page.tree.model().rowsInserted)
        counts = Counter(tag for song in sim.state.catalog.songs for tag in song.tags)
        tag_id = counts.most_common(1)[0][0]
        item = next(
            child for child in tree_items(page.tree) if child.data(0, Qt.ItemDataRole.UserRole) == tag_id
        )
        page._open(item)
        await ready(page.songs)
        truth = sim.state.catalog.by_id
        shown = page.songs.songs
        assert {truth[s.id].has_lyrics for s in shown} == {True, False}, "both kinds on the page"
        for song, text in zip(shown, available_texts(page.songs), strict=True):
            assert ("Lyrics" in text.split(" · ")) == truth[song.id].has_lyrics
            assert "Lyrics?" not in text  # Yinsuda says, through the songs' details

        before = page.songs.requests
        page.with_lyrics.setChecked(True)  # the open tag is listed again, filtered by the service
        await until(
            lambda: page.songs.requests > before and page.songs.state is LoadState.READY,
            page.songs.stateChanged,
        )
        wanted = [s.id for s in sim.state.catalog.by_tag(tag_id) if s.has_lyrics]
        assert [s.id for s in page.songs.songs] == wanted[: len(page.songs.songs)]
        assert page.songs.songs and all(truth[s.id].has_lyrics for s in page.songs.songs)

        choose_provider(win, "local")  # the local library has no such filters
        page.refresh()
        assert page.filter_row.isHidden()

    run(qloop, scenario(), then_close=win.services)


def test_xiaowei_singers_playlists_albums_and_playlist_tags(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    sim = win.services.demo_cloud
    search = win.search_page
    playlists = win.playlists_page

    async def scenario() -> None:
        choose_provider(win, "xiaowei")
        assert not search.kind.isHidden()  # Xiaowei finds singers by name
        singer = sim.state.catalog.songs[0].singers[0]
        search.kind.setCurrentIndex(search.kind.findData("singers"))
        search.box.setText(singer)
        search.search_now()
        await ready(search.results)
        assert search.results.songs and all(singer in s.singers for s in search.results.songs)
        assert not search.singable.isEnabled()  # the singer search takes no filters
        texts = available_texts(search.results)
        assert all("Lyrics?" in text for text in texts)  # Xiaowei lists never say
        tip = search.results.table.model().index(0, 4).data(Qt.ItemDataRole.ToolTipRole)  # ToolTipRole
        assert "does not say whether the song has lyrics" in str(tip)

        playlists.loaded_for = "xiaowei"
        playlists.refresh()
        assert not playlists.source.isHidden() and not playlists.find_box.isHidden()
        await until(lambda: playlists.source.count() > 1, playlists.source.model().rowsInserted)
        playlists.source.setCurrentIndex(1)  # a playlist category
        tag_id = playlists.source.currentData()
        playlists._load_source()
        await until(
            lambda: (
                playlists.lists.count() > 0
                and playlists.lists.item(0).text().startswith(f"标签歌单 {tag_id}-")
            ),
            playlists.lists.model().rowsInserted,
        )

        album = sim.state.catalog.songs[0].album
        playlists.find_box.setText(album)
        playlists.find_kind.setCurrentIndex(playlists.find_kind.findData("album"))
        playlists.find_now()
        await until(
            lambda: playlists.lists.count() > 0 and playlists.lists.item(0).data(PLAYLIST_KIND) == "album",
            playlists.lists.model().rowsInserted,
        )
        playlists._open(playlists.lists.item(0))
        await ready(playlists.songs)
        assert playlists.songs.songs and {s.provider for s in playlists.songs.songs} == {"xiaowei"}

        title = sim.state.xiaowei._playlists()[0]["diss_name"]
        playlists.find_kind.setCurrentIndex(playlists.find_kind.findData("playlist"))
        playlists.find_box.setText(title)
        playlists.find_now()
        await until(
            lambda: playlists.lists.count() > 0 and playlists.lists.item(0).data(PLAYLIST_KIND) == "playlist",
            playlists.lists.model().rowsInserted,
        )
        assert any(playlists.lists.item(i).text().startswith(title) for i in range(playlists.lists.count()))

        choose_provider(win, "local")
        assert search.kind.isHidden()

    run(qloop, scenario(), then_close=win.services)
