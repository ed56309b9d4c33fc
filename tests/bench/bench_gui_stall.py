"""The Qt event loop's longest stall (goal: none over 16 ms, one frame at 60 Hz) during the
work that used to run on the GUI thread, each next to a baseline measured in the same run
and to the figure the last session recorded:

- a song change: the play recorded in the history (+ the library's play count), the queue
  of 200 songs saved, the now-playing cover decoded;
- importing a 10,000-entry playlist file into My playlists;
- a library rescan of 1,200 songs (already in a worker thread: the figure shows what the
  scan's GIL time still costs the loop; both columns run the same code);
- scrolling 5,000 search results whose covers are 2,000 different image files;
- starring and un-starring songs with 10,000 favourites, the Favourites page on screen;
- exporting a 10,000-song playlist as JSON.

Baselines: the synchronous path on the GUI thread (song change, import, scroll), the last
session's code (favourites: read and written on the GUI thread; export: one
`model_dump_json` of the whole document on the writer thread, holding the GIL).

The probe is a 1 ms `QTimer` (PreciseTimer): the longest gap between two of its ticks is
the longest time the loop could not run anything (paint, input, the lyric wipe).
Real SQLite (WAL, synchronous=FULL), real files, real Qt offscreen, a qasync loop.
Each figure is the median of `RUNS` runs; the first row is the idle loop's own longest
gap in this run (what a busy machine costs before any work: read the others against it).
As in the app, Python's cycle collector runs on the GUI thread (`ui.gc_guard`), so what
it pays for the garbage and the long-lived data that bulk work leaves is counted too.

Run: `make bench` (or `pytest tests/bench/bench_gui_stall.py -s` with QT_QPA_PLATFORM=offscreen).
`KTVDESK_BENCH_ONLY=import,export` runs some phases only (profiling).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap

from ktvdesk.catalog.local import LocalLibraryProvider, bundled_demo_dir
from ktvdesk.config import Settings
from ktvdesk.models import Song
from ktvdesk.playback import EndReason, VocalMode
from ktvdesk.queue_mirror import QueueMirror
from ktvdesk.services import AppServices, VlcStatus, open_user_data
from ktvdesk.session import KaraokeSession
from ktvdesk.storage import UserDatabase
from ktvdesk.storage.exchange import write_atomically
from ktvdesk.storage.playlist_json import (
    FilePlaylist,
    FileSong,
    PlaylistFile,
    export_json_file,
    import_json_file,
)
from ktvdesk.storage.service import UserDataService
from ktvdesk.ui.bridge import SessionBridge
from ktvdesk.ui.covers import CoverCache, CoverSlot
from ktvdesk.ui.song_list import COVER_PX, SongActions, SongTable, SongTableModel
from ktvdesk.ui.user_pages import FavoritesPage, MyPlaylistsPage
from tests.unit.library.conftest import write_media

GOAL_MS = 16.0
QUEUE_SONGS = 200
SONG_CHANGES = 20
PLAYLIST_ENTRIES = 10_000
LIBRARY_COPIES = 300  # × 4 demo songs
RESULTS = 5_000
COVER_FILES = 2_000
SCROLL_STEP_ROWS = 12  # about one viewport per step, a fast fling
FAVORITES = 10_000
FAVORITE_TOGGLES = 6
FRAME_S = 1 / 60
RUNS = 3
IDLE_S = 1.0
ONLY = {name for name in os.environ.get("KTVDESK_BENCH_ONLY", "").split(",") if name}

# What the last session recorded (median of 3, "after" column), as printed then.
LAST_SESSION = {
    "idle": "4–5",
    "song change": "5–16",
    "import": "51–96",
    "scan": "7–15",
    "scroll": "12–26",
    "favorites": "–",
    "export": "–",
}


class StallProbe:
    """A 1 ms timer; the longest gap between its ticks is the loop's longest stall.

    It also notes how much CPU the GUI thread itself used during that gap: close to the
    gap, the thread was busy (our code, or the cycle collector); far below it, the thread
    waited (for the GIL a worker held, or for a CPU the machine gave to someone else)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self._last_ns = 0
        self._last_cpu_ns = 0
        self.worst_ns = 0
        self.worst_cpu_ns = 0  # the GUI thread's CPU time during the worst gap

    def _tick(self) -> None:
        now, cpu = time.perf_counter_ns(), time.thread_time_ns()
        if now - self._last_ns > self.worst_ns:
            self.worst_ns, self.worst_cpu_ns = now - self._last_ns, cpu - self._last_cpu_ns
        self._last_ns, self._last_cpu_ns = now, cpu

    async def measure(self, work: Callable[[], Awaitable[None]]) -> float:
        self.worst_ns = 0
        self._last_ns, self._last_cpu_ns = time.perf_counter_ns(), time.thread_time_ns()
        self.timer.start()
        await asyncio.sleep(0.05)  # the probe is ticking before the work starts
        try:
            await work()
            await asyncio.sleep(0.05)  # and after it: late callbacks count too
        finally:
            self.timer.stop()
        busy_share = self.worst_cpu_ns / self.worst_ns if self.worst_ns else 0.0
        print(f"  stall {self.worst_ns / 1e6:6.1f} ms, GUI thread busy {busy_share:4.0%} of it")
        return self.worst_ns / 1e6


def median_of(measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(RUNS))


def song(n: int, cover: str | None = None) -> Song:
    return Song(
        provider="yinsuda",
        id=f"s{n}",
        title=f"Song {n}",
        singers=(f"Singer {n % 97}",),
        duration_ms=200_000,
        covers={"small": cover} if cover else {},
    )


Row = tuple[str, str, str, float, float]  # name, last session, baseline's name, baseline, now


def report(rows: list[Row]) -> None:
    print()
    print(
        f"{'longest Qt event-loop stall (median of 3)':<42} {'last':>7} "
        f"{'baseline (this run)':>26} {'now':>9} {'ratio':>7}"
    )
    for name, last, baseline_name, baseline, after in rows:
        ratio = baseline / after if after > 0 else float("inf")
        flag = "ok" if after <= GOAL_MS else f"over {GOAL_MS:.0f} ms"
        print(
            f"{name:<42} {last:>5}ms {baseline_name:>17} {baseline:>6.1f}ms "
            f"{after:>7.1f}ms {ratio:>6.1f}x  {flag}"
        )


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    from ktvdesk.ui import gc_guard

    gc_guard.install(qapp)  # as in the app: cycles are collected on the GUI thread
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def write_covers(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    paths = []
    for n in range(count):
        image = QImage(320, 320, QImage.Format.Format_RGB32)
        image.fill(QColor.fromHsv(n * 37 % 360, 180, 200))
        path = folder / f"{n}.jpg"
        image.save(str(path), "JPEG", 85)  # type: ignore[call-overload]  # the stubs say bytes; PySide wants str
        paths.append(str(path))
    return paths


def app_services(data_dir: Path) -> AppServices:
    """The composition root's user data (a writer thread) in `data_dir`, no player."""
    os.environ["KTVDESK_DATA_DIR"] = str(data_dir)
    services = AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "bench"))
    services.session = KaraokeSession({}, None)
    open_user_data(services)
    assert services.user_data is not None
    return services


# ---- earlier paths, kept here as the baselines ---------------------------------------------


class SyncCoverModel(SongTableModel):
    """The first session's song model: each cover decoded and scaled inside `data()`."""

    def __init__(self) -> None:
        super().__init__()
        self.decoded: dict[str, QPixmap] = {}

    def _cover(self, song: Song, row: int) -> QPixmap | QIcon:
        path = song.covers.get("small") or ""
        cached = self.decoded.get(path)
        if cached is None:
            pixmap = QPixmap(path)
            cached = pixmap.scaled(
                COVER_PX,
                COVER_PX,
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.decoded[path] = cached
        return cached


class SyncFavoriteActions(SongActions):
    """The last session's favourites: read and written on the GUI thread, every key read
    again after each change, the Favourites page read back and reset."""

    favoritesChanged = Signal()

    def is_favorite(self, song: Song) -> bool:
        db = self.services.user_db
        assert db is not None
        if self._favorite_keys is None:
            self._favorite_keys = db.favorites.keys()
        return song.key in self._favorite_keys

    def toggle_favorite(self, song: Song) -> None:
        db = self.services.user_db
        assert db is not None
        self._favorite_keys = None
        if db.favorites.contains(song):
            db.favorites.remove(song)
        else:
            db.favorites.add(song)
        self.favoritesChanged.emit()


def star_all(db: UserDatabase, songs: list[Song]) -> None:
    with db.transaction():  # one commit: the setup is not what is measured
        for item in songs:
            db.favorites.add(item)


def export_whole_document(db: UserDatabase, path: Path, playlist_id: int) -> None:
    """The last session's JSON export: one pydantic dump of the whole document."""
    loaded = db.playlists.load(playlist_id)
    songs = tuple(FileSong(song=entry.song) for entry in loaded.entries)
    document = PlaylistFile(exported_at_ms=0, playlists=(FilePlaylist(name=loaded.name, songs=songs),))
    write_atomically(path, document.model_dump_json(indent=2).encode("utf-8"))


# ---- the phases ----------------------------------------------------------------------------


class Bench:
    def __init__(self, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
        self.loop = loop
        self.tmp_path = tmp_path
        self.probe = StallProbe()
        self.runs = iter(range(1_000))
        self._covers: list[str] | None = None

    def measure(self, work: Callable[[], Awaitable[None]]) -> float:
        return self.loop.run_until_complete(self.probe.measure(work))

    def fresh_dir(self, name: str) -> Path:
        return self.tmp_path / f"{name}-{next(self.runs)}"

    @property
    def covers(self) -> list[str]:
        if self._covers is None:
            self._covers = write_covers(self.tmp_path / "covers", COVER_FILES)
        return self._covers

    def idle(self) -> Row:
        def once() -> float:
            return self.measure(lambda: asyncio.sleep(IDLE_S))

        return (
            "idle loop (this machine's noise floor)",
            LAST_SESSION["idle"],
            "idle",
            median_of(once),
            median_of(once),
        )

    def song_change(self) -> Row:
        demo = bundled_demo_dir()
        assert demo is not None
        library = LocalLibraryProvider(self.tmp_path / "library.sqlite3", roots=[demo])
        self.loop.run_until_complete(library.scan())
        local_song = self.loop.run_until_complete(library.search("mlh")).items[0]
        covers = self.covers

        def once(threaded: bool) -> float:
            db = UserDatabase(self.fresh_dir("user-change") / "user.sqlite3")
            services = AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "bench"))
            services.user_db = db
            services.library = library
            services.user_data = UserDataService(db) if threaded else None
            session = KaraokeSession({}, None)
            services.session = session
            mirror = QueueMirror(session, db.queue, write=services._write_user_data)
            for n in range(QUEUE_SONGS):
                session.enqueue(song(n))
            slot = CoverSlot(64, lambda _pixmap: None, CoverCache()) if threaded else None

            async def work() -> None:
                for n in range(SONG_CHANGES):
                    # What the app does when a song ends and the next starts.
                    services.record_play(local_song, EndReason.FINISHED, VocalMode.ORIGINAL)
                    session.move_to_top(session.upcoming[-1].entry_id)  # the queue changes: saved
                    if slot is not None:
                        slot.show(covers[n])
                    else:
                        QPixmap(covers[n]).scaled(64, 64)
                    await asyncio.sleep(FRAME_S)
                if services.user_data is not None:
                    await services.user_data.flush()

            try:
                return self.measure(work)
            finally:
                mirror.close()
                if services.user_data is not None:
                    services.user_data.close()
                else:
                    db.close()
                if slot is not None:
                    slot.cache.close()

        try:
            return (
                "song change (history, queue, cover)",
                LAST_SESSION["song change"],
                "on the GUI thread",
                median_of(lambda: once(False)),
                median_of(lambda: once(True)),
            )
        finally:
            self.loop.run_until_complete(library.aclose())

    def big_playlist_file(self) -> Path:
        playlist_file = self.tmp_path / "big.json"
        if not playlist_file.exists():
            with UserDatabase(self.tmp_path / "source.sqlite3") as source:
                big = source.playlists.create("Big", [song(n) for n in range(PLAYLIST_ENTRIES)])
                export_json_file(source, playlist_file, [big])
            document = json.loads(playlist_file.read_text(encoding="utf-8"))
            assert len(document["playlists"][0]["songs"]) == PLAYLIST_ENTRIES
        return playlist_file

    def import_playlist(self) -> Row:
        playlist_file = self.big_playlist_file()

        def on_gui_thread() -> float:
            db = UserDatabase(self.fresh_dir("user-import-sync") / "user.sqlite3")

            async def work() -> None:
                import_json_file(db, playlist_file)

            try:
                return self.measure(work)
            finally:
                assert db.playlists.summaries()[0].song_count == PLAYLIST_ENTRIES
                db.close()

        def through_the_page() -> float:
            services = app_services(self.fresh_dir("data-import"))
            page = MyPlaylistsPage(SongActions(SessionBridge(services)))
            page.choose_import_path = lambda: playlist_file

            async def work() -> None:
                page.import_file()
                await page.settled()

            try:
                return self.measure(work)
            finally:
                assert page.items.count() == PLAYLIST_ENTRIES  # listed on the page, too
                self.close(services)

        return (
            f"import a {PLAYLIST_ENTRIES:,}-entry playlist",
            LAST_SESSION["import"],
            "on the GUI thread",
            median_of(on_gui_thread),
            median_of(through_the_page),
        )

    def rescan(self) -> Row:
        demo = bundled_demo_dir()
        assert demo is not None
        big_library = self.tmp_path / "big-library"
        big_library.mkdir()
        # Copies, not hard links (the scanner skips a file it has seen under another
        # name), of a short file (1,200 copies of the 2-MB demo songs would be 2 GB).
        media = write_media(self.tmp_path / "tone.mkv", seconds=1.0)
        for stem in sorted({p.stem for p in demo.glob("*.mkv")}):
            for n in range(LIBRARY_COPIES):
                shutil.copyfile(media, big_library / f"{stem} {n}.mkv")
                shutil.copyfile(demo / f"{stem}.lrc", big_library / f"{stem} {n}.lrc")

        def once() -> float:
            scanned = LocalLibraryProvider(self.fresh_dir("rescan") / "index.sqlite3", roots=[big_library])

            async def work() -> None:
                assert await scanned.scan() is not None  # runs in a worker thread

            try:
                return self.measure(work)
            finally:
                self.loop.run_until_complete(scanned.aclose())

        try:
            return (
                f"library scan of {4 * LIBRARY_COPIES:,} songs",
                LAST_SESSION["scan"],
                "same code",
                median_of(once),
                median_of(once),
            )
        finally:
            shutil.rmtree(big_library)

    def scroll(self) -> Row:
        covers = self.covers
        results = [song(n, covers[n % COVER_FILES]) for n in range(RESULTS)]
        services = AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "bench"))
        bridge = SessionBridge(services)
        actions = SongActions(bridge)

        def once(model: SongTableModel) -> float:
            table = SongTable(actions)
            table.setModel(model)
            table.song_model = model
            table.resize(900, 700)
            table.show()
            model.reset(results)

            async def work() -> None:
                bar = table.verticalScrollBar()
                row_px = table.verticalHeader().defaultSectionSize()
                value = 0
                while value < bar.maximum():
                    value = min(bar.maximum(), value + SCROLL_STEP_ROWS * row_px)
                    bar.setValue(value)
                    table.viewport().repaint()  # paint now, as a real frame would
                    await asyncio.sleep(FRAME_S)

            try:
                return self.measure(work)
            finally:
                table.close()
                table.deleteLater()

        cover_caches: list[CoverCache] = []

        def async_model() -> SongTableModel:
            model = SongTableModel()
            model.covers = CoverCache()  # a cold cache per run, like the sync model's
            model.covers.ready.connect(model._cover_ready)
            cover_caches.append(model.covers)
            return model

        once(SongTableModel())  # warm-up: fonts and the first paint, counted in neither column
        try:
            return (
                f"scroll {RESULTS:,} results, {COVER_FILES:,} covers",
                LAST_SESSION["scroll"],
                "decoded in data()",
                median_of(lambda: once(SyncCoverModel())),
                median_of(lambda: once(async_model())),
            )
        finally:
            for cache in cover_caches:
                cache.close()
            bridge.detach()

    def favorites(self) -> Row:
        loved = [song(n) for n in range(FAVORITES)]
        toggled = [song(FAVORITES + n) for n in range(FAVORITE_TOGGLES // 2)] + loved[: FAVORITE_TOGGLES // 2]

        def once(actions_class: type[SongActions]) -> float:
            services = app_services(self.fresh_dir("data-favorites"))
            assert services.user_data is not None
            services.user_data.run_blocking(lambda db: star_all(db, loved))
            actions = actions_class(SessionBridge(services))
            page = FavoritesPage(actions)
            page.resize(900, 700)
            page.show()
            if isinstance(actions, SyncFavoriteActions):
                actions.favoritesChanged.connect(page.refresh)  # the last session's main window
            self.loop.run_until_complete(self.refreshed(page))

            async def work() -> None:
                for item in toggled:
                    actions.toggle_favorite(item)  # the context menu's (Add to / Remove from) favorites
                    page.songs.table.viewport().repaint()  # every painted row asks is_favorite
                    await actions.settled()
                    await page.settled()
                    await asyncio.sleep(FRAME_S)

            try:
                return self.measure(work)
            finally:
                assert len(page.songs.songs) == FAVORITES  # as many starred as un-starred
                page.close()
                self.close(services)

        return (
            f"star/unstar with {FAVORITES:,} favourites",
            LAST_SESSION["favorites"],
            "on the GUI thread",
            median_of(lambda: once(SyncFavoriteActions)),
            median_of(lambda: once(SongActions)),
        )

    def export(self) -> Row:
        playlist_file = self.big_playlist_file()

        def once(whole_document: bool) -> float:
            services = app_services(self.fresh_dir("data-export"))
            user_data = services.user_data
            assert user_data is not None
            [playlist_id] = user_data.run_blocking(lambda db: import_json_file(db, playlist_file))
            page = MyPlaylistsPage(SongActions(SessionBridge(services)))
            self.loop.run_until_complete(self.refreshed(page))
            page.select(playlist_id)
            target = self.fresh_dir("export") / "out.json"
            page.choose_export_path = lambda _name: target

            async def work() -> None:
                if whole_document:
                    await user_data.run(lambda db: export_whole_document(db, target, playlist_id))
                else:
                    page.export_selected()
                    await page.settled()

            try:
                return self.measure(work)
            finally:
                assert len(json.loads(target.read_bytes())["playlists"][0]["songs"]) == PLAYLIST_ENTRIES
                self.close(services)

        return (
            f"export a {PLAYLIST_ENTRIES:,}-song playlist (JSON)",
            LAST_SESSION["export"],
            "one dump, writer",
            median_of(lambda: once(True)),
            median_of(lambda: once(False)),
        )

    @staticmethod
    async def refreshed(page: FavoritesPage | MyPlaylistsPage) -> None:
        page.refresh()  # reads need the running loop
        await page.settled()

    def close(self, services: AppServices) -> None:
        assert services.user_data is not None
        services.user_data.close()
        self.loop.run_until_complete(services.tasks.aclose())


def test_gui_stall(qloop: asyncio.AbstractEventLoop, tmp_path: Path, qapp: Any) -> None:
    bench = Bench(qloop, tmp_path)
    phases: dict[str, Callable[[], Row]] = {
        "idle": bench.idle,
        "song-change": bench.song_change,
        "import": bench.import_playlist,
        "scan": bench.rescan,
        "scroll": bench.scroll,
        "favorites": bench.favorites,
        "export": bench.export,
    }
    report([run() for name, run in phases.items() if not ONLY or name in ONLY])
