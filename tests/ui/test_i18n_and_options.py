"""Translations (zh_CN through Qt's translator, every string translated) and the GUI's
command-line options that build the services: --provider, --demo-cloud, --stage-screen."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ktvdesk import paths
from ktvdesk.services import AppServices
from ktvdesk.ui.i18n import install_translator
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import start_gui

TS = paths.resources_dir() / "i18n" / "ktvdesk_zh_CN.ts"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    assert install_translator(qapp, "zh_CN")
    yield
    install_translator(qapp, "en")


def sources(ts: Path) -> dict[str, str | None]:
    tree = ElementTree.parse(ts)
    out: dict[str, str | None] = {}
    for message in tree.iter("message"):
        translation = message.find("translation")
        assert translation is not None
        text = translation.text or "".join(form.text or "" for form in translation.findall("numerusform"))
        unfinished = translation.get("type") == "unfinished"
        out[message.findtext("source") or ""] = None if unfinished or not text else text
    return out


def test_main_window_speaks_chinese(chinese: None, qtbot: QtBot, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["搜索", "分类", "歌星", "歌单", "我的收藏", "已唱", "已点", "设置"]
    assert window.play_button.text() == "播放"
    assert window.next_button.text() == "切歌" and window.restart_button.text() == "重唱"
    assert window.provider_box.itemText(0) == "本地曲库"
    assert window.search_page.results.status.text() == "输入文字搜索曲库。"


def test_every_ui_string_is_in_the_ts_and_translated(tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert lupdate is not None, "pyside6-lupdate is missing: PySide6-Essentials ships it (make setup)"
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in (ROOT / "ktvdesk" / "ui").rglob("*.py"))
    assert any("/ui/kiosk/" in f for f in files), "the kiosk shell's strings must be covered too"
    subprocess.run([lupdate, *files, "-ts", str(fresh)], check=True, capture_output=True, timeout=120)
    committed = sources(TS)
    missing = sorted(set(sources(fresh)) - set(committed))
    assert missing == [], "run `make i18n` and translate: " + repr(missing)
    untranslated = sorted(source for source, text in committed.items() if text is None)
    assert untranslated == []
    qm = TS.with_suffix(".qm")
    assert qm.is_file() and qm.stat().st_size > 1000


def test_stage_screen_and_demo_cloud_options_start_the_app(tmp_path: Path) -> None:
    proc = start_gui(tmp_path, "--debug", "--stage-screen", "0", "--demo-cloud", "--provider", "yinsuda")
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:  # wait for the window, not for a guessed delay
        seen.append(line)
        if "main window shown" in line:
            break
    proc.terminate()
    _, rest = proc.communicate(timeout=60)
    err = "".join(seen) + rest
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "demo cloud (cloudsim) at http://127.0.0.1:" in err
    assert "provider yinsuda is not available" not in err
