"""The queue (已点): the song being sung, then the upcoming entries with their start times.

Drag and drop reorders; Ctrl+Up/Down move the selected entry, Ctrl+T puts it on top (优先),
Delete removes it. Every edit goes through the session, and the list shows the session's
queue afterwards, so the view never disagrees with what will play.

The list is a view over `QueueModel`, which reads the session's entries when a row is
drawn: a queue change (fifty phones queueing keep it changing) costs the GUI thread a
model reset and the dozen rows on screen, not a widget item and a text per entry. A
300-song queue rebuilt as list items took 8–20 ms per change, a dropped frame of the
lyric view for every phone's song.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QDropEvent, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ktvdesk.models import Song
from ktvdesk.playback import QueueEntry
from ktvdesk.session import KaraokeSession
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon
from ktvdesk.ui.song_list import format_ms

ETA_REFRESH_MS = 1000
ROW_CACHE = 256  # drawn rows kept: a few screens' worth
ENTRY_ROLE = int(Qt.ItemDataRole.UserRole)  # a row's entry id
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
Index = QModelIndex | QPersistentModelIndex


class QueueModel(QAbstractListModel):
    """The session's upcoming entries, one row each; a row's text is made when drawn."""

    def __init__(self, session: KaraokeSession | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._entries: tuple[QueueEntry[Song], ...] = ()
        self._estimates: dict[int, int] | None = None  # start times, until the next tick or change

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default argument)
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == ENTRY_ROLE:
            return entry.entry_id
        if role == _DISPLAY:
            return self._text(index.row(), entry)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid():
            return flags | Qt.ItemFlag.ItemIsDragEnabled
        return flags | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def entry_ids(self) -> list[int]:
        return [entry.entry_id for entry in self._entries]

    def row_of(self, entry_id: int | None) -> int | None:
        for row, entry in enumerate(self._entries):
            if entry.entry_id == entry_id:
                return row
        return None

    def reload(self) -> None:
        """The queue changed: read it again (the view asks only for the rows it draws)."""
        self.beginResetModel()
        self._entries = self.session.upcoming if self.session is not None else ()
        self._estimates = None
        self.endResetModel()

    def refresh_times(self) -> None:
        """The song on stage went on: every start time moved (one repaint of the view)."""
        self._estimates = None
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1), [_DISPLAY])

    def _text(self, row: int, entry: QueueEntry[Song]) -> str:
        session = self.session
        assert session is not None  # no session, no rows
        if self._estimates is None:
            self._estimates = session.start_estimates_ms()
        eta = self._estimates.get(entry.entry_id)
        when = tr("next") if eta == 0 else tr("in {0}").format(format_ms(eta))
        singer = session.singers.singer_of(entry.entry_id)  # who asked for it (phones)
        who = f"♪ {singer} · " if singer else ""
        song = entry.item
        return f"{row + 1}. {song.title} — {song.singers_text}\n    {who}{when}"


class RowPicture(QStyledItemDelegate):
    """Draws each row once per text and look, then copies the picture.

    A row's text (two lines, CJK, elided) is laid out anew on every paint, and every
    queue change repaints the whole list: 4–9 ms a time for a screenful. A phone's song
    changes the rows from where it lands; the rows above it are copied, not laid out.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pictures: dict[tuple[Any, ...], QPixmap] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        size = option.rect.size()
        ratio = painter.device().devicePixelRatioF()
        key = (
            index.data(),
            size.width(),
            size.height(),
            ratio,
            option.state.value,  # selected, current, hovered, window active
            option.palette.cacheKey(),
            option.font.key(),
        )
        picture = self._pictures.get(key)
        if picture is None:
            picture = QPixmap(size * ratio)
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            placed = QStyleOptionViewItem(option)
            placed.rect = QRect(QPoint(0, 0), size)
            drawing = QPainter(picture)
            try:
                super().paint(drawing, placed, index)
            finally:
                drawing.end()
            if len(self._pictures) >= ROW_CACHE:
                self._pictures.clear()
            self._pictures[key] = picture
        painter.drawPixmap(option.rect.topLeft(), picture)


class QueueList(QListView):
    deleteRequested = Signal()
    moveRequested = Signal(int)  # -1 up, +1 down, 0 top
    dropRequested = Signal(int, int)  # entry id, the index it was dropped at

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)  # laying out 300 rows must not ask for 300 texts
        self.setItemDelegate(RowPicture(self))

    def dropEvent(self, event: QDropEvent) -> None:
        """The session moves the entry; the model shows the result (Qt moves no rows)."""
        model, dragged = self.model(), self.currentIndex()
        if event.source() is not self or model is None or not dragged.isValid():
            event.ignore()
            return
        target = self.indexAt(event.position().toPoint())
        if not target.isValid():
            to = model.rowCount() - 1
        else:
            below = self.dropIndicatorPosition() is QAbstractItemView.DropIndicatorPosition.BelowItem
            to = target.row() + int(below)
            if to > dragged.row():
                to -= 1
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self.dropRequested.emit(int(dragged.data(ENTRY_ROLE)), to)

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
        self.model = QueueModel(self.session, self)
        self.list = QueueList()
        self.list.setModel(self.model)
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
        self.list.dropRequested.connect(self._dropped)
        bridge.queueChanged.connect(self.rebuild)
        bridge.nowPlayingChanged.connect(self.rebuild)
        self.eta_timer = QTimer(self)
        self.eta_timer.setInterval(ETA_REFRESH_MS)
        self.eta_timer.timeout.connect(self.model.refresh_times)
        self.eta_timer.start()
        self.rebuild()

    # ---- view ------------------------------------------------------------------------

    def entry_ids(self) -> list[int]:
        return self.model.entry_ids()

    def rebuild(self) -> None:
        session = self.session
        selected = self.selected_entry()
        self.model.reload()
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
        row = self.model.row_of(selected)
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))
        self.empty.setVisible(not session.upcoming and now is None)

    def selected_entry(self) -> int | None:
        index = self.list.currentIndex()
        return int(index.data(ENTRY_ROLE)) if index.isValid() else None

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
        row = self.list.currentIndex().row()
        self.session.remove(entry_id)
        rows = self.model.rowCount()
        if rows:
            self.list.setCurrentIndex(self.model.index(min(row, rows - 1)))

    def clear(self) -> None:
        if self.session is not None:
            self.session.clear()

    def _dropped(self, entry_id: int, index: int) -> None:
        """A drag ended: the dragged entry moves in the session to where it was dropped."""
        if self.session is not None and self.entry_ids().index(entry_id) != index:
            self.session.move(entry_id, index)
