"""The main window: navigation rail with the provider switcher, the pages, the large lyric
area, the queue panel and the now-playing bar; keyboard shortcuts; the stage window.

Views only talk to the `KaraokeSession` (through `SessionBridge`) and to the providers
(through async tasks held by the services' TaskRegistry), so nothing here blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.services import PROVIDER_NAMES, AppServices
from ktvdesk.ui.banner import Banner
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.browse_pages import PlaylistsPage, SingersPage, TagsPage
from ktvdesk.ui.cloud_accounts import account_buttons, cloud_note
from ktvdesk.ui.graphics_lyrics import attach_graphics
from ktvdesk.ui.i18n import CONTEXT, tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.lyric_view import LyricView
from ktvdesk.ui.now_playing import NowPlayingBar
from ktvdesk.ui.queue_panel import QueuePanel
from ktvdesk.ui.search_page import SearchPage
from ktvdesk.ui.song_list import SongActions
from ktvdesk.ui.start_window import MINIMUM_SIZE, WINDOW_SIZE
from ktvdesk.ui.toast import ToastStack
from ktvdesk.ui.user_pages import FavoritesPage, HistoryPage, MyPlaylistsPage

if TYPE_CHECKING:  # built when first opened, not for the first frame
    from ktvdesk.ui.about import AboutDialog
    from ktvdesk.ui.settings_page import SettingsPage
    from ktvdesk.ui.singing_ui import SingingScreens
    from ktvdesk.ui.stage_window import StageWindow

NAV_SECTIONS = (
    QT_TRANSLATE_NOOP("QCoreApplication", "Search"),
    QT_TRANSLATE_NOOP("QCoreApplication", "Categories"),
    QT_TRANSLATE_NOOP("QCoreApplication", "Singers"),
    QT_TRANSLATE_NOOP("QCoreApplication", "Playlists"),
    QT_TRANSLATE_NOOP("QCoreApplication", "Favorites"),
    QT_TRANSLATE_NOOP("QCoreApplication", "History"),
    QT_TRANSLATE_NOOP("QCoreApplication", "Queue"),
    QT_TRANSLATE_NOOP("QCoreApplication", "Settings"),
)
NAV_ICONS = ("search", "tags", "singer", "playlist", "heart", "history", "queue", "settings")
PROVIDER_LABELS = {
    "local": QT_TRANSLATE_NOOP("QCoreApplication", "Local library"),
    "yinsuda": QT_TRANSLATE_NOOP("QCoreApplication", "Yinsuda 音速达"),
    "xiaowei": QT_TRANSLATE_NOOP("QCoreApplication", "Xiaowei QQ Music"),
    "zego": QT_TRANSLATE_NOOP("QCoreApplication", "ZEGO KTV"),
}


class MainWindow(QMainWindow):
    def __init__(
        self, services: AppServices, *, stage_screen: int | None = None, video: bool = False
    ) -> None:
        super().__init__()
        self.services = services
        self.stage_screen = stage_screen
        self.video = video
        self.stage: StageWindow | None = None
        self.singing: SingingScreens | None = None  # 评分, set by ui.singing_ui.install_singing
        self.about_dialog: AboutDialog | None = None
        self.setWindowTitle("ktvdesk")
        self.resize(WINDOW_SIZE)  # the start window's too: this one takes its place
        self.setMinimumSize(MINIMUM_SIZE)
        self.bridge = SessionBridge(services, self)
        self.session = services.session
        self.song_actions = SongActions(self.bridge, self)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = self._build_banner()
        outer.addWidget(self.banner)

        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self._build_nav_rail())
        self.center = QSplitter(Qt.Orientation.Vertical)
        self.pages = QStackedWidget()
        self._build_pages()
        self.center.addWidget(self.pages)
        self.lyric_view = LyricView()
        self.lyric_view.setObjectName("lyricView")
        if self.session is not None:
            self.lyric_view.set_clock(self.session.now_ms)
        self.center.addWidget(self.lyric_view)
        self.graphics = attach_graphics(self.lyric_view, self.bridge)  # CD+G songs: their picture
        self.center.setStretchFactor(0, 3)
        self.center.setStretchFactor(1, 2)
        self.center.setSizes([430, 260])
        body.addWidget(self.center, 1)
        self.queue_panel = QueuePanel(self.bridge)
        self.queue_panel.setFixedWidth(300)
        self.queue_list = self.queue_panel.list
        body.addWidget(self.queue_panel)
        outer.addLayout(body, 1)
        self.now_bar = NowPlayingBar(self.bridge, services.settings.playback.volume)
        self.now_playing = self.now_bar
        self.play_button = self.now_bar.play_button
        self.next_button = self.now_bar.next_button
        self.restart_button = self.now_bar.restart_button
        self.vocal_button = self.now_bar.vocal_button
        self.playback_buttons = self.now_bar.playback_buttons
        self.volume = self.now_bar.volume
        outer.addWidget(self.now_bar)
        self.setCentralWidget(central)
        # Over the content, never in the layout: a message must not move what the user clicks.
        self.toast = ToastStack(central)
        self.toast.bottom_inset = self.now_bar.sizeHint().height()

        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        # The Settings page takes the lyric area's height too (a 600-px screen needs it).
        self.nav.currentRowChanged.connect(lambda row: self.lyric_view.setHidden(row == self.settings_index))
        self.nav.setCurrentRow(0)
        self.bridge.errorRaised.connect(self.show_error)
        self.bridge.lyricsChanged.connect(self._refresh_lyrics)
        self.bridge.nowPlayingChanged.connect(self._refresh_lyrics)
        self.bridge.nowPlayingChanged.connect(self._history_changed)
        self.bridge.nowPlayingChanged.connect(self._note_whole_song)
        self.song_actions.message.connect(self.show_message)
        self.song_actions.detailsReady.connect(self._show_details)
        services.library_listeners.append(self._library_changed)
        services.started_listeners.append(self._start_finished)
        self._install_shortcuts()
        self.set_playback_enabled(services.vlc.available)
        self._refresh_lyrics()
        self.restore_box: QMessageBox | None = None
        self.successor: MainWindow | None = None  # the window built in another language
        self.replaced = False
        if services.saved_queue is not None:
            # Once the window shows and the loop runs (a restored queue starts playing).
            QTimer.singleShot(0, self.offer_queue_restore)

    # ---- building --------------------------------------------------------------------

    def _build_banner(self) -> Banner:
        return Banner(self._problems())

    def _problems(self) -> list[str]:
        problems: list[str] = []
        if not self.services.vlc.available:
            problems.append(
                tr(
                    "Playback is off: libVLC was not found. Install VLC (Debian/Ubuntu: sudo apt install vlc) and restart."
                )
            )
        problems.extend(tr("Configuration problem: {0}").format(p) for p in self.services.config_problems)
        return problems

    def _build_nav_rail(self) -> QFrame:
        rail = QFrame()
        rail.setObjectName("navRail")
        rail.setFixedWidth(190)
        layout = QVBoxLayout(rail)
        logo = QLabel("ktvdesk")
        logo.setObjectName("logo")
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(logo)
        self.provider_box = QComboBox()
        self.provider_box.setObjectName("providerSwitcher")
        self.provider_box.setToolTip(tr("Song catalog"))
        model = self.provider_box.model()
        assert isinstance(model, QStandardItemModel)
        for name in PROVIDER_NAMES:
            self.provider_box.addItem(QCoreApplication.translate(CONTEXT, str(PROVIDER_LABELS[name])), name)
            item = model.item(self.provider_box.count() - 1)
            enabled = name in self.services.providers
            item.setEnabled(enabled)
            if not enabled:
                # Greyed by hand too: the dark theme draws disabled items like enabled ones.
                item.setForeground(QColor("#6d6a80"))
            elif cloud_note(name):
                item.setToolTip(cloud_note(name))  # what a song of this cloud is
        self._explain_unavailable()
        self.provider_box.setCurrentIndex(PROVIDER_NAMES.index(self.services.active_provider))
        self.provider_box.currentIndexChanged.connect(self._provider_chosen)
        layout.addWidget(self.provider_box)
        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        for section, icon_name in zip(NAV_SECTIONS, NAV_ICONS, strict=True):
            self.nav.addItem(
                QListWidgetItem(icon(icon_name), QCoreApplication.translate(CONTEXT, str(section)))
            )
        layout.addWidget(self.nav, 1)
        self.remote_button = QPushButton(tr("Phone remote…"))
        self.remote_button.setObjectName("remoteButton")
        self.remote_button.clicked.connect(self.show_remote)
        layout.addWidget(self.remote_button)
        for button in account_buttons(self.services, self):  # QQ Music login, Yinsuda membership
            layout.addWidget(button)
        return rail

    def _explain_unavailable(self) -> None:
        """Each catalog that is not enabled says why (its tooltip in the switcher)."""
        model = self.provider_box.model()
        assert isinstance(model, QStandardItemModel)
        for row, name in enumerate(PROVIDER_NAMES):
            if name not in self.services.providers:
                model.item(row).setToolTip(self._unavailable_reason(name))

    def _start_finished(self) -> None:
        """The staged start's second step reported: libVLC's verdict (the banner and the
        playback controls) and the keyring's answers (what each cloud still needs)."""
        self.set_playback_enabled(self.services.vlc.available)
        text = "\n".join(self._problems())
        if text != self.banner.text():  # news: shown again even if closed before
            self.banner.label.setText(text)
            self.banner.setVisible(bool(text))
        self._explain_unavailable()

    def _unavailable_reason(self, name: str) -> str:
        problem = self.services.provider_problems.get(name)
        lines = [problem.message(self.services.language) if problem is not None else tr("Not configured")]
        missing = self.services.provider_missing.get(name, [])
        if missing:
            lines.append(tr("Missing:"))
            lines += [f"• {item}" for item in missing]
            lines.append(tr("Set them on the Settings page."))
        return "\n".join(lines)

    def _build_pages(self) -> None:
        actions = self.song_actions
        self.search_page = SearchPage(actions)
        self.tags_page = TagsPage(actions)
        self.singers_page = SingersPage(actions)
        self.playlists_page = PlaylistsPage(actions)
        self.my_playlists_page = MyPlaylistsPage(actions)
        self.playlist_tabs = QTabWidget()
        self.playlist_tabs.addTab(self.playlists_page, tr("Catalog playlists"))
        self.playlist_tabs.addTab(self.my_playlists_page, tr("My playlists"))
        self.favorites_page = FavoritesPage(actions)
        self.history_page = HistoryPage(actions)
        queue_page = QWidget()
        queue_layout = QVBoxLayout(queue_page)
        self.queue_page_panel = QueuePanel(self.bridge)
        queue_layout.addWidget(self.queue_page_panel)
        # The Settings page (audio devices, microphones: PortAudio and numpy) is built when
        # first shown or used, not for the first frame: a placeholder holds its place.
        self._settings_page: SettingsPage | None = None
        self._settings_placeholder = QWidget()
        for page in (
            self.search_page,
            self.tags_page,
            self.singers_page,
            self.playlist_tabs,
            self.favorites_page,
            self.history_page,
            queue_page,
            self._settings_placeholder,
        ):
            self.pages.addWidget(page)
        self.settings_index = self.pages.indexOf(self._settings_placeholder)
        self.pages.currentChanged.connect(
            lambda index: self.settings_page if index == self.settings_index else None
        )

    @property
    def settings_page(self) -> SettingsPage:
        if self._settings_page is None:
            from ktvdesk.ui.settings_page import SettingsPage

            page = self._settings_page = SettingsPage(self.song_actions)
            page.about_button.clicked.connect(self.show_about)
            page.languageChosen.connect(self.switch_language)
            placeholder = self._settings_placeholder
            self.pages.insertWidget(self.settings_index, page)  # the placeholder moves up one
            if self.pages.currentWidget() is placeholder:
                self.pages.setCurrentWidget(page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
        return self._settings_page

    def _install_shortcuts(self) -> None:
        session = self.session
        bindings: list[tuple[str | QKeySequence.StandardKey, object]] = [
            ("Ctrl+F", self.focus_search),
            ("F", self.toggle_stage),
            ("F1", self.show_about),
        ]
        if session is not None:
            bindings += [
                ("Space", lambda: self.bridge.spawn(session.toggle_play(), "toggle-play")),
                ("N", lambda: self.bridge.spawn(session.next(), "next")),
                ("R", session.restart),
                ("V", session.toggle_vocal),
                ("+", lambda: session.shift_key(+1)),
                ("=", lambda: session.shift_key(+1)),
                ("-", lambda: session.shift_key(-1)),
            ]
        self.shortcuts: dict[str, QShortcut] = {}
        for sequence, handler in bindings:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(handler)  # type: ignore[arg-type]
            self.shortcuts[str(sequence)] = shortcut

    # ---- reactions -------------------------------------------------------------------

    def set_playback_enabled(self, enabled: bool) -> None:
        self.now_bar.set_enabled(enabled)

    def _provider_chosen(self, index: int) -> None:
        name = self.provider_box.itemData(index)
        if name in self.services.providers:
            self.services.active_provider = name
            self.search_page.provider_changed()
            for page in (self.tags_page, self.playlists_page):
                page.loaded_for = None
                if page.isVisible():
                    page.loaded_for = name
                    page.refresh()

    def _library_changed(self) -> None:
        if self.services.active_provider == "local":
            self.search_page.provider_changed()
            self.tags_page.loaded_for = None
            self.singers_page.loaded_for = None

    def _history_changed(self) -> None:
        # A song ended (and was recorded) whenever another one starts or the queue runs out.
        if self.history_page.isVisible():
            self.history_page.refresh()

    def _note_whole_song(self) -> None:
        """Clip mode on a song without a chorus clip plays it whole: say so, not silently."""
        session = self.session
        now = session.now_playing if session is not None else None
        if session is not None and now is not None and session.clip_mode and now.source.clip is None:
            self.show_message(tr("No chorus clip in “{0}”: playing the whole song.").format(now.song.title))

    def _refresh_lyrics(self) -> None:
        session = self.session
        if session is None:
            self.lyric_view.set_lyrics(None, tr("Playback is off."))
            return
        now = session.now_playing
        title = (
            f"{now.song.title} — {now.song.singers_text}"
            if now is not None
            else tr("Pick a song and press 点歌 — the lyrics appear here.")
        )
        self.lyric_view.set_lyrics(session.lyrics, title)
        if now is not None:
            self.lyric_view.start()
        else:
            self.lyric_view.stop()

    def show_message(self, text: str) -> None:
        self.toast.show_message(text)

    def show_error(self, text: str) -> None:
        self.toast.show_message(text, error=True)

    def _show_details(self, text: str) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(tr("Song details"))
        box.setText(text)
        box.setModal(False)
        song = self.song_actions.details_song
        if song is not None and self.services.user_db is not None:
            # A button with a menu opens the menu instead of closing the box.
            add = QPushButton(icon("playlist"), tr("Add to playlist"), box)
            add.setObjectName("detailsAddToPlaylist")
            add.setMenu(self.song_actions.playlist_menu(song, add))
            box.addButton(add, QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.show()
        self.details_box = box

    def offer_queue_restore(self) -> QMessageBox | None:
        """ "Continue where we left off?" for the queue the last run left (not modal: the
        window stays usable; the answer restores the songs or forgets them)."""
        snapshot = self.services.saved_queue
        if self.restore_box is not None or snapshot is None:
            return self.restore_box
        current = snapshot.current
        text = tr("%n song(s) were in the queue when ktvdesk last closed.", None, len(snapshot.entries))
        if current is not None:
            text += "\n" + tr("Playing then: {0}").format(f"{current.title} — {current.singers_text}")
        box = QMessageBox(self)
        box.setObjectName("restoreQueueBox")
        box.setWindowTitle(tr("Continue where we left off?"))
        box.setText(tr("Continue where we left off?"))
        box.setInformativeText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("Continue"))
        box.button(QMessageBox.StandardButton.No).setText(tr("Start fresh"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda result: self._queue_restore_answered(box, result))
        self.restore_box = box
        box.open()
        return box

    def _queue_restore_answered(self, box: QMessageBox, result: int) -> None:
        accepted = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        self.restore_box = None
        box.deleteLater()
        songs = self.services.restore_queue(accept=accepted)
        if songs:
            self.show_message(tr("%n song(s) back in the queue.", None, len(songs)))

    def show_about(self) -> AboutDialog:
        """Version and licences (F1, or the Settings page); one dialog, raised again."""
        dialog = self.about_dialog
        if dialog is None:
            from ktvdesk.ui.about import AboutDialog

            dialog = AboutDialog(self, playback_status=self.services.vlc.reason)
            self.about_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_remote(self) -> QDialog:
        from ktvdesk.ui.remote_dialog import RemoteDialog

        dialog = RemoteDialog(self.services, self)
        dialog.show()
        return dialog

    def focus_search(self) -> None:
        self.nav.setCurrentRow(0)
        self.search_page.focus_search()

    def open_stage(self, screen: int | None = None) -> StageWindow:
        if self.stage is None:
            from ktvdesk.ui.stage_window import StageWindow

            self.stage = StageWindow(self.bridge, video=self.video)
            if self.singing is not None:
                self.singing.add_view(self.stage.lyrics)  # the pitch lane on the stage too
        self.stage.show_on_screen(screen if screen is not None else self.stage_screen)
        return self.stage

    def toggle_stage(self) -> None:
        if self.stage is not None and self.stage.isVisible():
            self.stage.close()
        else:
            self.open_stage()

    def switch_language(self, language: str) -> None:
        """Apply a language at once: the window is built again in it, on the same
        services (the song goes on playing, the queue stays), where this one was."""
        QTimer.singleShot(0, lambda: self._rebuild_in(language))

    def _rebuild_in(self, language: str) -> None:
        from PySide6.QtWidgets import QApplication

        from ktvdesk.ui.i18n import install_translator

        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_translator(app, language)
        self.services.language = language
        successor = MainWindow(self.services, stage_screen=self.stage_screen, video=self.video)
        successor.setGeometry(self.geometry())
        successor.nav.setCurrentRow(self.nav.currentRow())
        if self.singing is not None:  # scoring goes on in the new window
            from ktvdesk.ui.singing_ui import adopt

            for old in (self, self.stage):
                if old is not None:
                    self.singing.drop(old)
            adopt(self.singing, successor)
        self.successor = successor
        successor.show()
        self.replaced = True
        self.close()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # the app's style sheet comes after the build
            self.toast.bottom_inset = self.now_bar.sizeHint().height()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        if self.stage is not None:
            self.stage.close()
        if self.replaced:  # a language switch: the successor lives on
            self.bridge.detach()
            if self._library_changed in self.services.library_listeners:
                self.services.library_listeners.remove(self._library_changed)
            if self._start_finished in self.services.started_listeners:
                self.services.started_listeners.remove(self._start_finished)
            return  # kept (hidden): the app's entry point may still hold this window
        app = QCoreApplication.instance()
        if app is not None:
            app.quit()
