"""The GUI shell as a user starts it: a real process, offscreen Qt, real libVLC probe."""

from __future__ import annotations

import re
import signal
import struct
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.config import Settings
from ktvdesk.services import AppServices, VlcStatus
from ktvdesk.ui.main_window import MainWindow
from tests.ui.conftest import start_gui


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_screenshot_renders_main_window_and_exits(tmp_path: Path) -> None:
    shot = tmp_path / "main.png"
    proc = start_gui(tmp_path, "--screenshot", str(shot), "--lang", "en", "--debug")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    width, height = png_size(shot)
    assert (width, height) == (1280, 800)
    # A first start: the demo library is indexed, then grabbed with its songs listed.
    listed = re.search(r"screenshot .*: (\d+) songs listed", err)
    assert listed is not None and int(listed[1]) > 0, err
    assert "ready (playback on)" in err


def test_screenshot_run_steps_no_task_inside_another(tmp_path: Path) -> None:
    """The grab waits for the song list without running Qt's event loop inside the task
    that loads it: qasync would step another task there, which asyncio refuses ("Cannot
    enter into task … while another task … is being executed") and that task never runs."""
    shot = tmp_path / "main.png"
    proc = start_gui(tmp_path, "--screenshot", str(shot), "--lang", "en", "--debug")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    log_text = (tmp_path / "log" / "ktvdesk.log").read_text(encoding="utf-8")
    assert "screenshot " in log_text and "ready (playback on)" in log_text  # the bench's lines
    for output in (err, log_text):
        for symptom in ("Cannot enter into task", "Exception in callback", "never awaited", "Traceback"):
            assert symptom not in output, output
    assert [line for line in log_text.splitlines() if " ERROR " in line or " CRITICAL " in line] == []


def test_without_libvlc_the_window_opens_and_says_so(tmp_path: Path) -> None:
    shot = tmp_path / "novlc.png"
    proc = start_gui(
        tmp_path,
        "--screenshot",
        str(shot),
        "--debug",
        PYTHON_VLC_LIB_PATH=str(tmp_path / "missing" / "libvlc.so.5"),
    )
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    # The window shows first, libVLC's probe answers in the second step of the start.
    assert "main window shown (playback starting)" in err
    assert "ready (playback off)" in err
    assert png_size(shot) == (1280, 800)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_shuts_down_cleanly(tmp_path: Path, signum: int) -> None:
    proc = start_gui(tmp_path, "--debug")
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:  # wait for the window, not for a guessed delay
        seen.append(line)
        if "main window shown" in line:
            break
    proc.send_signal(signum)
    try:
        _, rest = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the app did not stop after the signal")
    err = "".join(seen) + rest
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "stopped cleanly" in err


def test_invalid_config_is_reported_and_app_starts(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "config.toml").write_text("[playback]\nvolume = 'loud'\n", encoding="utf-8")
    shot = tmp_path / "cfg.png"
    proc = start_gui(tmp_path, "--screenshot", str(shot))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    lines = [line for line in err.splitlines() if "config.toml" in line]
    assert lines and "playback.volume" in lines[0]
    assert shot.exists()


def test_playback_controls_follow_vlc_status(qtbot: QtBot) -> None:
    off = AppServices(settings=Settings(), language="en", vlc=VlcStatus(False, "no libvlc"))
    window = MainWindow(off)
    qtbot.addWidget(window)
    assert not window.banner.isHidden()
    assert "libVLC" in window.banner.text()
    assert all(not button.isEnabled() for button in window.playback_buttons)

    on = MainWindow(AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "ok")))
    qtbot.addWidget(on)
    assert on.banner.isHidden()
    assert all(button.isEnabled() for button in on.playback_buttons)


def test_navigation_switches_pages(qtbot: QtBot, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.nav.setCurrentRow(3)
    assert window.pages.currentIndex() == 3


def test_closing_the_window_quits_the_app(
    qtbot: QtBot, services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Quitting the shared test QApplication would end the test session, so quit() is
    # recorded here; what quit() then does (aboutToQuit → clean shutdown) is proved by
    # the signal tests above on a real process.
    from PySide6.QtCore import QCoreApplication

    calls: list[bool] = []
    monkeypatch.setattr(QCoreApplication, "quit", staticmethod(lambda: calls.append(True)))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.close()
    assert calls == [True]
