"""The now-playing bar: transport, 原唱/伴唱, key, tempo, volume, clip mode, lyric offset,
progress with seek, cover and title. Every control calls the session; the bar redraws
from the session's state when it reports a change."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.playback import VocalMode
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.covers import CoverSlot, cover_path
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.song_list import format_ms
from ktvdesk.ui.vocal_rights import no_original_reason

OFFSET_STEP_MS = 100
COVER_PX = 56


def _small_button(text: str, tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tooltip)
    button.setObjectName("stepButton")
    return button


def _widest(button: QPushButton, texts: tuple[str, ...]) -> None:
    current = button.text()
    width = 0
    for text in texts:
        button.setText(text)
        width = max(width, button.sizeHint().width())
    button.setText(current)
    button.setMinimumWidth(width)


def _widest_label(label: QLabel, texts: tuple[str, ...]) -> None:
    metrics = label.fontMetrics()
    margins = label.contentsMargins()
    label.setMinimumWidth(
        max(metrics.horizontalAdvance(text) for text in texts) + margins.left() + margins.right() + 4
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)


class NowPlayingBar(QFrame):
    def __init__(self, bridge: SessionBridge, initial_volume: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.session = bridge.session
        self.setObjectName("nowPlaying")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 6, 12, 8)
        outer.setSpacing(4)
        progress_row = QHBoxLayout()
        self.elapsed = QLabel("0:00")
        self.elapsed.setObjectName("muted")
        self.progress = QSlider(Qt.Orientation.Horizontal)
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 0)
        self.progress.setToolTip(tr("Drag to seek"))
        self.total = QLabel("0:00")
        self.total.setObjectName("muted")
        progress_row.addWidget(self.elapsed)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.total)
        outer.addLayout(progress_row)

        # Two rows, so the bar fits a 1024×600 touch panel: song and transport below,
        # key / tempo / clips / calibration / volume on the progress row.
        layout = QHBoxLayout()
        outer.addLayout(layout)
        self.cover = QLabel()
        self.cover.setFixedSize(COVER_PX, COVER_PX)
        self.cover_slot = CoverSlot(COVER_PX, self._show_cover, parent=self)  # decoded off the GUI thread
        self.cover.setObjectName("cover")
        layout.addWidget(self.cover)
        self.title = QLabel(tr("Nothing playing"))
        self.title.setObjectName("nowTitle")
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(120)
        layout.addWidget(self.title, 1)

        self.play_button = QPushButton(icon("play"), tr("Play"))
        self.play_button.setObjectName("primary")
        self.play_button.setToolTip(tr("Play / pause (Space)"))
        self.next_button = QPushButton(icon("next"), tr("Next"))
        self.next_button.setToolTip(tr("切歌: next song (N)"))
        self.restart_button = QPushButton(icon("restart"), tr("Restart"))
        self.restart_button.setToolTip(tr("重唱: sing it again from the top (R)"))
        self.vocal_button = QPushButton(icon("mic"), tr("Original"))
        self._no_original: str | None = None  # why 原唱 is not offered for the song playing
        self.vocal_button.setToolTip(tr("原唱/伴唱: original vocal or accompaniment (V)"))
        for button in (self.play_button, self.next_button, self.restart_button, self.vocal_button):
            button.setIconSize(QSize(18, 18))
            layout.addWidget(button)

        self.key_down = _small_button("♭", tr("Key down a semitone (−)"))
        self.key_label = QLabel()
        self.key_label.setObjectName("stepValue")
        self.key_up = _small_button("♯", tr("Key up a semitone (+)"))
        self.tempo_down = _small_button("«", tr("Slower"))
        self.tempo_label = QLabel()
        self.tempo_label.setObjectName("stepValue")
        self.tempo_up = _small_button("»", tr("Faster"))
        for widget in (
            self.key_down,
            self.key_label,
            self.key_up,
            self.tempo_down,
            self.tempo_label,
            self.tempo_up,
        ):
            progress_row.addWidget(widget)

        self.clip_box = QCheckBox(tr("Clips"))
        self.clip_box.setToolTip(tr("Play only the chorus clip of each song"))
        progress_row.addWidget(self.clip_box)
        # 评分: greyed until ui.singing_ui wires it to the scoring controller.
        self.score_box = QCheckBox(tr("Score"))
        self.score_box.setObjectName("scoreSwitch")
        self.score_box.setEnabled(False)
        self.score_box.setToolTip(tr("Scoring is not set up"))
        progress_row.addWidget(self.score_box)
        self.offset_down = _small_button("−", tr("Lyrics later (calibration)"))
        self.offset_label = QLabel()
        self.offset_label.setObjectName("stepValue")
        self.offset_up = _small_button("+", tr("Lyrics earlier (calibration)"))
        for widget in (self.offset_down, self.offset_label, self.offset_up):
            progress_row.addWidget(widget)

        volume_icon = QLabel()
        volume_icon.setPixmap(icon("volume").pixmap(18, 18))
        progress_row.addWidget(volume_icon)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(initial_volume)
        self.volume.setFixedWidth(100)
        self.volume.setToolTip(tr("Volume"))
        progress_row.addWidget(self.volume)
        self.progress.setMinimumWidth(120)
        # Labels that change with the state keep one width: nothing shifts sideways.
        self._fit_buttons()
        _widest_label(self.key_label, (tr("Key {0}").format("+12"),))
        _widest_label(self.tempo_label, ("1.25×",))
        _widest_label(self.offset_label, (tr("Lyrics {0} ms").format("-5000"),))
        _widest_label(self.elapsed, ("00:00",))
        _widest_label(self.total, ("00:00",))

        self.playback_buttons = (self.play_button, self.next_button, self.restart_button, self.vocal_button)
        self.step_controls = (
            self.key_down,
            self.key_up,
            self.tempo_down,
            self.tempo_up,
            self.clip_box,
            self.offset_down,
            self.offset_up,
            self.progress,
        )
        self._seeking = False
        self._connect()
        self.refresh_settings()
        self.refresh_now_playing()

    def _connect(self) -> None:
        bridge, session = self.bridge, self.session
        bridge.stateChanged.connect(self.refresh_state)
        bridge.settingsChanged.connect(self.refresh_settings)
        bridge.nowPlayingChanged.connect(self.refresh_now_playing)
        bridge.positionChanged.connect(self.refresh_position)
        self.progress.sliderPressed.connect(lambda: setattr(self, "_seeking", True))
        self.progress.sliderReleased.connect(self._seek)
        if session is None:
            return
        self.play_button.clicked.connect(lambda: bridge.spawn(session.toggle_play(), "toggle-play"))
        self.next_button.clicked.connect(lambda: bridge.spawn(session.next(), "next"))
        self.restart_button.clicked.connect(session.restart)
        self.vocal_button.clicked.connect(session.toggle_vocal)
        self.key_down.clicked.connect(lambda: session.shift_key(-1))
        self.key_up.clicked.connect(lambda: session.shift_key(+1))
        self.tempo_down.clicked.connect(lambda: session.shift_tempo(-1))
        self.tempo_up.clicked.connect(lambda: session.shift_tempo(+1))
        self.clip_box.toggled.connect(self._set_clip)
        self.offset_down.clicked.connect(lambda: self._shift_offset(-OFFSET_STEP_MS))
        self.offset_up.clicked.connect(lambda: self._shift_offset(+OFFSET_STEP_MS))
        self.volume.valueChanged.connect(self._set_volume)

    # ---- actions ---------------------------------------------------------------------

    def _seek(self) -> None:
        self._seeking = False
        if self.session is not None:
            self.session.seek(self.progress.value())

    def _set_clip(self, enabled: bool) -> None:
        if self.session is not None and self.session.clip_mode != enabled:
            self.session.set_clip_mode(enabled)
            self.bridge.services.device.clip_mode = enabled
            self.bridge.services.save_device_prefs()

    def _set_volume(self, value: int) -> None:
        if self.session is not None:
            self.session.set_volume(value)
            self.bridge.services.device.volume = value

    def _shift_offset(self, delta: int) -> None:
        session = self.session
        if session is not None and session.set_lyric_offset_ms(session.lyric_offset_ms + delta):
            self.bridge.services.device.lyric_offset_ms = session.lyric_offset_ms
            self.bridge.services.save_device_prefs()  # remembered per device

    # ---- redraw ----------------------------------------------------------------------

    def _fit_buttons(self) -> None:
        # A button's size hint follows the style sheet's padding (see `changeEvent`).
        _widest(self.play_button, (tr("Play"), tr("Pause")))
        _widest(self.vocal_button, (tr("原唱 Original"), tr("伴唱 Backing")))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # a style sheet set after the bar was built
            self._fit_buttons()

    def set_enabled(self, enabled: bool) -> None:
        for widget in (*self.playback_buttons, *self.step_controls, self.volume):
            widget.setEnabled(enabled)
        self._refresh_vocal_right(self._no_original)

    def refresh_state(self) -> None:
        playing = self.session is not None and self.session.is_playing
        self.play_button.setIcon(icon("pause" if playing else "play"))
        self.play_button.setText(tr("Pause") if playing else tr("Play"))

    def refresh_settings(self) -> None:
        session = self.session
        if session is None:
            self.key_label.setText(tr("Key {0}").format("0"))
            self.tempo_label.setText("1.00×")
            self.offset_label.setText(tr("Lyrics {0} ms").format(0))
            return
        original = session.vocal is VocalMode.ORIGINAL
        self.vocal_button.setText(tr("原唱 Original") if original else tr("伴唱 Backing"))
        self.vocal_button.setProperty("active", not original)
        key = session.key
        self.key_label.setText(tr("Key {0}").format(f"{key:+d}" if key else "0"))
        self.tempo_label.setText(f"{session.tempo:.2f}×")
        self.offset_label.setText(tr("Lyrics {0} ms").format(f"{session.lyric_offset_ms:+d}"))
        if self.clip_box.isChecked() != session.clip_mode:
            self.clip_box.setChecked(session.clip_mode)
        if self.volume.value() != session.volume:
            self.volume.setValue(session.volume)

    def _show_cover(self, pixmap: QPixmap | None) -> None:
        if pixmap is None:
            self.cover.setPixmap(icon("note").pixmap(COVER_PX - 16, COVER_PX - 16))
        else:
            self.cover.setPixmap(pixmap)

    def refresh_now_playing(self) -> None:
        session = self.session
        now = session.now_playing if session is not None else None
        if now is None:
            self.title.setText(tr("Nothing playing"))
            self.cover_slot.show(None)  # a cover still decoding must not come back
            self.cover.clear()
            self.progress.setRange(0, 0)
            self.elapsed.setText("0:00")
            self.total.setText("0:00")
        else:
            prefix = tr("Preview: ") if now.preview else ""
            self.title.setText(f"{prefix}<b>{now.song.title}</b><br><span>{now.song.singers_text}</span>")
            self.cover_slot.show(cover_path(now.song.covers, "small", "large"))
            assert session is not None
            end = session.duration_ms() or 0
            start = now.source.clip.begin_ms if now.source.clip is not None else 0
            self.progress.setRange(start, max(start, end))
            self.total.setText(format_ms(end))
        self._refresh_vocal_right(None if now is None else no_original_reason(now.song, now.source))
        self.refresh_state()

    def _refresh_vocal_right(self, reason: str | None) -> None:
        """原唱 greyed, with the reason as its tooltip, when the song has no original vocal."""
        self._no_original = reason
        self.vocal_button.setEnabled(reason is None and self.play_button.isEnabled())
        self.vocal_button.setToolTip(reason or tr("原唱/伴唱: original vocal or accompaniment (V)"))

    def refresh_position(self) -> None:
        if self.session is None or self._seeking:
            return
        position = self.session.position_ms()
        self.progress.setValue(position)
        self.elapsed.setText(format_ms(position))
