"""Item 11 of issue 16: the words the user reads.

Category headers in the user's language, the playback status translated, plural counts
through `%n` (never `tr()` inside an f-string, which is never extracted), a garbage
`.lrc` no longer shown as lyrics, and an imported playlist never doubling a name."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ktvdesk import paths
from ktvdesk.storage.playlist_json import export_json_file
from ktvdesk.ui.about import AboutDialog
from ktvdesk.ui.i18n import install_translator, tr
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import make_services, run, until

UI = Path(__file__).resolve().parents[3] / "ktvdesk" / "ui"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_no_tr_inside_f_strings() -> None:
    offenders = []
    for source in sorted(UI.rglob("*.py")):
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"""tr\(f["']|\{tr\(|tr\(["'][^"']*\{0\} songs""", line):
                offenders.append(f"{source.name}:{number}: {line.strip()}")
    assert offenders == []


def test_category_headers_follow_the_english_ui(window: MainWindow, qloop: asyncio.AbstractEventLoop) -> None:
    win = window
    page = win.tags_page
    win.nav.setCurrentRow(1)

    library = win.services.library
    assert library is not None
    page._show(run(qloop, library.tags()))  # the groups the page shows, in the same call it makes
    groups = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    headers = [group.text(0) for group in groups if group is not None]
    assert headers and not any(CJK.search(h) for h in headers), headers
    assert "Genre" in headers and "Title length" in headers
    lengths = next(g for g in groups if g is not None and g.text(0) == "Title length")
    children = [lengths.child(i) for i in range(lengths.childCount())]
    names = [child.text(0) for child in children if child is not None]
    assert names and all(re.fullmatch(r"\d+ character\(s\)", name) for name in names), names


def test_chinese_status_and_counts(qapp: object, qtbot: QtBot) -> None:
    install_translator(qapp, "zh_CN")  # type: ignore[arg-type]
    try:
        assert tr("%n song(s)", None, 3) == "3 首歌"
        dialog = AboutDialog(None, playback_status="libVLC 3.0.24 (audio filters available)")
        qtbot.addWidget(dialog)
        texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "音效处理可用" in texts and "audio filters" not in texts
    finally:
        install_translator(qapp, "en")  # type: ignore[arg-type]


def test_garbage_lrc_is_not_lyrics_and_imports_get_a_free_name(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    songs = tmp_path / "songs"
    songs.mkdir()
    shutil.copy(paths.demo_library_dir() / "李叔同 - 送别.mkv", songs / "x.mkv")
    (songs / "x.lrc").write_bytes(b"\x00\x01 this is no lyric file \xff\xfe")
    monkeypatch.setenv("KTVDESK_DEMO_DIR", str(tmp_path / "no-demo"))
    services = make_services(tmp_path, monkeypatch, qloop, library_dirs=[songs])
    run(qloop, services.start())
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    db = services.user_db
    assert db is not None and services.scan_report is not None
    assert any(
        path.endswith("x.lrc") and "lyrics not used" in why for path, why in services.scan_report.skipped
    )

    async def scenario() -> None:
        page = win.search_page
        page.box.setText("送别")
        page.search_now()
        await until(lambda: bool(page.results.songs), page.results.stateChanged)
        model = page.results.table.song_model
        assert "Lyrics" not in model.index(0, 4).data()
        assert not page.results.songs[0].has_lyrics
        # The same playlist imported twice: "Party", then "Party (2)", never two "Party".
        playlist_id = db.playlists.create("Party", list(page.results.songs))
        exported = tmp_path / "party.json"
        export_json_file(db, exported, [playlist_id])
        my = win.my_playlists_page
        my.choose_import_path = lambda: exported
        my.import_file()  # stored on the user database's thread; "imported" says when
        await until(lambda: len(db.playlists.summaries()) == 2, win.song_actions.message, timeout_s=60)
        names = sorted(p.name for p in db.playlists.summaries())
        assert names == ["Party", "Party (2)"]

    run(qloop, scenario(), then_close=services)
