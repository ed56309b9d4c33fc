"""The microphone section of the desktop Settings page and the kiosk admin panel: which
capture device scoring listens to, a live input level meter, and the latency calibration
(a click played and heard back), stored per device like the lyric calibration."""

from __future__ import annotations

import logging
import math
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from ktvdesk.device_prefs import DevicePrefs
from ktvdesk.errors import KtvError
from ktvdesk.playback.backend import MediaOptions, PlayerBackend
from ktvdesk.playback.clock import PlaybackClock
from ktvdesk.singing.audio import write_wav
from ktvdesk.singing.calibration import Calibration, ClickPlayer, click_track, measure_latency_through
from ktvdesk.singing.microphone import InputDevice, MicrophoneSource, SoundDeviceMicrophone, input_devices
from ktvdesk.singing.pitch import Samples
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.kiosk.touch import MIN_TARGET_PX, big_button

log = logging.getLogger(__name__)

DEFAULT_MICROPHONE = "default"  # the key of the system's default input in the device preferences
METER_POLL_MS = 50
METER_FLOOR_DB = -60.0  # the meter's empty end; 0 dBFS is full


def microphone_key(prefs: DevicePrefs) -> str:
    """The name the chosen microphone's calibration is stored under."""
    return prefs.microphone or DEFAULT_MICROPHONE


def level_percent(block: Samples) -> int:
    """A block's RMS level on the meter's dB scale, 0–100."""
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64)))) if block.size else 0.0
    db = 20 * math.log10(rms) if rms > 0 else METER_FLOOR_DB
    return round(max(0.0, min(1.0, (db - METER_FLOOR_DB) / -METER_FLOOR_DB)) * 100)


class BackendClicks:
    """The calibration click track through a libVLC player on the app's own audio output
    (the output module and device the music plays on), timed by a `PlaybackClock` as the
    song is: so calibration measures the offset scoring has to remove, not a side path."""

    def __init__(self, make_backend: Callable[[], PlayerBackend], audio_device: str | None = None) -> None:
        self._make_backend = make_backend
        self._audio_device = audio_device
        audio, self.onsets_ms = click_track()
        with tempfile.NamedTemporaryFile(prefix="ktvdesk-clicks-", suffix=".wav", delete=False) as file:
            self._path = Path(file.name)
        write_wav(self._path, audio)
        self._backend: PlayerBackend | None = None
        self._clock: PlaybackClock | None = None

    def start(self) -> None:
        backend = self._make_backend()
        self._backend = backend
        set_device = getattr(backend, "set_audio_device", None)
        if self._audio_device and callable(set_device):
            set_device(self._audio_device)
        backend.open(str(self._path), MediaOptions())
        self._clock = PlaybackClock(backend)
        backend.play()

    def media_ms(self) -> int:
        return self._clock.now_ms() if self._clock is not None else 0

    def stop(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.stop()
            close = getattr(backend, "close", None)
            if callable(close):
                close()
        self._path.unlink(missing_ok=True)


def vlc_clicks(prefs: DevicePrefs) -> ClickPlayer:
    """The click track on libVLC's default output and the device chosen for the music."""
    from ktvdesk.playback.vlc_backend import VlcBackend

    return BackendClicks(VlcBackend, prefs.audio_device)


class _LevelSink:
    """Takes capture blocks on PortAudio's thread; the GUI polls the last level."""

    def __init__(self) -> None:
        self.level = 0
        self.blocks = 0

    def __call__(self, block: Samples, captured_ns: int) -> None:
        self.level = level_percent(block)
        self.blocks += 1


class MicrophonePanel(QGroupBox):
    latencyMeasured = Signal(str, int)  # microphone key, round trip in ms
    microphoneChosen = Signal(str)  # microphone key
    _calibrated = Signal(object)  # Calibration or KtvError, from the calibration thread

    def __init__(
        self,
        prefs: DevicePrefs,
        save: Callable[[], None],
        *,
        language: Callable[[], str] = lambda: "en",
        touch: bool = False,
        devices: Callable[[], list[InputDevice]] = input_devices,
        microphone: Callable[[str | None], MicrophoneSource] = SoundDeviceMicrophone,
        clicks: Callable[[DevicePrefs], ClickPlayer] = vlc_clicks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Microphone (scoring)"), parent)
        self.setObjectName("micPanel")
        self.prefs = prefs
        self._save = save
        self._language = language
        self._make_microphone = microphone
        self._clicks = clicks
        self._meter_mic: MicrophoneSource | None = None
        self._sink = _LevelSink()
        self.calibrating = False
        form = QFormLayout(self)
        self.device_box = QComboBox()
        self.device_box.setObjectName("micDevice")
        self.device_box.activated.connect(self._chosen)
        form.addRow(tr("Microphone"), self.device_box)
        self.second_box = QComboBox()
        self.second_box.setObjectName("micDevice2")
        self.second_box.setToolTip(tr("Player 2's microphone: duets are scored per part"))
        self.second_box.activated.connect(self._second_chosen)
        form.addRow(tr("Second microphone (duets)"), self.second_box)
        self.level = QProgressBar()
        self.level.setObjectName("micLevel")
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.test_button = self._button(tr("Test the microphone"), "micTest", touch)
        self.test_button.setCheckable(True)
        self.test_button.toggled.connect(self._test_toggled)
        form.addRow(tr("Input level"), self.level)
        form.addRow("", self.test_button)
        self.calibrate_button = self._button(tr("Calibrate latency"), "micCalibrate", touch)
        self.calibrate_button.setToolTip(tr("Plays a click and times how long it takes to be heard back"))
        self.calibrate_button.clicked.connect(self.calibrate)
        form.addRow("", self.calibrate_button)
        self.latency_label = QLabel()
        self.latency_label.setObjectName("micLatency")
        form.addRow(tr("Latency"), self.latency_label)
        self.status = QLabel()
        self.status.setObjectName("micStatus")
        self.status.setWordWrap(True)
        form.addRow("", self.status)
        if touch:
            self.device_box.setMinimumHeight(MIN_TARGET_PX)
            self.second_box.setMinimumHeight(MIN_TARGET_PX)
        self._poll = QTimer(self)
        self._poll.setInterval(METER_POLL_MS)
        self._poll.timeout.connect(self._show_level)
        self._calibrated.connect(self._on_calibrated)
        self.fill(devices())

    @staticmethod
    def _button(text: str, name: str, touch: bool) -> QPushButton:
        if touch:
            return big_button(text, name=name)
        button = QPushButton(text)
        button.setObjectName(name)
        return button

    # -- devices ------------------------------------------------------------------------

    def fill(self, devices: list[InputDevice]) -> None:
        self.device_box.clear()
        self.device_box.addItem(tr("System default"), None)
        for device in devices:
            self.device_box.addItem(device.name, device.name)
        chosen = self.device_box.findData(self.prefs.microphone) if self.prefs.microphone else 0
        self.device_box.setCurrentIndex(max(0, chosen))
        self.second_box.clear()
        self.second_box.addItem(tr("None"), None)
        for device in devices:
            self.second_box.addItem(device.name, device.name)
        second = self.second_box.findData(self.prefs.microphone2) if self.prefs.microphone2 else 0
        self.second_box.setCurrentIndex(max(0, second))
        usable = bool(devices)
        for widget in (self.device_box, self.second_box, self.test_button, self.calibrate_button):
            widget.setEnabled(usable)
        self.status.setText("" if usable else tr("No microphone found: scoring is off"))
        self._show_latency()

    def _chosen(self, index: int) -> None:
        self.stop_meter()
        name = self.device_box.itemData(index)
        self.prefs.microphone = name if isinstance(name, str) else None
        self._save()
        self._show_latency()
        self.microphoneChosen.emit(microphone_key(self.prefs))

    def _second_chosen(self, index: int) -> None:
        name = self.second_box.itemData(index)
        self.prefs.microphone2 = name if isinstance(name, str) else None
        self._save()

    def _show_latency(self) -> None:
        latency = self.prefs.mic_latency_ms.get(microphone_key(self.prefs))
        self.latency_label.setText(tr("Not calibrated") if latency is None else tr("{0} ms").format(latency))

    # -- the level meter ----------------------------------------------------------------

    def _test_toggled(self, on: bool) -> None:
        if on:
            self.start_meter()
        else:
            self.stop_meter()

    def start_meter(self) -> bool:
        if self._meter_mic is not None or self.calibrating:
            return self._meter_mic is not None
        mic = self._make_microphone(self.prefs.microphone)
        self._sink = _LevelSink()
        try:
            mic.start(self._sink)
        except KtvError as exc:
            self._say_error(exc)
            self._set_test_checked(False)
            return False
        self._meter_mic = mic
        self._set_test_checked(True)
        self._poll.start()
        return True

    def stop_meter(self) -> None:
        mic, self._meter_mic = self._meter_mic, None
        self._poll.stop()
        if mic is not None:
            mic.stop()
        self.level.setValue(0)
        self._set_test_checked(False)

    def _set_test_checked(self, on: bool) -> None:
        self.test_button.blockSignals(True)
        self.test_button.setChecked(on)
        self.test_button.blockSignals(False)

    def _show_level(self) -> None:
        self.level.setValue(self._sink.level)

    @property
    def blocks_heard(self) -> int:
        return self._sink.blocks

    # -- latency calibration ------------------------------------------------------------

    def calibrate(self) -> None:
        """Runs off the GUI thread (it listens for a few seconds); the result comes back
        through a queued signal."""
        if self.calibrating:
            return
        self.stop_meter()
        self.calibrating = True
        self.calibrate_button.setEnabled(False)
        self.status.setText(tr("Listening for the click…"))
        mic = self._make_microphone(self.prefs.microphone)

        def work() -> None:
            result: Calibration | KtvError
            try:
                result = measure_latency_through(mic, self._clicks(self.prefs))
            except KtvError as exc:
                result = exc
            self._calibrated.emit(result)

        threading.Thread(target=work, name="mic-calibration", daemon=True).start()

    def _on_calibrated(self, result: object) -> None:
        self.calibrating = False
        self.calibrate_button.setEnabled(True)
        if isinstance(result, KtvError):
            self._say_error(result)
            return
        assert isinstance(result, Calibration)
        key = microphone_key(self.prefs)
        log.info(
            "microphone %s: %d ms, clicks %s (spread %d ms)",
            key,
            result.latency_ms,
            result.clicks_ms,
            result.spread_ms,
        )
        self.prefs.mic_latency_ms[key] = result.latency_ms
        self._save()
        self._show_latency()
        self.status.setText(tr("Calibrated: {0} ms").format(result.latency_ms))
        self.latencyMeasured.emit(key, result.latency_ms)

    def _say_error(self, exc: KtvError) -> None:
        self.status.setText(exc.message(self._language()))

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop_meter()  # the meter listens only while someone looks at it
        super().hideEvent(event)
