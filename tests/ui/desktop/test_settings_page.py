"""Item 7 of issue 16: a real Settings page, written back to config.toml with the user's
comments kept (real SQLite library, real scan, real libVLC, offscreen Qt)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ktvdesk import paths
from ktvdesk.config import load_settings
from ktvdesk.services import AppServices, build_services
from ktvdesk.ui.i18n import install_translator
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import run, until

CONFIG = """\
# the family's karaoke settings
language = "en"  # English for the kids

[playback]
volume = 70  # not too loud
"""


class MemoryKeyring(KeyringBackend):
    """A keyring for this test only: this machine has no Secret Service (no D-Bus session)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


@pytest.fixture
def setup(
    qapp: QApplication,
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[MainWindow, Path]]:
    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text(CONFIG, encoding="utf-8")
    services: AppServices = build_services(load_settings(config, environ={}), aout="dummy", loop=qloop)
    run(qloop, services.start())
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    win.nav.setCurrentRow(7)
    yield win, config
    for window in (win, win.successor):
        if window is not None:
            window.replaced = True  # closing a test window must not quit the app
    run(qloop, services.aclose())
    install_translator(qapp, "en")  # the language test switched the whole app


def test_folders_added_and_removed_rescan_with_progress_and_report(
    setup: tuple[MainWindow, Path], qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    win, config = setup
    page = win.settings_page
    assert str(config) in page.path_label.text()
    songs = tmp_path / "family songs"
    songs.mkdir()
    for suffix in (".mkv", ".lrc"):
        shutil.copy(paths.demo_library_dir() / f"李叔同 - 送别{suffix}", songs / f"小明 - 我们的歌{suffix}")
    (songs / "broken.mp3").write_bytes(b"")  # skipped: empty
    page.pick_folder = lambda _parent: str(songs)
    library = win.services.library
    assert library is not None
    progress_seen: list[int] = []
    page.progress.valueChanged.connect(progress_seen.append)

    async def scenario() -> None:
        page.add_folder_button.click()
        assert page.progress.isVisible()  # the scan goes on in the background
        await until(lambda: not page.scanning, page.rescanned)
        text = config.read_text(encoding="utf-8")
        assert "# the family's karaoke settings" in text and "# not too loud" in text
        assert load_settings(config, environ={}).settings.library.folders == [songs]
        assert [page.folder_list.item(i).text() for i in range(page.folder_list.count())] == [str(songs)]
        assert progress_seen and max(progress_seen) == len(win.services.library_roots)
        assert "skipped" in page.report_label.text()
        rows = [page.skipped.topLevelItem(i) for i in range(page.skipped.topLevelItemCount())]
        skipped = {row.text(0): row.text(1) for row in rows if row is not None}
        broken = next(path for path in skipped if path.endswith("broken.mp3"))
        assert "empty" in skipped[broken]

        async def from_family_folder() -> list[str]:  # the file's tags name it 送别
            return [
                s.path or "" for s in (await library.search("送别")).items if str(songs) in (s.path or "")
            ]

        assert len(await from_family_folder()) == 1
        # Removed again: its songs leave the library, the file keeps its comments.
        page.folder_list.setCurrentRow(0)
        page.remove_folder_button.click()
        await until(lambda: not page.scanning, page.rescanned)
        assert await from_family_folder() == []
        assert load_settings(config, environ={}).settings.library.folders == []
        assert "# not too loud" in config.read_text(encoding="utf-8")

    run(qloop, scenario())


def test_language_applies_at_once(setup: tuple[MainWindow, Path], qloop: asyncio.AbstractEventLoop) -> None:
    win, config = setup
    assert win.nav.item(0).text() == "Search"
    page = win.settings_page
    index = page.language_box.findData("zh_CN")

    async def scenario() -> None:
        page.language_box.setCurrentIndex(index)
        page.language_box.activated.emit(index)
        await until(lambda: win.successor is not None and win.successor.isVisible(), page.saved)

    run(qloop, scenario())
    successor = win.successor
    assert successor is not None and not win.isVisible()
    assert successor.nav.item(0).text() == "搜索"
    assert successor.nav.currentRow() == 7  # still on the Settings page
    assert 'language = "zh_CN"  # English for the kids' in config.read_text(encoding="utf-8")


def test_cloud_secret_goes_to_the_keyring_never_the_file(
    setup: tuple[MainWindow, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    win, config = setup
    page = win.settings_page
    memory = MemoryKeyring()
    previous = keyring.get_keyring()  # before the patch below, or the "restore" keeps `memory`
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    keyring.set_keyring(memory)
    try:
        page.cloud_edits["zego"]["app_id"].setText("1234567")
        page.cloud_edits["zego"]["resource_endpoint"].setText("https://venue.example/ktv")
        page.secret_edits["zego.server_secret"].setText("s3cret-value")
        page.save_cloud("zego")
    finally:
        keyring.set_keyring(previous)
    text = config.read_text(encoding="utf-8")
    assert "s3cret-value" not in text
    settings = load_settings(config, environ={}).settings
    assert settings.zego.app_id == 1234567 and settings.zego.resource_endpoint == "https://venue.example/ktv"
    assert memory.values[("ktvdesk", "zego.server_secret")] == "s3cret-value"
    assert page.secret_edits["zego.server_secret"].text() == ""
    assert "next start" in page.status.text()


def test_refused_value_kiosk_and_calibration(setup: tuple[MainWindow, Path]) -> None:
    win, config = setup
    page = win.settings_page
    page.cloud_edits["yinsuda"]["endpoint"].setText("ftp://nope")
    before = config.read_text(encoding="utf-8")
    page.save_cloud("yinsuda")
    assert config.read_text(encoding="utf-8") == before  # nothing written
    assert "yinsuda.endpoint" in page.status.text() and "http" in page.status.text()
    page.kiosk_boxes["volume_max"].setValue(70)
    page.save_kiosk()
    assert load_settings(config, environ={}).settings.kiosk.volume_max == 70
    page.offset_box.setValue(-250)
    session = win.services.session
    assert session is not None and session.lyric_offset_ms == -250
    assert win.services.device.lyric_offset_ms == -250
