"""Favorites, History, My playlists and the restored queue on the real user database
(issue 10): real SQLite in a temporary data dir, real Qt offscreen.

The views are driven through the same calls their buttons and menus make; where a
button would open a modal dialog (QInputDialog for a name, QFileDialog for a file) the
test calls the action with the name, or puts a path into `choose_import_path` /
`choose_export_path` in place of the file dialog.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from ktvdesk.config import Settings
from ktvdesk.models import Song
from ktvdesk.playback import PlayerState
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.services import AppServices, VlcStatus, open_user_data
from ktvdesk.session import KaraokeSession
from ktvdesk.storage import DEFAULT_FILE_NAME, PlayOutcome, Unavailable, UserDatabase
from ktvdesk.storage.connection import Database
from ktvdesk.storage.service import THREAD_NAME
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.song_list import SongTable
from ktvdesk.ui.user_pages import MyPlaylistsPage
from tests.ui.conftest import make_services, run, until

_available, _reason = probe_vlc()
needs_vlc = pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")


def _song(n: int, provider: str = "yinsuda", path: str | None = None) -> Song:
    return Song(provider=provider, id=str(n), title=f"Song {n}", singers=(f"Singer {n}",), path=path)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _flush(services: AppServices) -> None:
    """Wait for the user-data writer thread to finish what was handed to it (no loop here)."""
    assert services.user_data is not None
    services.user_data.run_blocking(lambda _db: None)


def _close(services: AppServices) -> None:
    assert services.user_data is not None
    services.user_data.close()  # after the queued writes


def _services() -> AppServices:
    """The composition root's user data on a session without a player (nothing here plays)."""
    services = AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "libVLC 3.0"))
    services.session = KaraokeSession({}, None)
    open_user_data(services)
    assert services.user_db is not None
    return services


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    services = _services()
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    yield win
    _close(services)


async def settle(window: MainWindow, page: Any) -> None:
    """Until the song actions' and the page's storage work has been answered (it runs on
    the user-data writer thread; nothing here guesses a delay)."""
    await window.song_actions.settled()
    await page.settled()


def test_favorites_persist_and_unavailable_songs_stay_listed(
    window: MainWindow, data_dir: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    services = window.services
    db = services.user_db
    assert db is not None and services.favorites is db.favorites
    keep, drop, gone = _song(1), _song(2), _song(3)
    page = window.favorites_page

    async def scenario() -> None:
        for song in (keep, drop, gone):
            window.song_actions.toggle_favorite(song)  # the context menu's Add to favorites
        window.song_actions.toggle_favorite(drop)  # … and Remove from favorites
        await window.song_actions.settled()
        db.songs.mark_unavailable(gone, Unavailable.NO_RIGHTS)
        window.nav.setCurrentRow(4)  # shown: read from storage off the GUI thread
        await settle(window, page)

    run(qloop, scenario())
    assert [s.key for s in page.songs.songs] == [gone.key, keep.key]  # newest first
    model = page.songs.table.song_model
    assert model.index(0, 4).data() == "Unavailable: Not licensed for playback here"
    assert "Not licensed" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    # Another connection on the same file (as the next start would open it) sees them.
    with UserDatabase(data_dir / DEFAULT_FILE_NAME) as reopened:
        assert reopened.favorites.contains(keep) and reopened.favorites.contains(gone)
        assert not reopened.favorites.contains(drop)


def test_starring_on_the_shown_favorites_page_changes_one_row_not_the_list(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    actions, page = window.song_actions, window.favorites_page
    first, second, third, new = _song(1), _song(2), _song(3), _song(4)
    model = page.songs.table.song_model
    resets: list[str] = []
    changed: list[tuple[int, int]] = []

    async def scenario() -> None:
        for song in (first, second, third):
            actions.toggle_favorite(song)
        await actions.settled()
        window.nav.setCurrentRow(4)  # the Favorites page, read from storage
        await settle(window, page)
        assert [s.key for s in page.songs.songs] == [third.key, second.key, first.key]
        actions.is_favorite(first)  # the stored keys are read (once) …
        await actions.settled()  # … before what a toggle changes is counted
        model.modelAboutToBeReset.connect(lambda: resets.append("reset"))
        model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
        actions.toggle_favorite(new)  # Add to favorites: the newest, on top
        await settle(window, page)
        assert [s.key for s in page.songs.songs] == [new.key, third.key, second.key, first.key]
        assert model.index(0, 1).data() == "♥ Song 4"
        actions.toggle_favorite(second)  # Remove from favorites: that row goes
        await settle(window, page)

    run(qloop, scenario())
    assert [s.key for s in page.songs.songs] == [new.key, third.key, first.key]
    assert resets == []  # never read back and reset for one toggle
    assert changed == [(2, 2)]  # the un-starred row's heart, before the row went; nothing else
    # What the page shows is what is stored.
    page.refresh()
    run(qloop, settle(window, page))
    assert [s.key for s in page.songs.songs] == [new.key, third.key, first.key]


def test_a_heart_repaints_only_the_rows_of_its_song(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    actions = window.song_actions
    songs = [_song(n) for n in range(5)]
    model = SongTable(actions).song_model
    model.reset([*songs, songs[2]])  # a list may hold a song twice
    changed: list[tuple[int, int, int]] = []

    async def scenario() -> None:
        assert not actions.is_favorite(songs[0])  # starts reading the stored keys
        await actions.settled()
        model.dataChanged.connect(
            lambda top, bottom, *_: changed.append((top.row(), bottom.row(), top.column()))
        )
        actions.toggle_favorite(songs[2])
        await actions.settled()

    run(qloop, scenario())
    assert changed == [(2, 2, 1), (5, 5, 1)]
    assert model.index(2, 1).data() == "♥ Song 2" and model.index(5, 1).data() == "♥ Song 2"
    assert model.index(1, 1).data() == "Song 1"


def _submenu(actions: list[QAction]) -> QMenu:
    """The "Add to playlist" submenu among a song's context-menu actions."""
    menu = next(a.menu() for a in actions if a.text() == "Add to playlist")
    assert isinstance(menu, QMenu)
    return menu


def _menu_action(menu: QMenu, text: str):  # type: ignore[no-untyped-def]
    for action in menu.actions():
        if action.text() == text:
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def test_playlists_create_add_reorder_export_import(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    services = window.services
    db = services.user_db
    assert db is not None
    page = window.my_playlists_page

    async def scenario() -> None:
        window.nav.setCurrentRow(3)
        window.playlist_tabs.setCurrentWidget(page)
        await settle(window, page)
        assert "No playlists yet" in page.status.text()
        page.create_playlist("Party")  # what New… does with the typed name
        await settle(window, page)
        party = page.selected_id()
        assert party is not None and [p.name for p in db.playlists.summaries()] == ["Party"]
        songs = [_song(n) for n in (1, 2, 3)]
        # "Add to playlist" → "Party" in a song list's context menu
        for song in songs:
            menu = QMenu()
            actions = window.song_actions.menu_actions(song, menu)
            submenu = _submenu(actions)
            await window.song_actions.settled()  # the playlists are read off the GUI thread
            _menu_action(submenu, "Party").trigger()
        await settle(window, page)
        assert [s.key for s in page.songs()] == [s.key for s in songs]
        # drag the last song to the top (a drop moves the row in the list's model)
        model = page.items.model()
        assert model.moveRows(QModelIndex(), 2, 1, QModelIndex(), 0)
        order = [songs[2].key, songs[0].key, songs[1].key]
        await until(lambda: not page.items._sync_pending, page.items.orderTaken)  # after the drop
        await settle(window, page)
        assert [e.key for e in db.playlists.entries(party)] == order
        assert [s.key for s in page.songs()] == order
        # and with the keyboard: Ctrl+Down on the first row
        page.items.setCurrentRow(0)
        qtbot.keyClick(page.items, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # type: ignore[no-untyped-call]
        await settle(window, page)
        order = [songs[0].key, songs[2].key, songs[1].key]
        assert [e.key for e in db.playlists.entries(party)] == order
        assert page.items.currentRow() == 1
        page.items.setCurrentRow(0)
        qtbot.keyClick(page.items, Qt.Key.Key_Delete)  # type: ignore[no-untyped-call]
        await settle(window, page)
        order = [songs[2].key, songs[1].key]
        assert [e.key for e in db.playlists.entries(party)] == order
        page.rename_selected("Friday")
        page.duplicate_selected()
        await settle(window, page)
        copy = page.selected_id()
        assert copy is not None and copy != party and db.playlists.get(copy).name.startswith("Friday")
        assert [e.key for e in db.playlists.entries(copy)] == order
        # export → delete → import gives the playlist back (file dialog replaced by a path)
        page.select(party)
        target = tmp_path / "friday.json"
        page.choose_export_path = lambda name: target if name == "Friday" else None
        page.export_selected()
        await settle(window, page)
        assert target.stat().st_size > 0
        page.delete_selected()
        await settle(window, page)
        assert party not in [p.id for p in db.playlists.summaries()]
        page.choose_import_path = lambda: target
        page.import_file()
        await settle(window, page)
        imported = page.selected_id()
        assert imported is not None and imported not in (party, copy)
        assert db.playlists.get(imported).name.startswith("Friday")
        assert [e.key for e in db.playlists.entries(imported)] == order

    run(qloop, scenario())


def test_m3u8_round_trip_keeps_missing_files_listed(
    window: MainWindow, tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    db = window.services.user_db
    assert db is not None
    files = [tmp_path / "a.mkv", tmp_path / "b.mkv"]
    for file in files:
        file.write_bytes(b"not really a video")
    local = [_song(n, "local", str(file)) for n, file in enumerate(files)]
    page = window.my_playlists_page

    async def scenario() -> None:
        page.create_playlist("Local")
        await settle(window, page)
        playlist = page.selected_id()
        assert playlist is not None
        for song in local:
            window.song_actions.add_to_playlist(song, playlist)
        await settle(window, page)
        page.choose_export_path = lambda _name: tmp_path / "local.m3u8"
        page.export_selected()
        await settle(window, page)
        files[1].unlink()  # a file goes missing before the import
        page.choose_import_path = lambda: tmp_path / "local.m3u8"
        page.import_file()
        await settle(window, page)
        imported = page.selected_id()
        assert imported is not None and imported != playlist
        entries = db.playlists.entries(imported)
        assert [e.key for e in entries] == [s.key for s in local]  # never dropped
        assert entries[1].unavailable is Unavailable.FILE_MISSING
        assert "moved or deleted" in page.items.item(1).toolTip()
        assert page.items.item(0).toolTip() == ""

    run(qloop, scenario())


def test_a_bad_import_file_says_why_and_changes_nothing(
    window: MainWindow, tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    db = window.services.user_db
    assert db is not None
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    page = window.my_playlists_page
    page.choose_import_path = lambda: bad

    async def scenario() -> None:
        page.import_file()
        await settle(window, page)

    run(qloop, scenario())
    assert "not a valid ktvdesk playlist file" in page.status.text()
    assert db.playlists.summaries() == []


def test_kiosk_pages_have_no_file_dialogs(window: MainWindow) -> None:
    page = MyPlaylistsPage(window.song_actions, allow_files=False)
    assert "import" not in page.buttons and "export" not in page.buttons
    asked: list[str] = []
    page.choose_import_path = lambda: asked.append("import")  # type: ignore[assignment,func-returns-value]
    page.import_file()
    assert asked == []


def _saved_queue(data_dir: Path, songs: list[Song]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with UserDatabase(data_dir / DEFAULT_FILE_NAME) as db:
        db.queue.save(songs, 0, 42_000)


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_restore_prompt(qtbot: QtBot, data_dir: Path, answer: str) -> None:
    songs = [_song(n) for n in (1, 2, 3)]
    _saved_queue(data_dir, songs)
    services = _services()
    session = services.session
    assert session is not None and services.saved_queue is not None
    win = MainWindow(services)
    qtbot.addWidget(win)
    try:
        box = win.offer_queue_restore()
        assert box is not None and box.isVisible()
        assert "3 song(s) were in the queue" in box.informativeText()
        assert "Song 1 — Singer 1" in box.informativeText()
        session.enqueue(_song(9))  # queued before answering: must not overwrite the saved queue
        assert services.user_db is not None
        assert [s.key for s in services.user_db.queue.load().songs] == [s.key for s in songs]
        button = box.button(
            QMessageBox.StandardButton.Yes if answer == "yes" else QMessageBox.StandardButton.No
        )
        assert isinstance(button, QPushButton)
        button.click()
        _flush(services)
        queued = [entry.item.key for entry in session.upcoming]
        stored = [s.key for s in services.user_db.queue.load().songs]
        if answer == "yes":
            assert queued == [_song(9).key] + [s.key for s in songs]
            assert stored == queued  # saved again at once, with the song queued meanwhile
        else:
            assert queued == [_song(9).key]
            session.enqueue(_song(10))  # from now on every change is saved
            _flush(services)
            assert services.user_db.queue.load().songs[-1].key == _song(10).key
        assert services.saved_queue is None and win.offer_queue_restore() is None
    finally:
        _close(services)


def test_kiosk_restores_without_asking(data_dir: Path) -> None:
    songs = [_song(n) for n in (1, 2)]
    _saved_queue(data_dir, songs)
    services = _services()
    assert services.session is not None
    try:
        restored = services.restore_queue(accept=True)
        assert [s.key for s in restored] == [s.key for s in songs]
        assert [e.item.key for e in services.session.upcoming] == [s.key for s in songs]
        assert services.restore_queue(accept=True) == []  # once
    finally:
        _close(services)


@needs_vlc
def test_a_finished_song_is_in_history_most_and_recently_sung(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(tmp_path, monkeypatch, qloop)
    session = services.session
    assert session is not None and services.library is not None and services.user_db is not None
    db = services.user_db
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    win.nav.setCurrentRow(5)
    page = win.history_page
    bridge = win.bridge

    async def scenario() -> None:
        await services.start()
        assert services.library is not None
        [song] = (await services.library.search("送别")).items
        session.enqueue(song)
        assert services.user_data is not None
        await services.user_data.flush()  # the writer thread has stored it
        assert [s.key for s in db.queue.load().songs] == [song.key]  # persisted on the change
        await until(lambda: session.state is PlayerState.PLAYING, bridge.stateChanged)
        duration = session.duration_ms()
        assert duration is not None
        session.seek(duration - 1500)
        await until(lambda: session.now_playing is None, bridge.nowPlayingChanged)
        # Read back off the GUI thread once the song ended (the model resets when it arrives).
        await until(lambda: bool(page.songs.songs), page.songs.table.song_model.modelReset)
        assert [s.title for s in page.songs.songs] == ["送别"]
        for view in ("most", "recent"):
            page.view_buttons[view].click()
            await page.settled()
            assert page.view == view and [s.title for s in page.songs.songs] == ["送别"]

    run(qloop, scenario(), then_close=services)
    with UserDatabase(tmp_path / "data" / DEFAULT_FILE_NAME) as reopened:
        [play] = reopened.history.page().items
        assert play.outcome is PlayOutcome.COMPLETED and play.vocal_mode == "original"
        assert play.listened_ms >= (play.song.duration_ms or 0) - 2500
        assert [s.song.title for s in reopened.history.most_sung()] == ["送别"]
        assert reopened.queue.load().entries == ()  # the queue ran out


def test_details_dialog_adds_to_a_playlist(window: MainWindow, qloop: asyncio.AbstractEventLoop) -> None:
    db = window.services.user_db
    assert db is not None
    page = window.my_playlists_page
    song = _song(5)

    async def open_details() -> None:
        page.create_playlist("Party")
        await settle(window, page)
        window.song_actions.details(song)  # the context menu's Details
        await until(lambda: window.song_actions.details_song == song, window.song_actions.detailsReady)

    run(qloop, open_details())
    [party] = [p.id for p in db.playlists.summaries()]
    box = window.details_box
    button = box.findChild(QPushButton, "detailsAddToPlaylist")
    assert box.isVisible() and button is not None and button.menu() is not None

    async def add() -> None:
        await window.song_actions.settled()  # the menu's playlists were read meanwhile
        _menu_action(button.menu(), "Party").trigger()
        await settle(window, page)

    run(qloop, add())
    assert [e.key for e in db.playlists.entries(party)] == [song.key]
    assert box.isVisible()  # the details stay open


@pytest.fixture
def storage_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of every transaction and read on a user database from now on."""
    seen: list[str] = []
    for name in ("transaction", "reading"):
        original = getattr(Database, name)

        def spy(self: Database, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            seen.append(threading.current_thread().name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Database, name, spy)
    return seen


def test_favourites_and_the_playlist_menu_stay_off_the_gui_thread(
    window: MainWindow, qloop: asyncio.AbstractEventLoop, storage_threads: list[str]
) -> None:
    actions = window.song_actions
    loved, other = _song(1), _song(2)
    marks: list[bool] = []
    actions.favoriteKeysKnown.connect(lambda: marks.append(actions.is_favorite(loved)))

    async def scenario() -> None:
        assert not actions.is_favorite(loved)  # not known yet: the keys are being read
        actions.toggle_favorite(loved)  # the context menu's Add to favorites
        menu = QMenu()
        submenu = _submenu(actions.menu_actions(other, menu))
        assert "Loading…" in [a.text() for a in submenu.actions()]  # shown at once, filled in later
        window.my_playlists_page.create_playlist("Party")
        await settle(window, window.my_playlists_page)
        assert actions.is_favorite(loved) and not actions.is_favorite(other)
        assert marks == [False]  # the keys came back before the toggle was stored
        submenu = _submenu(actions.menu_actions(other, menu))
        await actions.settled()
        assert [a.text() for a in submenu.actions() if a.text()] == ["Party", "New playlist…"]
        actions.toggle_favorite(loved)  # … and Remove from favorites
        await actions.settled()
        assert not actions.is_favorite(loved)

    run(qloop, scenario())
    assert storage_threads, "nothing was read or stored"
    assert set(storage_threads) <= {THREAD_NAME + "_0"}, storage_threads
