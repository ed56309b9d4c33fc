"""A check that no visible text of a window is clipped or overlapping
(tests/ui/desktop/test_layouts.py runs it at 1024×600, 1280×800 and 1920×1080 in both languages).

Each visible label, button and check box must be wide (and, wrapped, tall) enough for
its text, lie inside the window, and not overlap another text widget of the window.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QWidget

SLACK_PX = 2  # rounding of font metrics


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    room = label.contentsRect()
    margin = 2 * label.margin() + label.indent() if label.indent() > 0 else 2 * label.margin()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        return (
            f"needs {needed} px of height, has {label.height()}"
            if needed > label.height() + SLACK_PX
            else None
        )
    if label.textFormat() != Qt.TextFormat.PlainText and "<" in text:  # rich text: its laid-out width
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setHtml(text)
        document.setDocumentMargin(0)
        wanted = int(document.idealWidth())
    else:
        wanted = max(label.fontMetrics().horizontalAdvance(line) for line in text.splitlines())
    if wanted + margin > room.width() + SLACK_PX:
        return f"text needs {wanted} px, has {room.width()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    hint = button.sizeHint() if isinstance(button, QCheckBox) else button.minimumSizeHint()
    if hint.width() > button.width() + SLACK_PX:
        return f"needs {hint.width()} px, has {button.width()}"
    return None


def _text_widgets(window: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0 or widget.window() is not window:
            continue
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            if _clipped_by_scroll(widget, window):
                continue  # inside a scroll area: scrolled into view when needed
            found.append(widget)
    return found


def _clipped_by_scroll(widget: QWidget, window: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '-'}: {widget.text()!r})"  # type: ignore[attr-defined]


def layout_problems(window: QWidget) -> list[str]:
    """One line per clipped, off-window or overlapping text widget (empty: all good)."""
    problems: list[str] = []
    widgets = _text_widgets(window)
    bounds = window.rect()
    boxes: list[tuple[QWidget, QRect]] = []
    for widget in widgets:
        box = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        boxes.append((widget, box))
        if not bounds.contains(box):
            problems.append(f"{_name(widget)} lies outside the window ({box} in {bounds})")
        problem = (
            _label_problem(widget) if isinstance(widget, QLabel) else _button_problem(widget)  # type: ignore[arg-type]
        )
        if problem is not None:
            problems.append(f"{_name(widget)} is clipped: {problem}")
    for index, (first, first_box) in enumerate(boxes):
        for second, second_box in boxes[index + 1 :]:
            if first.isAncestorOf(second) or second.isAncestorOf(first):
                continue
            overlap = first_box.intersected(second_box)
            if overlap.width() > SLACK_PX and overlap.height() > SLACK_PX:
                problems.append(f"{_name(first)} overlaps {_name(second)}")
    return problems
