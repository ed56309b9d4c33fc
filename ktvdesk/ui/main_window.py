"""The main window: navigation rail, content pages, queue panel, now-playing bar.

This is the shell the views plug into; each page is its own widget module.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.services import AppServices


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


NAV_SECTIONS = ("Search", "Categories", "Singers", "Playlists", "Favorites", "History", "Queue", "Settings")


class MainWindow(QMainWindow):
    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle("ktvdesk")
        self.resize(1280, 800)
        self.setMinimumSize(960, 600)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = self._build_banner()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self._build_nav_rail())
        self.pages = QStackedWidget()
        for section in NAV_SECTIONS:
            self.pages.addWidget(self._placeholder_page(tr(section)))
        body.addWidget(self.pages, 1)
        body.addWidget(self._build_queue_panel())
        outer.addLayout(body, 1)
        self.now_playing = self._build_now_playing()
        outer.addWidget(self.now_playing)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.set_playback_enabled(services.vlc.available)

    def _build_banner(self) -> QLabel:
        problems: list[str] = []
        if not self.services.vlc.available:
            problems.append(
                tr(
                    "Playback is off: libVLC was not found. Install VLC (Debian/Ubuntu: sudo apt install vlc) and restart."
                )
            )
        problems.extend(tr("Configuration problem: {0}").format(p) for p in self.services.config_problems)
        banner = QLabel("\n".join(problems))
        banner.setObjectName("banner")
        banner.setWordWrap(True)
        banner.setVisible(bool(problems))
        return banner

    def _build_nav_rail(self) -> QFrame:
        rail = QFrame()
        rail.setObjectName("navRail")
        rail.setFixedWidth(180)
        layout = QVBoxLayout(rail)
        logo = QLabel("ktvdesk")
        logo.setObjectName("sectionTitle")
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(logo)
        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.addItems([tr(section) for section in NAV_SECTIONS])
        layout.addWidget(self.nav, 1)
        return rail

    def _placeholder_page(self, title: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        layout.addStretch(1)
        return page

    def _build_queue_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("queuePanel")
        panel.setFixedWidth(280)
        layout = QVBoxLayout(panel)
        title = QLabel(tr("Queue"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.queue_list = QListWidget()
        layout.addWidget(self.queue_list, 1)
        self.queue_empty = QLabel(tr("The queue is empty. Find a song and press 点歌 to add it."))
        self.queue_empty.setObjectName("muted")
        self.queue_empty.setWordWrap(True)
        layout.addWidget(self.queue_empty)
        return panel

    def _build_now_playing(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("nowPlaying")
        layout = QHBoxLayout(bar)
        self.now_title = QLabel(tr("Nothing playing"))
        self.now_title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.now_title)
        self.play_button = QPushButton(tr("Play"))
        self.play_button.setObjectName("primary")
        self.next_button = QPushButton(tr("Next"))
        self.restart_button = QPushButton(tr("Restart"))
        self.vocal_button = QPushButton(tr("Vocal"))
        self.playback_buttons = (self.play_button, self.next_button, self.restart_button, self.vocal_button)
        for button in self.playback_buttons:
            layout.addWidget(button)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(self.services.settings.playback.volume)
        self.volume.setFixedWidth(120)
        layout.addWidget(self.volume)
        return bar

    def set_playback_enabled(self, enabled: bool) -> None:
        for button in self.playback_buttons:
            button.setEnabled(enabled)
        self.volume.setEnabled(enabled)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        app = QCoreApplication.instance()
        if app is not None:
            app.quit()
