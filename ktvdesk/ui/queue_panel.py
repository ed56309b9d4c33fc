"""The queue (已点): the song being sung, then the upcoming entries with their start times.

Drag and drop reorders; Ctrl+Up/Down move the selected entry, Ctrl+T puts it on top (优先),
Delete removes it. Every edit goes through the session, and the list is rebuilt from
the session's queue afterwards, so the view never disagrees with what will play.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.song_list import format_ms

ETA_REFRESH_MS = 1000


class QueueList(QListWidget):
    reordered = Signal()
    deleteRequested = Signal()
    moveRequested = Signal(int)  # -1 up, +1 down, 0 top

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        # Apply after Qt has finished its own bookkeeping of the drop.
        QTimer.singleShot(0, self.reordered.emit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteRequested.emit()
        elif ctrl and key == Qt.Key.Key_Up:
            self.moveRequested.emit(-1)
        elif ctrl and key == Qt.Key.Key_Down:
            self.moveRequested.emit(1)
        elif ctrl and key == Qt.Key.Key_T:
            self.moveRequested.emit(0)
        else:
            super().keyPressEvent(event)


class QueuePanel(QFrame):
    def __init__(self, bridge: SessionBridge, *, title: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.session = bridge.session
        self.setObjectName("queuePanel")
        layout = QVBoxLayout(self)
        if title:
            heading = QLabel(tr("Queue"))
            heading.setObjectName("sectionTitle")
            layout.addWidget(heading)
        self.current = QLabel()
        self.current.setObjectName("currentSong")
        self.current.setWordWrap(True)
        layout.addWidget(self.current)
        self.list = QueueList()
        self.list.setObjectName("queueList")
        layout.addWidget(self.list, 1)
        self.empty = QLabel(tr("The queue is empty. Find a song and press 点歌 to add it."))
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.top_button = QPushButton(icon("top"), tr("Top"))
        self.top_button.setToolTip(tr("优先: sing the selected song next (Ctrl+T)"))
        self.remove_button = QPushButton(icon("remove"), tr("Remove"))
        self.remove_button.setToolTip(tr("Remove the selected song (Delete)"))
        self.clear_button = QPushButton(tr("Clear"))
        for button in (self.top_button, self.remove_button, self.clear_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.top_button.clicked.connect(lambda: self.move_selected(0))
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button.clicked.connect(self.clear)
        self.list.deleteRequested.connect(self.remove_selected)
        self.list.moveRequested.connect(self.move_selected)
        self.list.reordered.connect(self._apply_view_order)
        bridge.queueChanged.connect(self.rebuild)
        bridge.nowPlayingChanged.connect(self.rebuild)
        self.eta_timer = QTimer(self)
        self.eta_timer.setInterval(ETA_REFRESH_MS)
        self.eta_timer.timeout.connect(self._refresh_eta)
        self.eta_timer.start()
        self.rebuild()

    # ---- view ------------------------------------------------------------------------

    def entry_ids(self) -> list[int]:
        return [int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())]

    def rebuild(self) -> None:
        session = self.session
        selected = self.selected_entry()
        self.list.clear()
        if session is None:
            self.current.setText(tr("Playback is off."))
            self.empty.setVisible(True)
            return
        now = session.now_playing
        if now is not None:
            label = tr("Preview") if now.preview else tr("Now singing")
            self.current.setText(f"♪ {label}: {now.song.title} — {now.song.singers_text}")
            self.current.setVisible(True)
        else:
            self.current.setVisible(False)
        for entry in session.upcoming:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, entry.entry_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, entry.item)
            self.list.addItem(item)
            if entry.entry_id == selected:
                self.list.setCurrentItem(item)
        self._refresh_eta()
        self.empty.setVisible(not session.upcoming and now is None)

    def _refresh_eta(self) -> None:
        session = self.session
        if session is None:
            return
        estimates = session.start_estimates_ms()
        for i in range(self.list.count()):
            item = self.list.item(i)
            entry_id = int(item.data(Qt.ItemDataRole.UserRole))
            song = item.data(Qt.ItemDataRole.UserRole + 1)
            eta = estimates.get(entry_id)
            when = tr("next") if eta == 0 else tr("in {0}").format(format_ms(eta))
            singer = session.singers.singer_of(entry_id)  # who asked for it (phones)
            who = f"♪ {singer} · " if singer else ""
            item.setText(f"{i + 1}. {song.title} — {song.singers_text}\n    {who}{when}")

    def selected_entry(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    # ---- edits -----------------------------------------------------------------------

    def move_selected(self, direction: int) -> None:
        entry_id = self.selected_entry()
        if entry_id is None or self.session is None:
            return
        index = self.entry_ids().index(entry_id)
        target = 0 if direction == 0 else max(0, index + direction)
        self.session.move(entry_id, target)

    def remove_selected(self) -> None:
        entry_id = self.selected_entry()
        if entry_id is None or self.session is None:
            return
        row = self.list.currentRow()
        self.session.remove(entry_id)
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    def clear(self) -> None:
        if self.session is not None:
            self.session.clear()

    def _apply_view_order(self) -> None:
        """After a drag: move the dragged entry in the session to where it was dropped."""
        session = self.session
        if session is None:
            return
        wanted = self.entry_ids()
        have = [entry.entry_id for entry in session.upcoming]
        if wanted == have or sorted(wanted) != sorted(have):
            self.rebuild()
            return
        for entry_id in wanted:
            if [e for e in wanted if e != entry_id] == [e for e in have if e != entry_id]:
                session.move(entry_id, wanted.index(entry_id))
                return
        for index, entry_id in enumerate(wanted):  # several moved at once
            session.move(entry_id, index)
