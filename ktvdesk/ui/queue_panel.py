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

from math import ceil
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
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
PIECE_CACHE = 2048  # laid-out pieces of text kept: many screens' worth
ROW_INDENT = "    "  # the second line's
ROW_PADDING = 3  # px above and below a row's two lines
ENTRY_ROLE = int(Qt.ItemDataRole.UserRole)  # a row's entry id
PARTS_ROLE = ENTRY_ROLE + 1  # a row's `RowParts`
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
Index = QModelIndex | QPersistentModelIndex


class RowParts(NamedTuple):
    """A row's text in the pieces that change apart: the number and the start time move
    with every change above the row and every second; the song and its singer do not."""

    number: str
    song: str
    who: str
    when: str

    @property
    def text(self) -> str:
        return f"{self.number}{self.song}\n{ROW_INDENT}{self.who}{self.when}"


class QueueModel(QAbstractListModel):
    """The session's upcoming entries, one row each; a row's text is made when drawn."""

    def __init__(self, session: KaraokeSession | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._entries: tuple[QueueEntry[Song], ...] = ()
        self._estimates: dict[int, int] | None = None  # start times, until the next tick or change
        self._tick: tuple[int | None, int] | None = None  # (entry on stage, its position) at the last tick
        self._parts: dict[int, RowParts] = {}  # rows made since the last tick or change

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default argument)
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        row = index.row()
        if role == PARTS_ROLE:
            return self.parts(row)
        if role == ENTRY_ROLE:
            return self._entries[row].entry_id
        if role == _DISPLAY:
            return self.parts(row).text
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
        self._parts = {}
        self.endResetModel()

    def refresh_times(self) -> None:
        """The song on stage went on: every start time moved (one repaint of the view)."""
        self._estimates = None
        self._tick = None
        self._parts = {}
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1), [_DISPLAY])

    def parts(self, row: int) -> RowParts:
        parts = self._parts.get(row)
        if parts is None:
            parts = self._parts[row] = self._make_parts(row, self._entries[row])
        return parts

    def _start_times(self, session: KaraokeSession) -> dict[int, int]:
        """Start times as of the last tick. Between ticks the song on stage goes on, so
        times taken at a queue change would differ by a second from the rows already on
        screen; as of the tick, a change moves only the rows it moved."""
        estimates = session.start_estimates_ms()
        now = session.now_playing
        stage = now.entry_id if now is not None else None
        position_ms = session.position_ms()
        if self._tick is None or self._tick[0] != stage:
            self._tick = (stage, position_ms)
            return estimates
        since_tick_ms = position_ms - self._tick[1]
        return {entry_id: eta + since_tick_ms for entry_id, eta in estimates.items()}

    def _make_parts(self, row: int, entry: QueueEntry[Song]) -> RowParts:
        session = self.session
        assert session is not None  # no session, no rows
        if self._estimates is None:
            self._estimates = self._start_times(session)
        eta = self._estimates.get(entry.entry_id)
        when = tr("next") if eta == 0 else tr("in {0}").format(format_ms(eta))
        singer = session.singers.singer_of(entry.entry_id)  # who asked for it (phones)
        who = f"♪ {singer} · " if singer else ""
        song = entry.item
        return RowParts(f"{row + 1}. ", f"{song.title} — {song.singers_text}", who, when)


class _Geometry(NamedTuple):
    margin: int  # left and right of the text, as the style's item views have it
    top: int  # of the first line, from the row's top (the two lines centred)
    line: int  # line height
    indent: int  # the second line's start
    metrics: QFontMetrics


class RowPicture(QStyledItemDelegate):
    """Draws each row's steady part once as a picture, then copies it; the number and
    the start time, which a queue change (or the clock) moves, are drawn over the copy
    from text laid out once (`QStaticText`).

    A row's text (two lines, CJK, elided) takes 0.2–0.4 ms to lay out, and a change moves
    the number and start time of every row below it: as whole-row pictures, a song put
    on top laid out every row on screen again (13–16 ms a repaint of a 1000 px list).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pictures: dict[tuple[Any, ...], QPixmap] = {}
        self._pieces: dict[tuple[str, str], QStaticText] = {}  # (text, font) → laid out
        self._geometry: dict[tuple[str, int], _Geometry] = {}  # (font, row height)
        self._colors: dict[tuple[int, int], QColor] = {}  # (state, palette) → text colour

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        parts = index.data(PARTS_ROLE)
        if not isinstance(parts, RowParts):
            super().paint(painter, option, index)
            return
        font = option.font  # type: ignore[attr-defined]
        rect = option.rect  # type: ignore[attr-defined]
        font_key = font.key()
        shape = self._shape(option, font, font_key, rect.height())
        number = self._piece(parts.number, font_key, font)
        number_width = ceil(number.size().width())
        picture = self._picture(option, parts, number_width, shape, font_key)
        painter.drawPixmap(rect.topLeft(), picture)
        painter.save()
        painter.setFont(font)
        painter.setPen(self._text_color(option))
        left, top = rect.left() + shape.margin, rect.top() + shape.top
        painter.drawStaticText(left, top, number)
        if parts.when:
            who_width = ceil(self._piece(parts.who, font_key, font).size().width()) if parts.who else 0
            when = self._piece(parts.when, font_key, font)
            painter.drawStaticText(left + shape.indent + who_width, top + shape.line, when)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Room for both lines (the style's hint for two lines leaves none between rows)."""
        hint = super().sizeHint(option, index)
        line = QFontMetrics(option.font).height()  # type: ignore[attr-defined]
        return QSize(hint.width(), max(hint.height(), 2 * line + 2 * ROW_PADDING))

    def _picture(
        self,
        option: QStyleOptionViewItem,
        parts: RowParts,
        number_width: int,
        shape: _Geometry,
        font_key: str,
    ) -> QPixmap:
        """The row without its number and start time: background, song, singer."""
        rect = option.rect  # type: ignore[attr-defined]
        size = rect.size()
        widget = option.widget  # type: ignore[attr-defined]
        ratio = widget.devicePixelRatioF() if widget is not None else 1.0
        key = (
            parts.song,
            parts.who,
            number_width,
            size.width(),
            size.height(),
            ratio,
            option.state.value,  # type: ignore[attr-defined]  # selected, current, hovered, window active
            option.palette.cacheKey(),  # type: ignore[attr-defined]
            font_key,
        )
        picture = self._pictures.get(key)
        if picture is not None:
            return picture
        picture = QPixmap(size * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        placed = QStyleOptionViewItem(option)
        placed.rect = QRect(QPoint(0, 0), size)  # type: ignore[attr-defined]
        font = option.font  # type: ignore[attr-defined]
        drawing = QPainter(picture)
        try:
            _style(option).drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, placed, drawing, widget
            )
            drawing.setFont(font)
            drawing.setPen(self._text_color(option))
            width = size.width() - 2 * shape.margin - number_width
            song = shape.metrics.elidedText(parts.song, Qt.TextElideMode.ElideRight, max(0, width))
            drawing.drawStaticText(shape.margin + number_width, shape.top, self._piece(song, font_key, font))
            if parts.who:
                who = self._piece(parts.who, font_key, font)
                drawing.drawStaticText(shape.margin + shape.indent, shape.top + shape.line, who)
        finally:
            drawing.end()
        if len(self._pictures) >= ROW_CACHE:
            self._pictures.clear()
        self._pictures[key] = picture
        return picture

    def _shape(self, option: QStyleOptionViewItem, font: QFont, font_key: str, height: int) -> _Geometry:
        shape = self._geometry.get((font_key, height))
        if shape is None:
            metrics = QFontMetrics(font)
            widget = option.widget  # type: ignore[attr-defined]
            margin = _style(option).pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
            line = metrics.height()
            indent = ceil(self._piece(ROW_INDENT, font_key, font).size().width())
            shape = self._geometry[(font_key, height)] = _Geometry(
                margin, (height - 2 * line) // 2, line, indent, metrics
            )
        return shape

    def _text_color(self, option: QStyleOptionViewItem) -> QColor:
        """The row's text colour, as the style's item views pick it."""
        state = option.state  # type: ignore[attr-defined]
        palette = option.palette  # type: ignore[attr-defined]
        key = (state.value, palette.cacheKey())
        color = self._colors.get(key)
        if color is None:
            group = QPalette.ColorGroup.Disabled
            if state & QStyle.StateFlag.State_Enabled:
                active = state & QStyle.StateFlag.State_Active
                group = QPalette.ColorGroup.Normal if active else QPalette.ColorGroup.Inactive
            selected = state & QStyle.StateFlag.State_Selected
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            color = self._colors[key] = palette.color(group, role)
        return color

    def _piece(self, text: str, font_key: str, font: QFont) -> QStaticText:
        key = (text, font_key)
        piece = self._pieces.get(key)
        if piece is None:
            if len(self._pieces) >= PIECE_CACHE:
                self._pieces.clear()
            piece = self._pieces[key] = QStaticText(text)
            piece.setTextFormat(Qt.TextFormat.PlainText)
            piece.prepare(QTransform(), font)
        return piece


def _style(option: QStyleOptionViewItem) -> QStyle:
    widget = option.widget  # type: ignore[attr-defined]
    return widget.style() if widget is not None else QApplication.style()


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
