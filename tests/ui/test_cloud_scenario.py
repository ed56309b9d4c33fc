"""The same window against cloudsim through the Yinsuda provider (`--demo-cloud`), and the
error states a singer can meet: no rights, no original vocal, the provider down."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.playback import PlayerState
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.song_list import LoadState
from tests.ui.conftest import make_services, run, until

_available, _reason = probe_vlc()
pytestmark = [pytest.mark.vlc, pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")]


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    services = make_services(tmp_path, monkeypatch, qloop, demo_cloud=True, provider="yinsuda")
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win
    run(qloop, services.aclose())


async def search(win: MainWindow, text: str) -> None:
    page = win.search_page
    before = page.results.requests
    page.box.setText(text)
    page.search_now()
    await until(
        lambda: page.results.requests > before and page.results.state is not LoadState.LOADING,
        page.results.stateChanged,
    )


def test_search_and_play_through_yinsuda_on_cloudsim(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.services.session
    assert session is not None and win.services.active_provider == "yinsuda"
    assert win.provider_box.currentData() == "yinsuda"

    async def scenario() -> None:
        await search(win, "茉莉花")
        results = win.search_page.results
        assert results.state is LoadState.READY, results.status.text()
        song = next(s for s in results.songs if "茉莉花" in s.title)
        assert song.provider == "yinsuda"
        win.song_actions.enqueue(song)
        await until(lambda: session.state is PlayerState.PLAYING, win.bridge.stateChanged)
        now = session.now_playing
        assert now is not None and now.source.is_network  # a CDN link from the emulator
        await until(lambda: session.lyrics is not None, win.bridge.lyricsChanged)
        view = win.lyric_view

        def line() -> int:
            view.grab()
            return view.current_line

        lyrics = session.lyrics
        assert lyrics is not None
        # The accompaniment clip starts inside the song: the view shows a line of it.
        await until(lambda: line() >= 0, win.bridge.positionChanged)
        # A Yinsuda song is its accompaniment segment: 原唱 is greyed and says why.
        assert not win.vocal_button.isEnabled()
        assert "accompaniment segment" in win.vocal_button.toolTip()
        assert now.source.clip is None and now.source.song_offset_ms > 0  # a file of its own

    run(qloop, scenario(), then_close=win.services)


def test_no_rights_song_shows_its_message_and_keeps_the_queue(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.services.session
    assert session is not None

    async def scenario() -> None:
        await search(win, "No Rights Song")
        song = win.search_page.results.songs[0]
        assert "可播" not in win.search_page.results.table.song_model.index(0, 4).data()
        session.autoplay = False
        win.song_actions.enqueue(song)
        await search(win, "茉莉花")
        win.song_actions.enqueue(next(s for s in win.search_page.results.songs if "茉莉花" in s.title))
        errors: list[str] = []
        win.bridge.errorRaised.connect(errors.append)
        await session.play()
        await until(lambda: bool(errors), win.bridge.errorRaised)
        assert win.toast.text() == errors[0] and errors[0]
        assert session.now_playing is not None and "茉莉花" in session.now_playing.song.title

    run(qloop, scenario(), then_close=win.services)


def test_provider_down_shows_the_error_state(window: MainWindow, qloop: asyncio.AbstractEventLoop) -> None:
    win = window

    async def scenario() -> None:
        await asyncio.to_thread(win.services.demo_cloud.stop)  # the cloud is gone
        await search(win, "月亮")
        results = win.search_page.results
        assert results.state is LoadState.ERROR
        assert results.status.text() and results.status.text() == results.error_text
        assert results.songs == []

    run(qloop, scenario(), then_close=win.services)


def test_infinite_scroll_filters_and_playlists(window: MainWindow, qloop: asyncio.AbstractEventLoop) -> None:
    win = window
    page = win.search_page
    results = page.results

    async def scenario() -> None:
        await search(win, "月亮")
        bar = results.table.verticalScrollBar()
        # pages of 30 are fetched until the view is full (a short page leaves no scrollbar)
        await until(lambda: results.state is LoadState.READY and bar.maximum() > 0, results.stateChanged)
        shown, asked = len(results.songs), results.requests
        assert shown >= 30 and shown % 30 == 0
        bar.setValue(bar.maximum())  # the user scrolls to the end: the next cursor is fetched
        await until(
            lambda: len(results.songs) > shown and results.state is LoadState.READY, results.stateChanged
        )
        assert results.requests > asked
        keys = [song.key for song in results.songs]
        assert len(keys) == len(set(keys))  # pages follow on, no repeats

        page.singable.setChecked(True)  # a filter change searches again
        await until(lambda: results.state is LoadState.READY, results.stateChanged)
        assert results.songs and all(song.rights.can_sing for song in results.songs)

        win.nav.setCurrentRow(3)  # the provider's playlists (charts) → songs
        playlists = win.playlists_page
        await until(lambda: playlists.lists.count() > 0, playlists.lists.model().rowsInserted)
        playlists._open(playlists.lists.item(0))
        await until(lambda: playlists.songs.state is LoadState.READY, playlists.songs.stateChanged)
        assert playlists.songs.songs and playlists.songs.songs[0].provider == "yinsuda"

    run(qloop, scenario(), then_close=win.services)
