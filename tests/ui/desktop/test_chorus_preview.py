"""Items 2 and 3 of issue 16: chorus previews of local songs, Next during a preview, and
the Clips switch on songs with and without a chorus (real demo library, real libVLC)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ktvdesk.models import Song
from ktvdesk.session import KaraokeSession, NowPlaying
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import run, until


@dataclass
class Player:
    """The window on the demo library, its session, and the steps every scenario takes."""

    win: MainWindow
    session: KaraokeSession
    loop: asyncio.AbstractEventLoop

    def run(self, scenario: Callable[[], Awaitable[None]]) -> None:
        # The services close in the same run: the player's ticker must not be left for
        # pytest-qt's event processing after the test, where no loop runs to step it.
        run(self.loop, scenario(), then_close=self.win.services)

    async def song(self, title: str) -> Song:
        library = self.win.services.library
        assert library is not None
        page = await library.search(title, limit=5)
        return next(song for song in page.items if song.title == title)

    async def preview(self, song: Song) -> NowPlaying:
        """The song's chorus preview, started as its menu action does, once it is on."""
        self.win.song_actions.preview(song)
        await until(lambda: self.session.now_playing is not None, self.win.bridge.nowPlayingChanged)
        now = self.session.now_playing
        assert now is not None and now.preview
        return now

    async def playing(self, song: Song, *, timeout_s: float = 30) -> None:
        await until(
            lambda: self.session.now_playing is not None and self.session.now_playing.song.key == song.key,
            self.win.bridge.nowPlayingChanged,
            timeout_s=timeout_s,
        )

    async def preview_action(self, song: Song, menu: QMenu) -> QAction:
        """The song's "Preview the chorus" action, once the chorus check (off the GUI
        thread) has greyed it or not."""
        actions = self.win.song_actions
        action = next(a for a in actions.menu_actions(song, menu) if a.objectName() == "songAction_preview")
        await until(lambda: actions.has_chorus(song) is not None, actions.chorusChecked)
        return action


@pytest.fixture
def player(window: MainWindow, qloop: asyncio.AbstractEventLoop) -> Player:
    assert window.session is not None
    return Player(window, window.session, qloop)


def test_preview_plays_the_chorus_and_next_starts_the_queue(player: Player) -> None:
    session = player.session

    async def scenario() -> None:
        farewell = await player.song("送别")
        jasmine = await player.song("茉莉花")
        now = await player.preview(farewell)
        # The refrain "天之涯，地之角" (0:28.5), not the song from 0:00.
        assert now.source.clip is not None and now.source.clip.begin_ms == 28_571
        await until(lambda: session.position_ms() >= 28_000, player.win.bridge.positionChanged)
        player.win.song_actions.enqueue(jasmine)
        assert session.now_playing is not None and session.now_playing.preview  # the preview goes on
        player.win.next_button.click()
        await player.playing(jasmine)
        assert session.now_playing is not None and not session.now_playing.preview
        assert "Nothing playing" not in player.win.now_bar.title.text()
        session.stop()

    player.run(scenario)


def test_a_preview_that_ends_hands_over_to_the_queue(player: Player) -> None:
    session = player.session

    async def scenario() -> None:
        twinkle = await player.song("Twinkle Twinkle Little Star")
        tigers = await player.song("两只老虎")
        clip = (await player.preview(twinkle)).source.clip
        assert clip is not None
        await until(lambda: session.position_ms() >= clip.begin_ms, player.win.bridge.positionChanged)
        session.enqueue(tigers)
        session.seek(clip.end_ms - 1500)  # to the clip's last moments: it ends by itself
        await player.playing(tigers, timeout_s=60)
        session.stop()

    player.run(scenario)


def test_a_song_without_chorus_greys_the_preview_and_says_why(player: Player) -> None:
    session = player.session

    async def scenario() -> None:
        grace = await player.song("Amazing Grace")  # a hymn of distinct verses: no refrain
        farewell = await player.song("送别")
        menu = QMenu(player.win)
        preview = await player.preview_action(grace, menu)
        assert not preview.isEnabled()
        assert "none" in preview.text() and preview.toolTip()
        assert (await player.preview_action(farewell, menu)).isEnabled()
        # Asked anyway (a shortcut, the remote): it says so and plays nothing.
        errors: list[str] = []
        player.win.bridge.errorRaised.connect(errors.append)
        await session.preview(grace)
        assert session.now_playing is None
        assert errors == ["This song has no chorus clip to preview."]
        assert player.win.toast.text() == errors[0]

    player.run(scenario)


def test_clip_mode_plays_choruses_and_says_when_a_song_has_none(player: Player) -> None:
    session = player.session

    async def scenario() -> None:
        grace = await player.song("Amazing Grace")
        syne = await player.song("Auld Lang Syne")
        player.win.now_bar.clip_box.setChecked(True)
        assert session.clip_mode
        session.enqueue(syne)
        session.enqueue(grace)
        await player.playing(syne)
        now = session.now_playing
        assert now is not None and now.source.clip is not None
        assert 20_000 <= now.source.clip.begin_ms <= 24_375  # the refrain "For auld lang syne"
        await session.next()
        await player.playing(grace)
        assert session.now_playing is not None and session.now_playing.source.clip is None
        assert "No chorus clip in “Amazing Grace”" in player.win.toast.text()
        session.stop()

    player.run(scenario)
