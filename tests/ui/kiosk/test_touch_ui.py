"""Touch UI on the demo library with real libVLC (dummy audio): keypad search, singers,
categories, charts, the queue with 优先/remove, the big buttons, attract mode, watchdog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ktvdesk.models import Song
from ktvdesk.playback import PlayerState
from ktvdesk.storage import PlayOutcome
from tests.ui.conftest import run, until
from tests.ui.kiosk.conftest import VOLUME_MAX, Kiosk, needs_vlc

LEFT = Qt.MouseButton.LeftButton


def in_loop(kiosk: Kiosk, action: Callable[[], object]) -> None:
    """Taps that start playback need the running loop, as they have in the app."""

    async def body() -> None:
        action()

    run(kiosk.loop, body())


def tapper(kiosk: Kiosk, qtbot: QtBot) -> Callable[[QWidget], None]:
    """A tap on a button whose action changes the session (its listeners start tasks)."""

    def tap(button: QWidget) -> None:
        in_loop(kiosk, lambda: qtbot.mouseClick(button, LEFT))

    return tap


def flushed(kiosk: Kiosk) -> Kiosk:
    """After the user-data writer thread has stored what it was handed."""
    assert kiosk.services.user_data is not None
    run(kiosk.loop, kiosk.services.user_data.flush())
    return kiosk


def titles(songs: list[Song] | tuple[Song, ...]) -> list[str]:
    return [song.title for song in songs]


def search_via_keypad(kiosk: Kiosk, qtbot: QtBot, letters: str, expected: str) -> None:
    page = kiosk.win.search_page
    page.clear()
    for letter in letters:
        qtbot.mouseClick(page.keys[letter], LEFT)
    assert page.query == letters.lower()
    # The debounce timer fires inside the loop and the search runs on the real index.
    run(kiosk.loop, until(lambda: expected in titles(page.results.songs), page.results.changed))


def find_song(kiosk: Kiosk, query: str) -> Song:
    provider = kiosk.win.provider
    assert provider is not None
    return run(kiosk.loop, provider.search(query)).items[0]  # type: ignore[no-any-return]


def test_keypad_finds_songs_by_initials_and_full_pinyin(kiosk: Kiosk, qtbot: QtBot) -> None:
    search_via_keypad(kiosk, qtbot, "MLH", "茉莉花")
    search_via_keypad(kiosk, qtbot, "SONGBIE", "送别")
    page = kiosk.win.search_page
    qtbot.mouseClick(page.back_key, LEFT)
    assert page.query == "songbi"
    page.clear()
    for letter in "QXZ":
        qtbot.mouseClick(page.keys[letter], LEFT)
    run(kiosk.loop, until(lambda: page.searches_done > 0 and not page.results.songs, page.results.changed))
    assert "QXZ" in page.results.status.text()


@needs_vlc
def test_add_from_the_keypad_plays_and_is_saved(kiosk: Kiosk, qtbot: QtBot) -> None:
    win, session = kiosk.win, kiosk.services.session
    assert session is not None
    search_via_keypad(kiosk, qtbot, "MLH", "茉莉花")
    add = win.search_page.results.findChildren(QPushButton, "kioskAdd")[0]
    in_loop(kiosk, lambda: qtbot.mouseClick(add, LEFT))
    run(
        kiosk.loop,
        until(
            lambda: session.now_playing is not None and session.state is PlayerState.PLAYING,
            win.bridge.nowPlayingChanged,
            win.bridge.stateChanged,
        ),
    )
    assert session.now_playing is not None and session.now_playing.song.title == "茉莉花"
    stored = kiosk.db.queue.load()
    assert titles(stored.songs) == ["茉莉花"] and stored.current_index == 0


@needs_vlc
def test_queue_page_priority_remove_and_the_big_buttons(kiosk: Kiosk, qtbot: QtBot) -> None:
    win, session = kiosk.win, kiosk.services.session
    assert session is not None
    first, second = find_song(kiosk, "mlh"), find_song(kiosk, "songbie")
    third, fourth = find_song(kiosk, "auld"), find_song(kiosk, "amazing")
    in_loop(kiosk, lambda: [win.add_song(song, False) for song in (first, second, third, fourth)])
    run(kiosk.loop, until(lambda: session.state is PlayerState.PLAYING, win.bridge.stateChanged))
    qtbot.mouseClick(win.nav_buttons["queue"], LEFT)
    assert win.nav_buttons["queue"].text().endswith("(3)")
    assert titles([e.item for e in session.upcoming]) == ["送别", third.title, fourth.title]
    tops = win.queue_page.findChildren(QPushButton, "queueTop")
    tap = tapper(kiosk, qtbot)
    tap(tops[2])  # 优先 on the last one
    assert titles([e.item for e in session.upcoming]) == [fourth.title, "送别", third.title]
    removes = win.queue_page.findChildren(QPushButton, "queueRemove")
    tap(removes[1])
    assert titles([e.item for e in session.upcoming]) == [fourth.title, third.title]
    assert titles(flushed(kiosk).db.queue.load().songs) == ["茉莉花", fourth.title, third.title]

    for _ in range(20):
        tap(win.volume_up_button)
    assert session.volume == VOLUME_MAX  # the venue's limit, not 100
    tap(win.volume_down_button)
    assert session.volume == VOLUME_MAX - 5
    tap(win.key_up_button)
    tap(win.key_up_button)
    tap(win.key_down_button)
    assert session.key == 1
    vocal = session.vocal
    tap(win.vocal_button)
    assert session.vocal is not vocal
    tap(win.restart_button)
    in_loop(kiosk, lambda: qtbot.mouseClick(win.next_button, LEFT))  # 切歌
    run(
        kiosk.loop,
        until(
            lambda: session.now_playing is not None and session.now_playing.song.title == fourth.title,
            win.bridge.nowPlayingChanged,
        ),
    )
    assert titles(flushed(kiosk).db.queue.load().songs) == [fourth.title, third.title]
    skipped = kiosk.db.history.page().items
    assert [h.song.title for h in skipped] == ["茉莉花"] and skipped[0].outcome is PlayOutcome.SKIPPED


def test_singers_wall_categories_and_charts(kiosk: Kiosk, qtbot: QtBot) -> None:
    win = kiosk.win
    page = win.singers_page
    categories = win.categories_page

    async def browse() -> None:
        win.show_page("singers")
        await until(lambda: "江苏民歌" in page.singer_buttons, page.loaded)
        assert not page.singer_buttons["江苏民歌"].icon().isNull()  # the generated initial avatar
        qtbot.mouseClick(page.letter_buttons["R"], LEFT)
        await until(lambda: list(page.singer_buttons) == ["Robert Burns"], page.loaded)
        qtbot.mouseClick(page.singer_buttons["Robert Burns"], LEFT)
        await until(lambda: bool(page.songs.songs), page.songs.changed)
        assert titles(page.songs.songs) == ["Auld Lang Syne"]
        qtbot.mouseClick(page.back, LEFT)
        assert page.wall_area.isVisible()

        win.show_page("categories")
        await until(lambda: "title_len:2" in categories.tag_buttons, categories.loaded)
        qtbot.mouseClick(categories.tag_buttons["title_len:2"], LEFT)
        await until(lambda: bool(categories.songs.songs), categories.songs.changed)
        assert "送别" in titles(categories.songs.songs)

    run(kiosk.loop, browse())

    charts = win.charts_page.songs

    async def show_charts() -> None:  # read off the GUI thread: shown when it answers
        win.show_page("charts")
        await until(lambda: not win.loader.busy, charts.changed)

    run(kiosk.loop, show_charts())
    assert charts.songs == []
    assert charts.status.text()
    song = find_song(kiosk, "mlh")
    for _ in range(2):
        kiosk.db.history.record(
            song, listened_ms=100_000, outcome=PlayOutcome.COMPLETED, vocal_mode="original"
        )
    kiosk.db.history.record(
        find_song(kiosk, "songbie"), listened_ms=90_000, outcome=PlayOutcome.COMPLETED, vocal_mode="original"
    )
    run(kiosk.loop, show_charts())
    assert titles(charts.songs) == ["茉莉花", "送别"]


def test_attract_mode_when_idle_with_an_empty_queue(kiosk: Kiosk, qtbot: QtBot) -> None:
    win, clock = kiosk.win, kiosk.clock
    idle_s = kiosk.services.settings.kiosk.attract_after_min * 60
    clock.advance(idle_s - 1)
    win.tick()
    assert not win.attract_screen.isVisible()
    clock.advance(1)
    win.tick()
    assert win.attract_screen.isVisible()
    shown = win.attract_screen.slides_shown
    win.attract_screen.next_slide()
    assert win.attract_screen.slides_shown == shown + 1
    qtbot.mouseClick(win.attract_screen, LEFT)  # any touch brings the kiosk back
    assert not win.attract_screen.isVisible()
    win.tick()
    assert not win.attract_screen.isVisible()


@needs_vlc
def test_watchdog_restarts_a_silent_engine_then_exits_for_systemd(kiosk: Kiosk, qtbot: QtBot) -> None:
    win, clock, session = kiosk.win, kiosk.clock, kiosk.services.session
    assert session is not None
    song = find_song(kiosk, "mlh")
    in_loop(kiosk, lambda: win.add_song(song, False))
    run(kiosk.loop, until(lambda: session.state is PlayerState.PLAYING, win.bridge.stateChanged))
    # From here no Qt/asyncio event is processed, so no heartbeat arrives: a hung engine.
    hung = session.now_playing
    clock.advance(win.watchdog.timeout_s)
    in_loop(kiosk, win.tick)  # as from the ticker: the reload is a task of the running loop
    assert win.watchdog.restarts_total == 1
    # Reopened on the same song, from a link resolved again through the session (and so
    # through FreshMedia), not the one the hung engine held.
    run(
        kiosk.loop,
        until(
            lambda: session.now_playing is not hung and win.watchdog.restarts_in_a_row == 0,
            win.bridge.stateChanged,
            win.bridge.positionChanged,
        ),
    )
    assert hung is not None and session.now_playing is not None
    assert session.now_playing.entry_id == hung.entry_id and session.now_playing.song.title == "茉莉花"
    assert session.now_playing.source is not hung.source
    assert session.state in (PlayerState.LOADING, PlayerState.PLAYING)
    # The reopened song beat again (above): a new hang counts its restarts from zero.
    exits: list[int] = []
    win.exitRequested.connect(exits.append)
    for _ in range(win.watchdog.max_restarts + 1):  # hung again: restarts, then the exit
        clock.advance(win.watchdog.timeout_s)
        win.tick()
    assert exits == [3] and win.exit_allowed
    run(kiosk.loop, until(lambda: not win.isVisible()))  # it left: closed, as the exit allowed


@needs_vlc
def test_restore_resumes_the_song_that_was_on_where_it_stopped(kiosk: Kiosk) -> None:
    win, session = kiosk.win, kiosk.services.session
    assert session is not None and win.mirror is not None
    songs = [find_song(kiosk, "mlh"), find_song(kiosk, "songbie")]
    kiosk.db.queue.save(songs, current_index=0, position_ms=20_000)
    restored: list[Song] = []
    positions: list[int] = []
    win.bridge.positionChanged.connect(lambda: positions.append(session.position_ms()))
    in_loop(kiosk, lambda: restored.extend(win.mirror.restore() if win.mirror else []))
    assert titles(restored) == ["茉莉花", "送别"]
    run(
        kiosk.loop,
        until(
            lambda: session.state is PlayerState.PLAYING and session.position_ms() >= 20_000,
            win.bridge.stateChanged,
            win.bridge.positionChanged,
        ),
    )
    assert session.now_playing is not None and session.now_playing.song.title == "茉莉花"
    assert titles([e.item for e in session.upcoming]) == ["送别"]
    # Resumed by a seek, not by playing 20 s from the top: no earlier position was reported.
    assert positions and min(positions) >= 19_500
