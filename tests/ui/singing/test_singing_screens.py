"""The pitch lane, rating pop-up, score screen and 评分 switch, painted offscreen.

The events are the controller's own types, emitted here by a real `SingingController`
beside a session with no player (the live path is tested in tests/integration/singing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox

from ktvdesk.models import Song
from ktvdesk.scoring import FinalScore, ReferenceReady, SingingController
from ktvdesk.session import KaraokeSession
from ktvdesk.singing.melody import Melody, MelodySource, Note, NoteKind
from ktvdesk.singing.microphone import FileMicrophone
from ktvdesk.singing.pipeline import LineDone, MicLost, SungFrame
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.singing.scorer import FrameResult, LineResult, Rating, ScoreResult
from ktvdesk.ui.lyric_view import LyricView
from ktvdesk.ui.singing_ui import SingingScreens

MELODY = Melody(
    (Note(0, 800, 60.0), Note(900, 1800, 64.0, NoteKind.GOLDEN), Note(2000, 3000, 67.0)), MelodySource.NOTES
)


def _has(image: QImage, test: Callable[[int, int, int], bool]) -> bool:
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if test(pixel.red(), pixel.green(), pixel.blue()):
                return True
    return False


def _greenish(r: int, g: int, b: int) -> bool:  # BAR_HIT: a lit note
    return g > 150 and g - r > 50 and g - b > 30


def _goldish(r: int, g: int, b: int) -> bool:  # GOLDEN
    return r > 150 and g > 120 and r - b > 100


def _pinkish(r: int, g: int, b: int) -> bool:  # TRACE
    return r > 150 and r - g > 80 and b > g


def _screens(qtbot: Any, no_mic: str | None = None) -> tuple[SingingScreens, LyricView, QCheckBox, list[int]]:
    session = KaraokeSession({}, None)
    controller = SingingController(
        session, ReferenceFinder(), lambda: FileMicrophone("unused.wav"), no_microphone_reason=no_mic
    )
    view = LyricView()
    qtbot.addWidget(view)
    view.resize(640, 360)
    switch = QCheckBox("Score")
    qtbot.addWidget(switch)
    now = [1000]
    screens = SingingScreens(controller, [view], lambda: now[0], switch)
    view.show()
    return screens, view, switch, now


def test_lane_draws_bars_golden_glow_trace_and_hits(qtbot: Any, tmp_path: Path) -> None:
    screens, _view, _, _now = _screens(qtbot)
    screens.on_event(ReferenceReady(Song(provider="x", id="1", title="t"), MELODY))
    lane = screens.lanes[0]
    assert lane.isVisible() and lane.height() >= 60
    for t in range(0, 1000, 10):  # sung an octave down, on pitch: drawn on the bars, lit
        note = MELODY.notes[0] if t < 600 else None  # 75 % of the note: lit, its end visible
        screens.on_event(SungFrame(FrameResult(t, 48.0 if note else None, note, 1.0 if note else 0.0), 1))
    image = lane.grab().toImage()
    image.save(str(tmp_path / "lane.png"))
    assert _has(image, _pinkish), "no sung trace"
    assert _has(image, _greenish), "the hit note is not lit"
    assert _has(image, _goldish), "no golden note"
    assert lane.painted_ns  # timestamps for the latency bench


def test_rating_popup_microphone_message_and_score_screen(qtbot: Any) -> None:
    screens, _view, _, _ = _screens(qtbot)
    screens.on_event(ReferenceReady(Song(provider="x", id="1", title="t"), MELODY))
    screens.on_event(LineDone(LineResult(0, 0, 1800, 95.0, Rating.PERFECT)))
    screens.on_event(MicLost("microphone disconnected"))
    assert screens.lanes[0]._message is not None
    result = ScoreResult(91.5, "SS", (LineResult(0, 0, 1800, 91.5, Rating.PERFECT),))
    screens.on_event(FinalScore(Song(provider="x", id="1", title="t"), result, "notes", 88.0))
    screen = screens.score_screens[0]
    assert screen.isVisible()
    assert screen.best_text() == "New best for this song!"
    screens.on_event(FinalScore(Song(provider="x", id="1", title="t"), result, "notes", 97.0))
    assert "97.0" in screen.best_text()
    assert not screens.lanes[0].isVisible()


def test_switch_greyed_with_the_reason_without_a_microphone(qtbot: Any) -> None:
    _, _, switch, _ = _screens(qtbot, no_mic="no capture device found")
    assert not switch.isEnabled()
    assert "no capture device found" in switch.toolTip()
    assert not switch.isChecked()


def test_switch_turns_scoring_on_and_off(qtbot: Any) -> None:
    screens, _, switch, _ = _screens(qtbot)
    assert switch.isEnabled()
    switch.setChecked(True)
    assert screens.controller.state.enabled
    switch.setChecked(False)
    assert not screens.controller.state.enabled
