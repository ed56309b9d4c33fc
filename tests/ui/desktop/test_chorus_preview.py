"""Items 2 and 3 of issue 16: chorus previews of local songs, Next during a preview, and
the Clips switch on songs with and without a chorus (real demo library, real libVLC)."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QMenu

from ktvdesk.models import Song
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import run, until


async def _song(win: MainWindow, title: str) -> Song:
    library = win.services.library
    assert library is not None
    page = await library.search(title, limit=5)
    return next(song for song in page.items if song.title == title)


def test_preview_plays_the_chorus_and_next_starts_the_queue(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.session
    assert session is not None

    async def scenario() -> None:
        farewell = await _song(win, "送别")
        jasmine = await _song(win, "茉莉花")
        win.song_actions.preview(farewell)
        await until(lambda: session.now_playing is not None, win.bridge.nowPlayingChanged)
        now = session.now_playing
        assert now is not None and now.preview
        # The refrain "天之涯，地之角" (0:28.5), not the song from 0:00.
        assert now.source.clip is not None and now.source.clip.begin_ms == 28_571
        await until(lambda: session.position_ms() >= 28_000, win.bridge.positionChanged)
        win.song_actions.enqueue(jasmine)
        assert session.now_playing is not None and session.now_playing.preview  # the preview goes on
        win.next_button.click()
        await until(
            lambda: session.now_playing is not None and not session.now_playing.preview,
            win.bridge.nowPlayingChanged,
        )
        assert session.now_playing is not None and session.now_playing.song.key == jasmine.key
        assert "Nothing playing" not in win.now_bar.title.text()
        session.stop()

    run(qloop, scenario())


def test_a_preview_that_ends_hands_over_to_the_queue(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.session
    assert session is not None

    async def scenario() -> None:
        twinkle = await _song(win, "Twinkle Twinkle Little Star")
        tigers = await _song(win, "两只老虎")
        win.song_actions.preview(twinkle)
        await until(lambda: session.now_playing is not None, win.bridge.nowPlayingChanged)
        clip = session.now_playing.source.clip if session.now_playing else None
        assert clip is not None
        await until(lambda: session.position_ms() >= clip.begin_ms, win.bridge.positionChanged)
        session.enqueue(tigers)
        session.seek(clip.end_ms - 1500)  # to the clip's last moments: it ends by itself
        await until(
            lambda: session.now_playing is not None and session.now_playing.song.key == tigers.key,
            win.bridge.nowPlayingChanged,
            timeout_s=60,
        )
        session.stop()

    run(qloop, scenario())


def test_a_song_without_chorus_greys_the_preview_and_says_why(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.session
    assert session is not None

    async def scenario() -> None:
        grace = await _song(win, "Amazing Grace")  # a hymn of distinct verses: no refrain
        farewell = await _song(win, "送别")
        menu = QMenu(win)
        preview = next(
            a for a in win.song_actions.menu_actions(grace, menu) if a.objectName() == "songAction_preview"
        )
        # The check runs off the GUI thread; its result greys the action.
        await until(lambda: win.song_actions.has_chorus(grace) is not None, win.song_actions.chorusChecked)
        assert not preview.isEnabled()
        assert "none" in preview.text() and preview.toolTip()
        other = next(
            a for a in win.song_actions.menu_actions(farewell, menu) if a.objectName() == "songAction_preview"
        )
        await until(lambda: win.song_actions.has_chorus(farewell) is not None, win.song_actions.chorusChecked)
        assert other.isEnabled()
        # Asked anyway (a shortcut, the remote): it says so and plays nothing.
        errors: list[str] = []
        win.bridge.errorRaised.connect(errors.append)
        await session.preview(grace)
        assert session.now_playing is None
        assert errors == ["This song has no chorus clip to preview."]
        assert win.toast.text() == errors[0]

    run(qloop, scenario())


def test_clip_mode_plays_choruses_and_says_when_a_song_has_none(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    win = window
    session = win.session
    assert session is not None

    async def scenario() -> None:
        grace = await _song(win, "Amazing Grace")
        syne = await _song(win, "Auld Lang Syne")
        win.now_bar.clip_box.setChecked(True)
        assert session.clip_mode
        session.enqueue(syne)
        session.enqueue(grace)
        await until(lambda: session.now_playing is not None, win.bridge.nowPlayingChanged)
        now = session.now_playing
        assert now is not None and now.song.key == syne.key and now.source.clip is not None
        assert 20_000 <= now.source.clip.begin_ms <= 24_375  # the refrain "For auld lang syne"
        await session.next()
        await until(
            lambda: session.now_playing is not None and session.now_playing.song.key == grace.key,
            win.bridge.nowPlayingChanged,
        )
        assert session.now_playing is not None and session.now_playing.source.clip is None
        assert "No chorus clip in “Amazing Grace”" in win.toast.text()
        session.stop()

    run(qloop, scenario())
