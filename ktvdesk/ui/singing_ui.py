"""Wires the scoring controller to the screens: a pitch lane over each lyric view (the
main window's, the stage's, the kiosk stage's), rating pop-ups, the final score screen, and
the 评分 switches (greyed with the reason when there is no microphone or no reference).

Views come and go (a stage opened later, the window rebuilt in another language): they are
added with `add_view`/`add_switch`, and a closed window's are dropped with `drop`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractButton, QWidget

from ktvdesk.scoring import (
    ControllerEvent,
    FinalScore,
    ReferenceReady,
    ScoreRecord,
    ScoringState,
    SingingController,
    keep_score,
)
from ktvdesk.singing.pipeline import LineDone, MicLost, MicRestored, SungFrame
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.lyric_view import LyricView
from ktvdesk.ui.mic_settings import microphone_key
from ktvdesk.ui.pitch_lane import PitchLane
from ktvdesk.ui.score_screen import ScoreScreen

if TYPE_CHECKING:
    from ktvdesk.services import AppServices
    from ktvdesk.ui.kiosk.window import KioskWindow
    from ktvdesk.ui.main_window import MainWindow


class SingingScreens:
    def __init__(
        self,
        controller: SingingController,
        lyric_views: Sequence[LyricView],
        clock: Callable[[], int],
        switch: QAbstractButton | None = None,
    ) -> None:
        self.controller = controller
        self._clock = clock
        self.switches: list[QAbstractButton] = []
        self.lanes: list[PitchLane] = []
        self.score_screens: list[ScoreScreen] = []
        for view in lyric_views:
            self.add_view(view)
        if switch is not None:
            self.add_switch(switch)
        self._unsubscribe = controller.subscribe(self.on_event)

    @property
    def switch(self) -> QAbstractButton | None:
        return self.switches[0] if self.switches else None

    def add_view(self, view: LyricView) -> PitchLane:
        """A lane over `view` (once), showing the current song's melody if one is ready."""
        for lane in self.lanes:
            if lane.parent() is view:
                return lane
        lane = PitchLane()
        lane.set_clock(self._clock)
        lane.hide()
        view.set_top_strip(lane)
        self.lanes.append(lane)
        self.score_screens.append(ScoreScreen(view))
        melody = self.controller.melody
        if melody is not None and self.controller.state.listening:
            lane.set_melody(melody)
            lane.start()
        return lane

    def add_switch(self, switch: QAbstractButton) -> None:
        if switch in self.switches:
            return
        self.switches.append(switch)
        switch.toggled.connect(self._toggled)
        self._show_state(self.controller.state)

    def drop(self, root: QWidget) -> None:
        """Forget the lanes and switches inside `root` (a window closed or replaced)."""

        def inside(widget: QWidget) -> bool:
            return widget is root or root.isAncestorOf(widget)

        kept = [
            (lane, screen)
            for lane, screen in zip(self.lanes, self.score_screens, strict=True)
            if not inside(lane)
        ]
        for lane in self.lanes:
            if inside(lane):
                lane.stop()
        self.lanes = [lane for lane, _ in kept]
        self.score_screens = [screen for _, screen in kept]
        for switch in [s for s in self.switches if inside(s)]:
            switch.toggled.disconnect(self._toggled)
            self.switches.remove(switch)

    def _toggled(self, on: bool) -> None:
        if self.controller.state.enabled != on:
            self.controller.set_enabled(on)
        self._show_state(self.controller.state)  # a refused switch goes back off

    def on_event(self, event: ControllerEvent) -> None:
        if isinstance(event, SungFrame):
            for lane in self.lanes:
                lane.add_frame(event.frame, event.captured_ns, event.player)
        elif isinstance(event, LineDone):
            for lane in self.lanes:
                lane.show_rating(event.result)
        elif isinstance(event, ReferenceReady):
            for lane in self.lanes:
                lane.set_melody(event.melody)
                lane.set_message(None)
                lane.start()
        elif isinstance(event, FinalScore):
            for lane in self.lanes:
                lane.stop()
                lane.set_melody(None)
            for screen in self.score_screens:
                screen.show_score(event)
        elif isinstance(event, MicLost):
            for lane in self.lanes:
                lane.set_message(tr("Microphone disconnected: scoring paused"))
        elif isinstance(event, MicRestored):
            for lane in self.lanes:
                lane.set_message(None)
        elif isinstance(event, ScoringState):
            self._show_state(event)

    def _show_state(self, state: ScoringState) -> None:
        if state.notice is not None:  # (the controller's only notice: a duet on one microphone)
            for lane in self.lanes:
                lane.set_message(tr("Duet with one microphone: only player 1 is scored"))
        if not state.available:
            tip = tr("No scoring: {0}").format(state.reason or "")
        elif state.enabled and state.reason:
            tip = tr("No score for this song: {0}").format(state.reason)
        else:
            tip = tr("Score my singing (评分)")
        for switch in self.switches:
            switch.setEnabled(state.available)
            switch.blockSignals(True)
            switch.setChecked(state.enabled)
            switch.blockSignals(False)
            switch.setToolTip(tip)

    def close(self) -> None:
        self._unsubscribe()


def make_controller(services: AppServices) -> SingingController | None:
    """The app's one scoring controller: the chosen microphone (Settings), its calibrated
    latency read at each song start, the switch's last state, scores into the user database."""
    from ktvdesk.catalog.local.melody_cache import MelodyCache
    from ktvdesk.singing.microphone import SoundDeviceMicrophone, no_microphone_reason

    session = services.session
    if session is None:
        return None
    library = services.library
    cache = MelodyCache(library.index.db_path) if library is not None else None
    device = services.device

    async def record(score: ScoreRecord) -> float | None:
        user_data = services.user_data
        if user_data is None or user_data.closed:
            return None
        return await user_data.run(lambda db: keep_score(db.scores, score))

    controller = SingingController(
        session,
        ReferenceFinder(cache=cache),
        lambda: SoundDeviceMicrophone(device.microphone),
        second_microphone=(
            (lambda: SoundDeviceMicrophone(device.microphone2)) if device.microphone2 is not None else None
        ),
        no_microphone_reason=no_microphone_reason(),
        latency_of=lambda: device.mic_latency_ms.get(microphone_key(device), 0),
        record_score=record,
        enabled=device.scoring,
    )

    def remember(event: ControllerEvent) -> None:
        if isinstance(event, ScoringState) and event.available and device.scoring != event.enabled:
            device.scoring = event.enabled
            services.save_device_prefs()

    controller.subscribe(remember)
    return controller


def install_singing(window: MainWindow) -> SingingScreens | None:
    """Scoring for the main window's session: controller, lanes, the 评分 switch. The
    window keeps it (`window.singing`) and hands it on to its stage and its successor."""
    controller = make_controller(window.services)
    session = window.services.session
    if controller is None or session is None:
        return None
    screens = SingingScreens(controller, [], session.now_ms)
    adopt(screens, window)
    return screens


def adopt(screens: SingingScreens, window: MainWindow) -> None:
    """Put `window`'s lyric view, stage and 评分 switch on the scoring screens."""
    window.singing = screens
    screens.add_view(window.lyric_view)
    if window.stage is not None:
        screens.add_view(window.stage.lyrics)
    screens.add_switch(window.now_bar.score_box)


def install_kiosk_singing(window: KioskWindow) -> SingingScreens | None:
    """Scoring in kiosk mode: the big 评分 button and a lane on the stage's lyrics."""
    controller = make_controller(window.services)
    session = window.services.session
    if controller is None or session is None:
        return None
    stage_lyrics = getattr(window.stage, "lyrics", None)
    views = [stage_lyrics] if isinstance(stage_lyrics, LyricView) else []
    screens = SingingScreens(controller, views, session.now_ms, window.score_button)
    window.singing = screens
    return screens
