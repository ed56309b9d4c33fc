"""Issue 16, kiosk: the chart holds only songs this kiosk can play, the keypad matches
names only, the control screen shows progress and time, the PIN pad's wait message goes
when the wait ends, and the window comes back when minimised, hidden or not fullscreen
(Qt's view, offscreen; the real window manager is in test_real_window_manager.py)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ktvdesk.kiosk import PinVerdict
from ktvdesk.kiosk.keypad import keypad_matches
from ktvdesk.models import Song
from ktvdesk.playback import PlayerState
from ktvdesk.storage import PlayOutcome
from tests.ui.conftest import run, until
from tests.ui.kiosk.conftest import Kiosk, needs_vlc

LEFT = Qt.MouseButton.LeftButton


def titles(songs: list[Song]) -> list[str]:
    return [song.title for song in songs]


def find_song(kiosk: Kiosk, query: str) -> Song:
    provider = kiosk.win.provider
    assert provider is not None
    return run(kiosk.loop, provider.search(query)).items[0]  # type: ignore[no-any-return]


def sing(kiosk: Kiosk, song: Song, times: int) -> None:
    for _ in range(times):
        kiosk.db.history.record(
            song, listened_ms=90_000, outcome=PlayOutcome.COMPLETED, vocal_mode="original"
        )


def test_the_chart_lists_only_songs_of_catalogs_the_kiosk_can_play(kiosk: Kiosk) -> None:
    win = kiosk.win
    local = find_song(kiosk, "mlh")
    cloud = Song(provider="yinsuda", id="Y1", title="云端之歌", singers=("某歌手",))
    elsewhere = Song(provider="zego", id="Z1", title="别处之歌", singers=("某歌手",))
    sing(kiosk, cloud, 5)  # sung most, in a catalog this kiosk does not open
    sing(kiosk, elsewhere, 4)
    sing(kiosk, local, 1)
    chart = win.charts_page.songs

    async def show_charts() -> None:  # the chart is read off the GUI thread, in the loop
        win.show_page("charts")
        await until(lambda: bool(chart.songs), chart.changed)

    run(kiosk.loop, show_charts())
    assert titles(chart.songs) == ["茉莉花"]
    assert not win.can_play(cloud) and win.can_play(local)


def test_keypad_initials_do_not_match_album_names(kiosk: Kiosk, qtbot: QtBot) -> None:
    page = kiosk.win.search_page
    every = run(kiosk.loop, kiosk.win.provider.search("ktvdesk", limit=100)).items  # type: ignore[union-attr]
    assert len(every) > 3  # the demo songs share the album "ktvdesk": what "SK" used to hit
    for letter in "SK":
        qtbot.mouseClick(page.keys[letter], LEFT)
    done = page.searches_done
    run(kiosk.loop, until(lambda: page.searches_done > done, page.results.changed))
    assert all(keypad_matches(song, "sk") for song in page.results.songs)
    assert len(page.results.songs) < len(every)
    assert "ktvdesk" not in " ".join(f"{s.title} {s.singers_text}" for s in page.results.songs).lower()
    page.clear()
    for letter in "MLH":
        qtbot.mouseClick(page.keys[letter], LEFT)
    run(kiosk.loop, until(lambda: "茉莉花" in titles(page.results.songs), page.results.changed))


@needs_vlc
def test_the_control_screen_shows_progress_and_time(kiosk: Kiosk) -> None:
    win, session = kiosk.win, kiosk.services.session
    assert session is not None
    assert win.time_label.text() == ""
    song = find_song(kiosk, "mlh")
    # Connected after the window's own slot: when one of these is heard, the control
    # screen has already been refreshed with the same position.
    reported: list[int] = []
    win.bridge.positionChanged.connect(lambda: reported.append(session.position_ms()))

    async def play() -> None:
        win.add_song(song, False)
        await until(lambda: session.state is PlayerState.PLAYING, win.bridge.stateChanged)
        await until(lambda: bool(reported) and reported[-1] >= 1000, win.bridge.positionChanged)

    run(kiosk.loop, play())
    match = re.fullmatch(r"(\d+):(\d\d) / (\d+):(\d\d)", win.time_label.text())
    assert match is not None, win.time_label.text()
    total_s = int(match[3]) * 60 + int(match[4])
    assert total_s > 0 and (int(match[1]) * 60 + int(match[2])) <= total_s
    assert win.progress.maximum() == session.duration_ms()
    assert 0 < win.progress.value() <= win.progress.maximum()
    assert win.progress.isVisible() and win.time_label.isVisible()


def test_the_wait_message_goes_when_the_wait_ends(kiosk: Kiosk, qtbot: QtBot) -> None:
    win, clock = kiosk.win, kiosk.clock
    pad = win.pin_pad
    win.open_pin_pad()
    verdict = PinVerdict.WRONG
    while verdict is PinVerdict.WRONG:
        for digit in "1111":
            pad.press(digit)
        verdict = pad.submit()
    assert verdict is PinVerdict.WAIT or win.lock.wait_s() > 0
    pad.refresh()
    assert "s" in pad.message.text() and not pad.ok_button.isEnabled()
    clock.advance(win.lock.wait_s() + 0.01)
    pad.refresh()  # what the pad's own 500 ms ticker calls
    assert pad.message.text() == ""
    assert pad.ok_button.isEnabled()


def test_minimised_hidden_or_windowed_it_comes_straight_back(kiosk: Kiosk) -> None:
    win = kiosk.win
    guard = win.guard
    for escape in (
        lambda: win.setWindowState(Qt.WindowState.WindowMinimized),
        lambda: win.setWindowState(Qt.WindowState.WindowNoState),
        win.showNormal,
        win.hide,
    ):
        before = guard.recoveries
        escape()
        run(
            kiosk.loop, until(lambda b=before: guard.recoveries > b and guard.problem() is None, timeout_s=10)
        )
        assert win.isVisible()
        assert win.windowState() == Qt.WindowState.WindowFullScreen
    assert guard.recoveries >= 4


def test_no_recovery_fight_once_the_admin_lets_it_go(kiosk: Kiosk) -> None:
    win = kiosk.win
    win.admin.unlock()
    exits: list[int] = []
    win.exitRequested.connect(exits.append)
    assert win.exit_kiosk()
    assert exits == [0]
    before = win.guard.recoveries
    win.guard.check()
    assert win.guard.recoveries == before and not win.isVisible()
