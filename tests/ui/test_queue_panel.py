"""The desktop queue panel: the session's queue as rows made when drawn (real Qt,
offscreen; a session without a player: queue edits need no libVLC)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ktvdesk.models import Song
from ktvdesk.services import AppServices
from ktvdesk.session import KaraokeSession
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.queue_panel import ENTRY_ROLE, QueuePanel, RowPicture


def song(n: int) -> Song:
    return Song(provider="local", id=f"s{n}", title=f"Song {n}", singers=("Singer",), duration_ms=200_000)


@pytest.fixture
def panel(services: AppServices, qtbot: QtBot) -> Iterator[QueuePanel]:
    services.session = KaraokeSession({}, None, autoplay=False)
    bridge = SessionBridge(services)
    widget = QueuePanel(bridge)
    qtbot.addWidget(widget)
    widget.resize(420, 800)
    widget.show()
    yield widget
    widget.eta_timer.stop()
    bridge.detach()


def rows(panel: QueuePanel) -> list[str]:
    return [panel.model.index(row).data() for row in range(panel.model.rowCount())]


def test_rows_follow_the_session_and_the_selection_stays_on_its_entry(panel: QueuePanel) -> None:
    session = panel.session
    assert session is not None
    ids = [session.enqueue(song(n)) for n in range(3)]
    session.enqueue(song(9), singer="小林")
    assert [row.split("\n")[0] for row in rows(panel)] == [
        "1. Song 0 — Singer",
        "2. Song 1 — Singer",
        "3. Song 2 — Singer",
        "4. Song 9 — Singer",
    ]
    assert "♪ 小林 · in " in rows(panel)[3]  # who sings it, and when it starts
    panel.list.setCurrentIndex(panel.model.index(1))
    session.move_to_top(ids[2])  # a phone's 置顶: the host's selection stays on Song 1
    assert panel.selected_entry() == ids[1] and panel.list.currentIndex().row() == 2
    assert rows(panel)[0].startswith("1. Song 2")
    panel.move_selected(0)  # the host's own 置顶
    assert [e.entry_id for e in session.upcoming][:2] == [ids[1], ids[2]]
    panel.remove_selected()
    assert panel.model.rowCount() == 3 and ids[1] not in panel.entry_ids()
    panel.clear()
    assert rows(panel) == [] and panel.empty.isVisible()


def test_a_change_to_a_long_queue_makes_only_the_rows_on_screen(panel: QueuePanel, qtbot: QtBot) -> None:
    """300 songs: a phone's song costs the texts of the rows drawn, not one per entry."""
    session = panel.session
    assert session is not None
    for n in range(300):
        session.enqueue(song(n))
    made: list[int] = []
    text = panel.model._make_parts

    def counted(row: int, entry: Any) -> Any:
        made.append(row)
        return text(row, entry)

    panel.model._make_parts = counted  # type: ignore[method-assign]
    session.enqueue_for(song(1000), "guest")
    panel.list.viewport().repaint()
    assert 0 < len(made) < 60  # a screenful, not 301
    assert panel.model.rowCount() == 301


def test_a_drop_moves_the_entry_in_the_session(panel: QueuePanel) -> None:
    session = panel.session
    assert session is not None
    ids = [session.enqueue(song(n)) for n in range(4)]
    panel.list.dropRequested.emit(ids[3], 1)  # what the view reports after a drag
    assert [e.entry_id for e in session.upcoming] == [ids[0], ids[3], ids[1], ids[2]]
    assert panel.model.index(1).data(ENTRY_ROLE) == ids[3]


def test_rows_that_did_not_change_are_copied_not_laid_out_again(panel: QueuePanel) -> None:
    session = panel.session
    assert session is not None
    ids = [session.enqueue(song(n)) for n in range(200)]
    delegate = panel.list.itemDelegate()
    assert isinstance(delegate, RowPicture)
    panel.list.viewport().repaint()
    drawn = len(delegate._pictures)
    assert 0 < drawn < 60
    session.enqueue(song(999))  # lands below the screen: every row on screen is as it was
    panel.list.viewport().repaint()
    assert len(delegate._pictures) == drawn
    shown = rows(panel)[:drawn]
    session.move_to_top(ids[150])  # every row on screen moved down one: a new number, a new start time
    panel.list.viewport().repaint()
    # the numbers and start times are drawn over copies: new pictures only for the song
    # on top and the row whose number grew a digit (9 → 10)
    assert len(delegate._pictures) <= drawn + 2
    assert rows(panel)[0].startswith("1. Song 150")
    assert rows(panel)[1:drawn] != shown[1:drawn]
    songs_shown = [r.split(". ", 1)[1].split("\n")[0] for r in rows(panel)]
    assert songs_shown[1:drawn] == [r.split(". ", 1)[1].split("\n")[0] for r in shown[: drawn - 1]]
    panel.list.setCurrentIndex(panel.model.index(0))  # the selection is drawn, not copied
    before = len(delegate._pictures)
    panel.list.viewport().repaint()
    assert len(delegate._pictures) > before
