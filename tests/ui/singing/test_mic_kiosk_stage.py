"""评分 beyond the main window's bar: the kiosk's big switch, the microphone section of
Settings and of the kiosk admin panel, a stage opened later, the window rebuilt in
another language. Real Qt offscreen, real services on a tmp data dir, a session with no
player (the live audio path is in tests/integration/singing/test_mic_panel_live.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ktvdesk.scoring import SingingController
from ktvdesk.services import AppServices
from ktvdesk.session import KaraokeSession
from ktvdesk.singing.microphone import FileMicrophone, InputDevice
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.ui.kiosk.touch import MIN_TARGET_PX
from ktvdesk.ui.kiosk.window import KioskWindow
from ktvdesk.ui.lyric_view import LyricView
from ktvdesk.ui.main_window import MainWindow
from ktvdesk.ui.singing_ui import SingingScreens, install_kiosk_singing, install_singing

NO_MIC = "no capture device found"


def _services(services: AppServices, tmp_path: Path) -> AppServices:
    services.session = KaraokeSession({}, None)
    services.device_path = tmp_path / "device.json"
    return services


def _kiosk(qtbot: Any, services: AppServices) -> KioskWindow:
    window = KioskWindow(services, pin_hash=lambda: None)
    qtbot.addWidget(window)
    window.release()  # the lock-down filter is app-wide; this test needs none of it
    return window


def test_kiosk_score_button_is_big_and_greyed_with_the_reason(
    qtbot: Any, services: AppServices, tmp_path: Path
) -> None:
    window = _kiosk(qtbot, _services(services, tmp_path))
    button = window.score_button
    assert button.isCheckable() and button.minimumHeight() >= MIN_TARGET_PX
    assert not button.isEnabled()  # not wired yet
    session = services.session
    assert session is not None
    controller = SingingController(
        session, ReferenceFinder(), lambda: FileMicrophone("unused.wav"), no_microphone_reason=NO_MIC
    )
    screens = SingingScreens(controller, [], session.now_ms, button)
    assert not button.isEnabled() and NO_MIC in button.toolTip()
    button.setEnabled(True)  # even if a tap gets through, the controller refuses
    button.click()
    assert not controller.state.enabled and not button.isChecked()
    screens.close()
    controller.close()


def test_install_kiosk_singing_wires_the_button_and_the_stage(
    qtbot: Any, services: AppServices, tmp_path: Path
) -> None:
    window = _kiosk(qtbot, _services(services, tmp_path))
    stage = LyricView()  # the lyrics-only stage has this one view
    stage.lyrics = stage  # type: ignore[attr-defined]
    qtbot.addWidget(stage)
    window.stage = stage
    screens = install_kiosk_singing(window)
    assert screens is not None and window.singing is screens
    assert screens.switch is window.score_button
    assert screens.lanes[0].parent() is stage
    state = screens.controller.state
    assert window.score_button.isEnabled() == state.available
    if not state.available:
        assert state.reason and state.reason in window.score_button.toolTip()
    screens.controller.close()


def test_kiosk_admin_panel_has_the_microphone_with_touch_targets(
    qtbot: Any, services: AppServices, tmp_path: Path
) -> None:
    window = _kiosk(qtbot, _services(services, tmp_path))
    panel = window.mic_panel
    assert window.admin_panel.isAncestorOf(panel)
    for widget in (panel.device_box, panel.test_button, panel.calibrate_button):
        assert widget.minimumHeight() >= MIN_TARGET_PX, widget.objectName()


def test_settings_microphone_choice_is_stored_and_sets_the_latency(
    qtbot: Any, services: AppServices, tmp_path: Path
) -> None:
    services = _services(services, tmp_path)
    window = MainWindow(services)
    qtbot.addWidget(window)
    panel = window.settings_page.mic_panel
    panel.fill([InputDevice(0, "Built-in", True), InputDevice(3, "USB Mic", False)])
    assert panel.device_box.count() == 3 and panel.calibrate_button.isEnabled()
    services.device.mic_latency_ms["USB Mic"] = 120
    panel.device_box.setCurrentIndex(2)
    panel.device_box.activated.emit(2)
    assert services.device.microphone == "USB Mic"
    assert json.loads((tmp_path / "device.json").read_text())["microphone"] == "USB Mic"
    assert panel.latency_label.text() == "120 ms"
    screens = install_singing(window)
    assert screens is not None
    latency_of = screens.controller._latency_of  # what the next song's pipeline gets
    assert latency_of is not None and latency_of() == 120
    panel.fill([])
    assert not panel.calibrate_button.isEnabled() and "No microphone" in panel.status.text()
    screens.controller.close()


def test_a_stage_opened_later_gets_the_lane(qtbot: Any, services: AppServices, tmp_path: Path) -> None:
    window = MainWindow(_services(services, tmp_path))
    qtbot.addWidget(window)
    screens = install_singing(window)
    assert screens is not None and len(screens.lanes) == 1
    stage = window.open_stage()
    qtbot.addWidget(stage)
    assert [lane.parent() for lane in screens.lanes] == [window.lyric_view, stage.lyrics]
    stage.close()
    screens.controller.close()


def test_the_window_rebuilt_in_another_language_is_rewired(
    qtbot: Any, services: AppServices, tmp_path: Path
) -> None:
    window = MainWindow(_services(services, tmp_path))
    qtbot.addWidget(window)
    screens = install_singing(window)
    assert screens is not None
    window._rebuild_in("en")
    successor = window.successor
    assert successor is not None
    qtbot.addWidget(successor)
    assert successor.singing is screens
    assert [lane.parent() for lane in screens.lanes] == [successor.lyric_view]
    assert screens.switches == [successor.now_bar.score_box]
    assert successor.now_bar.score_box.isEnabled() == screens.controller.state.available
    screens.controller.close()


def test_a_duet_draws_two_traces_and_two_scores(qtbot: Any) -> None:
    from ktvdesk.models import Song
    from ktvdesk.scoring import DUET_ONE_MIC, FinalScore, PartScore, ReferenceReady, ScoringState
    from ktvdesk.singing.melody import Melody, MelodySource, Note
    from ktvdesk.singing.pipeline import SungFrame
    from ktvdesk.singing.scorer import FrameResult, ScoreResult
    from tests.ui.singing.test_singing_screens import _has, _pinkish

    duet = Melody((Note(0, 1500, 60.0, player=1), Note(0, 1500, 67.0, player=2)), MelodySource.NOTES)
    session = KaraokeSession({}, None)
    controller = SingingController(session, ReferenceFinder(), lambda: FileMicrophone("unused.wav"))
    view = LyricView()
    qtbot.addWidget(view)
    view.resize(640, 360)
    now = [1000]
    screens = SingingScreens(controller, [view], lambda: now[0])
    view.show()
    song = Song(provider="x", id="1", title="t")
    screens.on_event(ReferenceReady(song, duet))
    lane = screens.lanes[0]
    for t in range(0, 1000, 10):
        screens.on_event(SungFrame(FrameResult(t, 60.0, duet.notes[0], 1.0), 1, player=1))
        screens.on_event(SungFrame(FrameResult(t, 67.0, duet.notes[1], 1.0), 1, player=2))
    image = lane.grab().toImage()
    assert _has(image, _pinkish), "no trace for player 1"
    assert _has(image, lambda r, g, b: b > 200 and g > 180 and r < 130), "no trace for player 2"

    screens.on_event(ScoringState(available=True, enabled=True, listening=True, notice=DUET_ONE_MIC))
    assert lane._message is not None and "player 1" in lane._message

    first, second = ScoreResult(92.0, "SS", ()), ScoreResult(41.0, "C", ())
    duet_parts = (PartScore(1, first, None), PartScore(2, second, 50.0))
    screens.on_event(FinalScore(song, first, "notes", None, duet_parts))
    screen = screens.score_screens[0]
    assert screen.score_text() == "Player 1: 92.0 · Player 2: 41.0"
    assert screen.grade_text() == "SS · C"
    assert screen.best_text() == "Player 1: new best! · Player 2: best 50.0"
    screens.close()
    controller.close()
