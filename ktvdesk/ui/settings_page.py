"""The Settings page: everything a family changes without opening a TOML file.

Library folders (add with a folder picker, remove, rescan with a progress bar and the
skipped files with their reasons), the language (applied at once), lyric calibration,
each cloud catalog (its secret goes to the keyring, never to the file) and the kiosk.
Settings are written back to `config.toml` by `ktvdesk.settings_store`, which keeps the
user's comments and layout and refuses a value the app would not read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ktvdesk import paths
from ktvdesk.errors import KtvError
from ktvdesk.keystore import SECRETS, KeyringUnavailableError, set_secret
from ktvdesk.ui.i18n import playback_status, tr
from ktvdesk.ui.mic_settings import MicrophonePanel
from ktvdesk.ui.song_list import SongActions

log = logging.getLogger(__name__)

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))

# Per cloud: (config key, label) of its plain settings, and its secret (keystore name).
CLOUD_FIELDS: dict[str, tuple[tuple[tuple[str, object], ...], tuple[str, str]]] = {
    "yinsuda": (
        (
            ("endpoint", QT_TRANSLATE_NOOP("QCoreApplication", "Endpoint")),
            ("app_name", QT_TRANSLATE_NOOP("QCoreApplication", "App name")),
            ("user_id", QT_TRANSLATE_NOOP("QCoreApplication", "User id")),
        ),
        ("yinsuda.secret_key", "SecretKey"),
    ),
    "xiaowei": (
        (
            ("endpoint", QT_TRANSLATE_NOOP("QCoreApplication", "Endpoint")),
            ("device_id", QT_TRANSLATE_NOOP("QCoreApplication", "Device id")),
            ("product_id", QT_TRANSLATE_NOOP("QCoreApplication", "Product id")),
        ),
        ("xiaowei.app_key", "App key"),
    ),
    "zego": (
        (
            ("resource_endpoint", QT_TRANSLATE_NOOP("QCoreApplication", "Resource endpoint")),
            ("app_id", QT_TRANSLATE_NOOP("QCoreApplication", "App id")),
            ("user_id", QT_TRANSLATE_NOOP("QCoreApplication", "User id")),
        ),
        ("zego.server_secret", "ServerSecret"),
    ),
}
CLOUD_TITLES = {
    "yinsuda": QT_TRANSLATE_NOOP("QCoreApplication", "Yinsuda 音速达"),
    "xiaowei": QT_TRANSLATE_NOOP("QCoreApplication", "Xiaowei QQ Music"),
    "zego": QT_TRANSLATE_NOOP("QCoreApplication", "ZEGO KTV"),
}
KIOSK_FIELDS = (
    ("volume_max", QT_TRANSLATE_NOOP("QCoreApplication", "Maximum volume"), 0, 100),
    ("attract_after_min", QT_TRANSLATE_NOOP("QCoreApplication", "Attract screen after (min)"), 1, 240),
    ("admin_relock_after_s", QT_TRANSLATE_NOOP("QCoreApplication", "Admin relock after (s)"), 10, 3600),
)


def _typed(key: str, text: str) -> str | int | None:
    """What the config file holds for a text field: nothing (its default), a number for ids
    the reader wants as numbers (ZEGO's app_id), else the text."""
    if not text:
        return None
    return int(text) if key == "app_id" and text.isdigit() else text


def pick_folder(parent: QWidget) -> str | None:
    """The folder picker (a modal dialog); tests replace `SettingsPage.pick_folder`."""
    chosen = QFileDialog.getExistingDirectory(parent, tr("Add a song folder"))
    return chosen or None


class SettingsPage(QWidget):
    languageChosen = Signal(str)
    saved = Signal()  # the config file was written
    rescanned = Signal()  # a rescan ended (its report shows)

    def __init__(self, actions: SongActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = actions.services
        self.bridge = actions.bridge
        self.pick_folder: Callable[[QWidget], str | None] = pick_folder
        self.scanning = False
        outer = QVBoxLayout(self)
        heading = QLabel(tr("Settings"))
        heading.setObjectName("sectionTitle")
        outer.addWidget(heading)
        self.path_label = QLabel()
        self.path_label.setObjectName("muted")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.path_label)
        self.status = QLabel()
        self.status.setObjectName("settingsStatus")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.body_layout.addWidget(self._library_group())
        self.body_layout.addWidget(self._general_group())
        self.mic_panel = MicrophonePanel(
            self.services.device, self.services.save_device_prefs, language=lambda: self.services.language
        )
        self.body_layout.addWidget(self.mic_panel)
        self.cloud_edits: dict[str, dict[str, QLineEdit]] = {}
        self.secret_edits: dict[str, QLineEdit] = {}
        for name in CLOUD_FIELDS:
            self.body_layout.addWidget(self._cloud_group(name))
        self.body_layout.addWidget(self._kiosk_group())
        self.body_layout.addStretch(1)
        self.about_button = QPushButton(tr("About ktvdesk…"))
        self.about_button.setObjectName("aboutButton")
        self.about_button.setToolTip(tr("Version and licences (F1)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.about_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.refresh()

    # ---- building --------------------------------------------------------------------

    def _library_group(self) -> QGroupBox:
        group = QGroupBox(tr("Library folders"))
        layout = QVBoxLayout(group)
        self.folder_list = QListWidget()
        self.folder_list.setObjectName("libraryFolders")
        self.folder_list.setMaximumHeight(120)
        layout.addWidget(self.folder_list)
        row = QHBoxLayout()
        self.add_folder_button = QPushButton(tr("Add folder…"))
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_folder_button = QPushButton(tr("Remove"))
        self.remove_folder_button.clicked.connect(self.remove_folder)
        self.rescan_button = QPushButton(tr("Rescan now"))
        self.rescan_button.clicked.connect(self.rescan)
        for button in (self.add_folder_button, self.remove_folder_button, self.rescan_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.demo_box = QCheckBox(tr("Include the demo songs"))
        self.demo_box.toggled.connect(self._demo_toggled)
        layout.addWidget(self.demo_box)
        self.progress = QProgressBar()
        self.progress.setObjectName("scanProgress")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.report_label = QLabel()
        self.report_label.setObjectName("scanReport")
        self.report_label.setWordWrap(True)
        layout.addWidget(self.report_label)
        self.skipped = QTreeWidget()
        self.skipped.setObjectName("skippedFiles")
        self.skipped.setHeaderLabels([tr("Skipped file"), tr("Reason")])
        self.skipped.setRootIsDecorated(False)
        self.skipped.setMaximumHeight(140)
        self.skipped.hide()
        layout.addWidget(self.skipped)
        return group

    def _general_group(self) -> QGroupBox:
        group = QGroupBox(tr("Language and lyrics"))
        form = QFormLayout(group)
        self.language_box = QComboBox()
        self.language_box.setObjectName("languageBox")
        for code, name in LANGUAGES:
            self.language_box.addItem(name, code)
        self.language_box.activated.connect(self._language_activated)
        form.addRow(tr("Language"), self.language_box)
        self.offset_box = QSpinBox()
        self.offset_box.setObjectName("lyricOffset")
        self.offset_box.setRange(-5000, 5000)
        self.offset_box.setSingleStep(50)
        self.offset_box.setSuffix(" ms")
        self.offset_box.setToolTip(tr("A positive value shows the lyrics earlier"))
        self.offset_box.valueChanged.connect(self._offset_changed)
        form.addRow(tr("Lyric calibration"), self.offset_box)
        self.audio_box = QComboBox()
        self.audio_box.setObjectName("audioDevice")
        self.audio_box.activated.connect(self._audio_chosen)
        form.addRow(tr("Audio output"), self.audio_box)
        self.audio_label = QLabel()
        self.audio_label.setObjectName("muted")
        self.audio_label.setWordWrap(True)
        form.addRow("", self.audio_label)
        return group

    def _fill_audio_devices(self) -> None:
        session = self.services.session
        devices = session.audio_devices() if session is not None else []
        self.audio_box.clear()
        self.audio_box.addItem(tr("System default"), None)
        for device_id, description in devices:
            self.audio_box.addItem(description, device_id)
        chosen = session.audio_device if session is not None else None
        self.audio_box.setCurrentIndex(max(0, self.audio_box.findData(chosen)) if chosen else 0)
        self.audio_box.setEnabled(bool(devices))
        self.audio_box.setToolTip(
            ""
            if devices
            else tr("This audio output offers no choice of device (libVLC's dummy or file output).")
        )

    def _audio_chosen(self, index: int) -> None:
        session = self.services.session
        device_id = self.audio_box.itemData(index)
        if session is not None and session.set_audio_device(device_id):
            self.services.device.audio_device = device_id
            self.services.save_device_prefs()
            if device_id is None:
                self._say(tr("The system's default output is used from the next start."))

    def _cloud_group(self, name: str) -> QGroupBox:
        group = QGroupBox(tr(str(CLOUD_TITLES[name])))
        group.setObjectName(f"cloud_{name}")
        form = QFormLayout(group)
        fields, (secret_name, secret_label) = CLOUD_FIELDS[name]
        edits: dict[str, QLineEdit] = {}
        for key, label in fields:
            edit = QLineEdit()
            edit.setObjectName(f"{name}_{key}")
            form.addRow(tr(str(label)), edit)
            edits[key] = edit
        self.cloud_edits[name] = edits
        secret = QLineEdit()
        secret.setObjectName(f"{name}_secret")
        secret.setEchoMode(QLineEdit.EchoMode.Password)
        secret.setPlaceholderText(tr("kept in the system keyring; leave empty to keep it"))
        form.addRow(secret_label, secret)
        self.secret_edits[secret_name] = secret
        save = QPushButton(tr("Save"))
        save.setObjectName(f"{name}_save")
        save.clicked.connect(lambda _=False, n=name: self.save_cloud(n))
        form.addRow("", save)
        return group

    def _kiosk_group(self) -> QGroupBox:
        group = QGroupBox(tr("Kiosk (KTV room terminal)"))
        form = QFormLayout(group)
        self.kiosk_boxes: dict[str, QSpinBox] = {}
        for key, label, low, high in KIOSK_FIELDS:
            box = QSpinBox()
            box.setObjectName(f"kiosk_{key}")
            box.setRange(low, high)
            form.addRow(tr(str(label)), box)
            self.kiosk_boxes[key] = box
        save = QPushButton(tr("Save"))
        save.setObjectName("kiosk_save")
        save.clicked.connect(self.save_kiosk)
        form.addRow("", save)
        return group

    # ---- showing ---------------------------------------------------------------------

    def refresh(self) -> None:
        services = self.services
        settings = services.settings
        self.path_label.setText(tr("Saved to {0}").format(self.config_path()))
        self.folder_list.clear()
        for folder in settings.library.folders:
            self.folder_list.addItem(str(folder))
        self.demo_box.blockSignals(True)
        self.demo_box.setChecked(settings.library.include_demo)
        self.demo_box.blockSignals(False)
        index = self.language_box.findData(services.language)
        self.language_box.setCurrentIndex(max(0, index))
        session = services.session
        self.offset_box.blockSignals(True)
        self.offset_box.setValue(session.lyric_offset_ms if session is not None else 0)
        self.offset_box.blockSignals(False)
        self._fill_audio_devices()
        self.audio_label.setText(tr("Playback: {0}").format(playback_status(services.vlc.reason)))
        for name, edits in self.cloud_edits.items():
            section = getattr(settings, name)
            for key, edit in edits.items():
                value = getattr(section, key, None)
                edit.setText("" if value is None else str(value))
        for key, box in self.kiosk_boxes.items():
            box.setValue(int(getattr(settings.kiosk, key)))
        self._show_report()

    def config_path(self) -> Path:
        return self.services.config_path or paths.config_file()

    def _show_report(self) -> None:
        report = self.services.scan_report
        if report is None:
            self.report_label.setText("")
            self.skipped.hide()
            return
        self.report_label.setText(
            tr("Last scan: {0} added, {1} updated, {2} unchanged, {3} removed, {4} skipped.").format(
                report.added, report.updated, report.unchanged, report.removed, len(report.skipped)
            )
        )
        self.skipped.clear()
        for path, reason in report.skipped:
            QTreeWidgetItem(self.skipped, [path, reason])
        self.skipped.setVisible(bool(report.skipped))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setObjectName("error" if error else "settingsStatus")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    # ---- changing --------------------------------------------------------------------

    def _write(self, changes: dict[str, Any]) -> bool:
        from ktvdesk.settings_store import write_settings

        try:
            loaded = write_settings(self.config_path(), changes)
        except KtvError as exc:
            self._say(self.bridge.message(exc), error=True)
            return False
        self.services.settings = loaded.settings
        self.saved.emit()
        return True

    def add_folder(self) -> None:
        chosen = self.pick_folder(self)
        if not chosen:
            return
        folders = list(self.services.settings.library.folders)
        if Path(chosen) in folders:
            self._say(tr("Already a library folder: {0}").format(chosen))
            return
        if self._write({"library.folders": [*folders, Path(chosen)]}):
            self.refresh()
            self.rescan()

    def remove_folder(self) -> None:
        item = self.folder_list.currentItem()
        if item is None:
            self._say(tr("Choose a folder in the list first."))
            return
        folders = [f for f in self.services.settings.library.folders if str(f) != item.text()]
        if self._write({"library.folders": folders}):
            self.refresh()
            self.rescan()

    def _demo_toggled(self, checked: bool) -> None:
        if self._write({"library.include_demo": checked}):
            self.rescan()

    def rescan(self) -> None:
        if self.scanning:
            return
        self.scanning = True
        self.rescan_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first folder is done
        self.progress.show()
        self._say(tr("Scanning the library folders…"))
        self.bridge.spawn(self._rescan(), "settings-rescan")

    async def _rescan(self) -> None:
        def progress(done: int, total: int) -> None:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

        try:
            await self.services.rescan_library(progress=progress)
        except KtvError as exc:
            self._say(self.bridge.message(exc), error=True)
        else:
            self._say(tr("Library scanned."))
        finally:
            self.scanning = False
            self.rescan_button.setEnabled(True)
            self.progress.hide()
            self._show_report()
            self.rescanned.emit()

    def _language_activated(self, index: int) -> None:
        code = self.language_box.itemData(index)
        if code == self.services.language:
            return
        if self._write({"language": code}):
            self.languageChosen.emit(code)

    def _offset_changed(self, value: int) -> None:
        session = self.services.session
        if session is not None and session.set_lyric_offset_ms(value):
            self.services.device.lyric_offset_ms = value
            self.services.save_device_prefs()

    def save_cloud(self, name: str) -> None:
        changes: dict[str, Any] = {
            f"{name}.{key}": _typed(key, edit.text().strip()) for key, edit in self.cloud_edits[name].items()
        }
        if not self._write(changes):
            return
        secret_name = CLOUD_FIELDS[name][1][0]
        secret = self.secret_edits[secret_name].text()
        if secret:
            try:
                set_secret(secret_name, secret)
            except KeyringUnavailableError:
                self._say(
                    tr("Saved, but there is no keyring here: set {0} in the environment instead.").format(
                        SECRETS[secret_name]
                    ),
                    error=True,
                )
                return
            finally:
                self.secret_edits[secret_name].clear()
        self._say(tr("Saved. The catalog uses the new settings at the next start."))

    def save_kiosk(self) -> None:
        changes = {f"kiosk.{key}": box.value() for key, box in self.kiosk_boxes.items()}
        if self._write(changes):
            self._say(tr("Saved. The kiosk uses the new settings at its next start."))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.scanning:
            self.refresh()
