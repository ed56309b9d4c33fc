"""Item 5 of issue 16: songs whose files or folders are gone leave the library at start-up,
and the demo library never comes back twice after the app moved (real SQLite, real scan)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk import paths
from ktvdesk.services import AppServices
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.song_list import LoadState
from tests.ui.conftest import make_services, run, until


def _start(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    loop: asyncio.AbstractEventLoop,
    demo: Path,
    **kwargs: object,
) -> AppServices:
    monkeypatch.setenv("KTVDESK_DEMO_DIR", str(demo))
    services = make_services(tmp_path, monkeypatch, loop, **kwargs)
    run(loop, services.start())
    return services


async def _titles(win: MainWindow, text: str) -> list[str]:
    page = win.search_page
    before = page.results.requests
    page.box.setText(text)
    page.debounce.start()
    await until(
        lambda: page.results.requests > before and page.results.state is not LoadState.LOADING,
        page.results.stateChanged,
    )
    return [song.title for song in page.results.songs]


def test_moved_demo_and_removed_folders_leave_no_duplicates(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_a = tmp_path / "opt-a" / "demo"
    shutil.copytree(paths.demo_library_dir(), install_a)
    mine = tmp_path / "my-songs"
    mine.mkdir()
    for suffix in (".mkv", ".lrc"):
        shutil.copy(install_a / f"李叔同 - 送别{suffix}", mine / f"我的送别{suffix}")

    first = _start(tmp_path, monkeypatch, qloop, install_a, library_dirs=[mine])
    assert first.library is not None
    jasmine_id = first.library.index.search("茉莉花", 5)[0].id
    songs_before = first.library.index.stats().songs
    run(qloop, first.aclose())

    # The app was moved (or upgraded into another folder); my folder left the settings;
    # a file of the demo went missing.
    install_b = tmp_path / "opt-b" / "demo"
    install_b.parent.mkdir()
    install_a.rename(install_b)
    (install_b / "John Newton - Amazing Grace.mkv").unlink()
    second = _start(tmp_path, monkeypatch, qloop, install_b)
    win = MainWindow(second)
    qtbot.addWidget(win)
    win.show()

    async def scenario() -> None:
        assert await _titles(win, "茉莉花") == ["茉莉花"]
        assert await _titles(win, "amazing") == []
        assert "送别" in await _titles(win, "送别")
        library = second.library
        assert library is not None
        assert library.index.search("茉莉花", 5)[0].id == jasmine_id  # same song, same id
        rows = library.index._query("SELECT path FROM songs")  # every row, not only the matches
        paths_now = [bytes(row[0]).decode() for row in rows]
        assert all(p.startswith(str(install_b)) for p in paths_now)
        # my-songs left, Amazing Grace left: two songs fewer.
        assert library.index.stats().songs == songs_before - 2

    run(qloop, scenario(), then_close=second)
