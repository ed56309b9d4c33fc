"""What keeps the GUI thread free: the one "newest request wins" loader and the bounded
cover cache that decodes off the GUI thread. Real Qt offscreen, a qasync loop per test,
real image files written by the test."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap

from ktvdesk.errors import KtvError, UserMessage
from ktvdesk.models import Song
from ktvdesk.services import AppServices
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.covers import CoverCache, CoverSlot
from ktvdesk.ui.latest import LatestRequest
from ktvdesk.ui.song_list import COVER_PX, SongTableModel
from tests.ui.conftest import run, until


def write_cover(path: Path, colour: str, side: int = 300) -> str:
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return str(path)


def test_the_newest_request_wins(services: AppServices, qloop: asyncio.AbstractEventLoop) -> None:
    bridge = SessionBridge(services)
    errors: list[str] = []
    shown: list[str] = []
    latest = LatestRequest(bridge, errors.append)

    async def scenario() -> None:
        slow_gate, fast_gate = asyncio.Event(), asyncio.Event()

        async def answer(text: str, gate: asyncio.Event) -> str:
            await gate.wait()
            return text

        async def fail() -> str:
            raise KtvError("offline", user_message=UserMessage("离线", "Offline"))

        assert latest.load(lambda: answer("m", slow_gate), shown.append)
        first = latest._task
        assert latest.load(lambda: answer("mlh", fast_gate), shown.append)
        assert first is not None and first.cancelling()  # the older request is cancelled
        fast_gate.set()
        slow_gate.set()
        await latest.wait()
        assert shown == ["mlh"]
        # An error reaches the view in the user's language; a stale error does not.
        latest.load(fail, shown.append)
        await latest.wait()
        assert errors == ["Offline"]
        latest.load(fail, shown.append)
        stale = latest._task
        latest.cancel()
        assert stale is not None
        await asyncio.wait([stale])
        assert errors == ["Offline"] and not latest.busy

    run(qloop, scenario())
    bridge.detach()


def test_without_a_running_loop_nothing_starts(services: AppServices, qapp: Any) -> None:
    latest = LatestRequest(SessionBridge(services))
    made: list[int] = []

    async def never() -> None:
        made.append(1)

    assert latest.load(never, lambda _r: None) is False
    assert made == [] and not latest.busy


def test_covers_are_decoded_off_the_gui_thread_and_bounded(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    paths = [write_cover(tmp_path / f"c{n}.png", colour) for n, colour in enumerate(["red", "green", "blue"])]
    one_cover = COVER_PX * COVER_PX * 4
    cache = CoverCache(max_bytes=2 * one_cover)  # room for two
    decoding_threads: set[str] = set()
    original = cache._work

    def spy(path: str, size_px: int) -> None:
        decoding_threads.add(threading.current_thread().name)
        original(path, size_px)

    cache._work = spy  # type: ignore[method-assign]

    async def scenario() -> None:
        for path in paths:
            assert cache.get(path, COVER_PX) is None  # not decoded yet: the caller never waits
            await until(lambda p=path: cache.get(p, COVER_PX) is not None, cache.ready)  # type: ignore[misc]
        pixmap = cache.get(paths[2], COVER_PX)
        assert pixmap is not None and pixmap.width() == COVER_PX
        assert pixmap.toImage().pixelColor(5, 5) == QColor("blue")
        # Bounded: the least recently used cover went.
        assert len(cache) == 2 and cache.bytes <= cache.max_bytes
        assert cache.get(paths[0], COVER_PX) is None

    try:
        run(qloop, scenario())
    finally:
        cache.close()
    assert decoding_threads and threading.current_thread().name not in decoding_threads


def test_an_unreadable_cover_is_remembered_as_none(tmp_path: Path, qloop: asyncio.AbstractEventLoop) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    cache = CoverCache()

    async def scenario() -> None:
        cache.get(str(broken), COVER_PX)
        await until(lambda: cache.pending == 0, cache.ready)
        found = cache.get(str(broken), COVER_PX)
        assert found is not None and found.isNull() and cache.pending == 0  # not decoded again

    try:
        run(qloop, scenario())
    finally:
        cache.close()


def test_song_rows_show_the_cover_once_it_is_decoded(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    path = write_cover(tmp_path / "cover.png", "red")
    model = SongTableModel()
    model.covers = CoverCache()
    model.covers.ready.connect(model._cover_ready)
    model.reset([Song(provider="local", id="1", title="A", covers={"small": path})])
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))

    async def scenario() -> None:
        placeholder = model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
        assert not isinstance(placeholder, QPixmap)  # the note icon while it decodes
        await until(lambda: bool(changed), model.dataChanged)
        cover = model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(cover, QPixmap) and cover.toImage().pixelColor(3, 3) == QColor("red")

    try:
        run(qloop, scenario())
    finally:
        model.covers.close()
    assert changed == [0]


def test_a_cover_slot_shows_only_the_newest_cover(tmp_path: Path, qloop: asyncio.AbstractEventLoop) -> None:
    old, new = write_cover(tmp_path / "old.png", "red"), write_cover(tmp_path / "new.png", "blue")
    cache = CoverCache()
    shown: list[QColor | None] = []
    slot = CoverSlot(64, lambda p: shown.append(None if p is None else p.toImage().pixelColor(1, 1)), cache)

    async def scenario() -> None:
        slot.show(old)
        slot.show(new)  # the song changed before the first cover was decoded
        await until(lambda: cache.pending == 0 and shown[-1] is not None, cache.ready)
        assert shown[-1] == QColor("blue") and QColor("red") not in shown

    try:
        run(qloop, scenario())
    finally:
        cache.close()


class Freed:
    """Records the thread that freed it."""

    def __init__(self, threads: list[str], done: threading.Event | None = None) -> None:
        self.threads, self.done = threads, done

    def __del__(self) -> None:
        self.threads.append(threading.current_thread().name)
        if self.done is not None:
            self.done.set()


def test_a_replaced_song_list_is_freed_off_the_gui_thread_and_a_shared_one_kept(qapp: Any) -> None:
    threads: list[str] = []
    last_freed = threading.Event()
    model = SongTableModel()
    model.songs = [Freed(threads) for _ in range(999)] + [Freed(threads, last_freed)]  # type: ignore[assignment]
    model.reset([Song(provider="local", id="1", title="A")])  # the old list goes to the helper thread
    assert last_freed.wait(10)
    assert len(threads) == 1000 and threading.current_thread().name not in threads
    held = model.songs  # a caller still holds the model's list…
    model.reset([])
    assert model.songs == [] and [s.title for s in held] == ["A"]  # …so it is let go, never emptied
