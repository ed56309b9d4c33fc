"""The main window as a singer uses it: real demo library, real libVLC (dummy audio output),
offscreen Qt, a qasync loop per test. Every wait is on a signal or a condition."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ktvdesk.playback import PlayerState, VocalMode
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.services import AppServices
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.song_list import LoadState
from tests.ui.conftest import make_services, run, until

_available, _reason = probe_vlc()
pytestmark = [pytest.mark.vlc, pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")]


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    services = make_services(tmp_path, monkeypatch, qloop)
    run(qloop, services.start())  # indexes the bundled demo library into the data dir
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win
    run(qloop, services.aclose())


async def search(win: MainWindow, qtbot: QtBot, text: str) -> None:
    page = win.search_page
    before = page.results.requests
    win.focus_search()
    page.box.clear()
    if text.isascii():
        qtbot.keyClicks(page.box, text)  # as typed: the debounce timer starts the search
    else:  # QTest cannot type CJK characters (an input method would): set them, then Enter
        page.box.setText(text)
        page.debounce.start()
    await until(
        lambda: page.results.requests > before and page.results.state is not LoadState.LOADING,
        page.results.stateChanged,
    )


def eta_shown_ms(text: str) -> int:
    """The "in M:SS" a queue row shows, in ms."""
    match = re.search(r"in (\d+):(\d\d)", text)
    assert match, text
    return (int(match.group(1)) * 60 + int(match.group(2))) * 1000


def press(win: MainWindow, sequence: str) -> None:
    """A window shortcut, as its key would trigger it."""
    win.shortcuts[sequence].activated.emit()


def test_search_add_play_lyrics_vocal_key_next_reorder_favorite(
    window: MainWindow, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    services: AppServices = win.services
    session = services.session
    assert session is not None
    bridge = win.bridge

    async def scenario() -> None:
        # search "mlh" (pinyin initials) → 茉莉花 first
        await search(win, qtbot, "mlh")
        results = win.search_page.results
        assert results.state is LoadState.READY
        assert results.songs[0].title == "茉莉花"
        assert "可唱" in results.table.song_model.index(0, 4).data()
        # 点歌 with the keyboard: Enter in the results
        table = results.table
        table.setFocus()
        table.selectRow(0)
        qtbot.keyClick(table, Qt.Key.Key_Return)
        await until(lambda: session.now_playing is not None, bridge.nowPlayingChanged)
        assert session.now_playing is not None and session.now_playing.song.title == "茉莉花"
        await until(lambda: session.state is PlayerState.PLAYING, bridge.stateChanged)
        await until(lambda: session.lyrics is not None, bridge.lyricsChanged)
        assert "茉莉花" in win.now_bar.title.text() and win.play_button.text() == "Pause"

        # the lyric view follows the clock: seek just before the first line, then watch
        session.seek(2_600)
        view = win.lyric_view

        def sung() -> tuple[int, int]:
            view.grab()  # paints a frame at the session clock's time
            return view.current_line, view.current_word

        await until(lambda: sung()[0] == 0 and sung()[1] >= 0, bridge.positionChanged)
        first = sung()
        await until(lambda: sung() > first, bridge.positionChanged)
        assert view.current_fraction >= 0.0

        # 原唱/伴唱 and key +2
        qtbot.mouseClick(win.vocal_button, Qt.MouseButton.LeftButton)
        assert session.vocal is VocalMode.ACCOMPANIMENT and "Backing" in win.vocal_button.text()
        press(win, "+")
        press(win, "+")
        assert session.key == 2 and win.now_bar.key_label.text() == "Key +2"
        bar = win.now_bar
        bar.tempo_up.click()
        assert session.tempo == 1.05 and bar.tempo_label.text() == "1.05×"
        bar.tempo_down.click()
        bar.volume.setValue(35)
        assert session.volume == 35 and win.services.device.volume == 35
        bar.clip_box.setChecked(True)
        assert session.clip_mode
        bar.clip_box.setChecked(False)

        # two more songs, then reorder in the queue panel with the keyboard
        await search(win, qtbot, "送别")
        win.song_actions.enqueue(win.search_page.results.songs[0])
        await search(win, qtbot, "amazing")
        grace = win.search_page.results.songs[0]
        win.song_actions.enqueue(grace)
        panel = win.queue_panel
        assert [e.item.title for e in session.upcoming] == ["送别", "Amazing Grace"]
        # estimated starts: the first after what is left of 茉莉花, the second after 送别 too
        assert panel.model.rowCount() == 2
        etas = session.start_estimates_ms()
        first_eta, second_eta = (etas[e.entry_id] for e in session.upcoming)
        assert 0 < first_eta < second_eta
        shown = [eta_shown_ms(panel.model.index(i).data()) for i in range(2)]
        assert shown[0] < shown[1]
        assert abs(shown[0] - first_eta) <= 2000 and abs(shown[1] - second_eta) <= 2000
        panel.list.setFocus()
        panel.list.setCurrentIndex(panel.model.index(1))
        qtbot.keyClick(panel.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
        assert [e.item.title for e in session.upcoming] == ["Amazing Grace", "送别"]
        assert panel.model.index(0).data().startswith("1. Amazing Grace")

        # 切歌 (N): Amazing Grace starts, key back to 0, the backing-track choice stays
        press(win, "N")
        await until(
            lambda: session.now_playing is not None and session.now_playing.song.title == "Amazing Grace",
            bridge.nowPlayingChanged,
        )
        assert session.key == 0
        await until(lambda: session.vocal is VocalMode.ACCOMPANIMENT, bridge.settingsChanged)
        assert [e.item.title for e in session.upcoming] == ["送别"]
        assert session.queue.history[-1].item.title == "茉莉花"

        # favorite from the song's context menu; the Favorites page lists it
        actions = win.song_actions.menu_actions(grace, win)
        favorite = next(a for a in actions if a.text() == "Add to favorites")
        favorite.trigger()
        await win.song_actions.settled()  # stored on the user-data thread
        assert services.favorites.contains(grace)
        win.nav.setCurrentRow(4)
        await win.favorites_page.settled()  # read on the user-data thread
        assert [s.title for s in win.favorites_page.songs.songs] == ["Amazing Grace"]
        assert win.favorites_page.songs.table.song_model.index(0, 1).data().startswith("♥")

        # Delete in the queue removes the selected entry
        win.nav.setCurrentRow(0)
        panel.list.setFocus()
        panel.list.setCurrentIndex(panel.model.index(0))
        qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
        assert session.upcoming == ()

    run(qloop, scenario(), then_close=win.services)


def test_stale_searches_are_cancelled_and_scroll_pages(
    window: MainWindow, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    page = win.search_page

    async def scenario() -> None:
        page.box.setText("zzzz-nothing")
        page.search_now()
        first = page.results.loader._task
        page.box.setText("jasmine")
        page.search_now()  # a newer request cancels the older one
        assert first is not None and first.cancelling()
        await until(lambda: page.results.state is LoadState.READY, page.results.stateChanged)
        assert [s.title for s in page.results.songs] == ["茉莉花"]
        suggestions = page.suggestions
        await until(lambda: "茉莉花" in suggestions.stringList(), suggestions.modelReset)
        await search(win, qtbot, "no-such-song-here")
        assert page.results.state is LoadState.EMPTY
        assert page.results.status.text() == "No songs found."

    run(qloop, scenario(), then_close=win.services)


def test_browse_tags_singers_and_title_length(
    window: MainWindow, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window

    async def scenario() -> None:
        win.nav.setCurrentRow(1)  # Categories: loads the tag groups on show
        tree = win.tags_page.tree
        await until(lambda: tree.topLevelItemCount() > 0, tree.model().rowsInserted)
        groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
        assert "Title length" in groups  # 字数 in the English UI (issue 16)
        length_group = tree.topLevelItem(groups.index("Title length"))
        three = next(
            length_group.child(i)
            for i in range(length_group.childCount())
            if length_group.child(i).text(0) == "3 character(s)"
        )
        win.tags_page._open(three)
        songs = win.tags_page.songs
        await until(lambda: songs.state is LoadState.READY, songs.stateChanged)
        assert "茉莉花" in [s.title for s in songs.songs]
        assert "送别" not in [s.title for s in songs.songs]  # 2 characters

        win.nav.setCurrentRow(2)  # Singers A–Z
        singers = win.singers_page
        await until(lambda: singers.singers.count() > 0, singers.singers.model().rowsInserted)
        singers.letter_buttons["L"].click()
        await until(
            lambda: any("李叔同" in singers.singers.item(i).text() for i in range(singers.singers.count())),
            singers.singers.model().rowsInserted,
        )
        item = next(
            singers.singers.item(i)
            for i in range(singers.singers.count())
            if "李叔同" in singers.singers.item(i).text()
        )
        singers._open_singer(item)
        await until(lambda: singers.songs.state is LoadState.READY, singers.songs.stateChanged)
        assert [s.title for s in singers.songs.songs] == ["送别"]

    run(qloop, scenario(), then_close=win.services)


def test_stage_window_shows_lyrics_and_next_song_banner(
    window: MainWindow, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.services.session
    assert session is not None

    async def scenario() -> None:
        await search(win, qtbot, "mlh")
        win.song_actions.enqueue(win.search_page.results.songs[0])
        await search(win, qtbot, "送别")
        win.song_actions.enqueue(win.search_page.results.songs[0])
        await until(lambda: session.state is PlayerState.PLAYING, win.bridge.stateChanged)
        await until(lambda: session.lyrics is not None, win.bridge.lyricsChanged)
        press(win, "F")
        stage = win.stage
        assert stage is not None and stage.isVisible() and stage.lyrics.animating
        assert stage.banner.isHidden()
        end = session.duration_ms()
        assert end is not None
        bar = win.now_bar  # seek with the progress bar, as a user drags it
        bar.progress.sliderPressed.emit()
        bar.progress.setValue(end - 10_000)
        bar.progress.sliderReleased.emit()
        assert session.position_ms() >= end - 10_000
        await until(stage.banner.isVisible, win.bridge.positionChanged)
        assert "送别" in stage.banner.text()
        qtbot.keyClick(stage, Qt.Key.Key_Escape)
        assert not stage.isVisible()

    run(qloop, scenario(), then_close=win.services)


def test_details_and_preview_actions(
    window: MainWindow, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.services.session
    assert session is not None

    async def scenario() -> None:
        await search(win, qtbot, "mlh")
        song = win.search_page.results.songs[0]
        texts: list[str] = []
        win.song_actions.detailsReady.connect(texts.append)
        details = next(a for a in win.song_actions.menu_actions(song, win) if a.text() == "Details")
        details.trigger()
        await until(lambda: bool(texts), win.song_actions.detailsReady)
        assert texts[0].startswith("茉莉花") and "Catalog: local" in texts[0]
        assert win.details_box.isVisible() and "茉莉花" in win.details_box.text()
        session.autoplay = False
        preview = next(
            a for a in win.song_actions.menu_actions(song, win) if a.text() == "Preview the chorus"
        )
        # The action stays greyed until its chorus check (a thread) is done, and a greyed
        # action ignores `trigger()`: when the details' thread won the race, the preview
        # never started and its NOW_PLAYING was waited for in vain.
        await until(preview.isEnabled, win.song_actions.chorusChecked)
        preview.trigger()
        await until(lambda: session.now_playing is not None, win.bridge.nowPlayingChanged)
        assert session.now_playing is not None and session.now_playing.preview
        assert win.queue_panel.current.text().startswith("♪ Preview")
        assert session.upcoming == ()  # a preview is not queued

    run(qloop, scenario(), then_close=win.services)
