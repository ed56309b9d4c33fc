"""Start-up and shutdown of the GUI: QApplication + qasync on Python 3.11.

`asyncio.run(loop_factory=…)` needs 3.12, so the loop is installed by hand and run until
`aboutToQuit`. SIGINT/SIGTERM reach Qt through a wake-up socket: Python only runs signal
handlers between bytecodes, and Qt's C++ event loop would otherwise sit on them.

The desktop window starts in two steps (issue 15), after a start window. The start
window (`ktvdesk.ui.start_window`) needs Qt alone: this module imports nothing heavier at
its top, so the start window shows before pydantic, asyncio, qasync and the core are
imported. Then the first step: what the first frame shows (the settings, the library
index, the user's lists and the window with the songs listed), which takes the start
window's place. Then, once it shows, on worker threads: libVLC (its plugin scan), the
library scan, the keyring, and scoring. A song picked before libVLC is up plays when it
is (the session keeps the queue); "ready" in the log marks the end of the second step.
Each step logs the CPU time used so far (`tests/bench/bench_startup.py` reads it).

The kiosk shell, the stage screen and venue rooms start without a start window, in the
order that is cheapest when nothing shows early: the core before PySide6 (see
`_CORE_MODULES`).
"""

from __future__ import annotations

import argparse
import builtins
import importlib
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ktvdesk import APP_NAME, __version__, paths
from ktvdesk.logs import setup_logging

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QApplication

    from ktvdesk.catalog.venue import VenueRoom
    from ktvdesk.services import AppServices
    from ktvdesk.ui.start_window import StartWindow

log = logging.getLogger(__name__)

# Python's own `__import__`, saved before anything imports PySide6 (which wraps it).
_PLAIN_IMPORT = builtins.__import__

# The signal sockets and their notifier must live as long as the application.
_keepalive: list[object] = []

# What `build_services` imports, imported before PySide6 when no start window shows:
# PySide6's import hook reads the source of every module imported after it (to look for
# `__feature__` use, PYSIDE-2029): these cost about a fifth more after it (~120 ms of CPU
# measured). An order, not a dependency: a module missing here is merely imported later.
_CORE_MODULES = (
    "ktvdesk.session",
    "ktvdesk.catalog.local",
    "ktvdesk.storage",
    "ktvdesk.storage.service",
    "ktvdesk.refresh.media",
    "ktvdesk.queue_mirror",
    "ktvdesk.cloud_requirements",
)


# The second step of the start waits for the first frame's song list at most this long.
SECOND_STEP_DEADLINE_MS = 3000


def cpu_ms() -> int:
    """CPU time (user + system, every thread) this process has used since it started."""
    return int(time.process_time() * 1000)


def _mark(step: str) -> None:
    log.debug("start-up: %s done after %d ms of CPU", step, cpu_ms())


def run_gui(args: argparse.Namespace) -> int:
    if args.screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    setup_logging(paths.log_dir(), debug=args.debug)
    _mark("interpreter, command line")
    start = _open_start_window(args) if _has_start_window(args) else None
    with _without_qt_import_hook():
        from ktvdesk.config import load_settings

        _mark("settings model imported")
        loaded = load_settings(Path(args.config) if args.config else None)
        for problem in loaded.problems:
            print(f"ktvdesk: {problem}", file=sys.stderr)
        _mark("settings loaded")
        for name in _CORE_MODULES:
            importlib.import_module(name)
        from ktvdesk.services import build_services
    _mark("core modules imported")

    import asyncio

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    app = _application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    _install_signal_handlers(app)  # before anything slow: a stop asked for during start-up is clean
    _mark("Qt application and event loop")

    stage_screen = getattr(args, "stage_screen", None)
    venue = _venue_room(args)
    if venue is False:
        return 2
    kiosk_mode = bool(getattr(args, "kiosk", False))
    # The kiosk shell and the stage window take libVLC's video at once: those start in one step.
    staged = not kiosk_mode and stage_screen is None
    services = build_services(
        loaded,
        lang=args.lang,
        provider=getattr(args, "provider", None),
        library_dirs=getattr(args, "library", None) or (),
        demo_cloud=bool(getattr(args, "demo_cloud", False)),
        video=stage_screen is not None,
        loop=loop,
        venue=venue or None,
        staged=staged,
    )
    if not _bind_remote(args, services, loop):
        return 2
    _mark("services built")
    from ktvdesk.ui.i18n import install_translator
    from ktvdesk.ui.main_window import MainWindow
    from ktvdesk.ui.theme import apply_style_sheet, apply_theme

    _mark("window modules imported")

    install_translator(app, services.language)
    from ktvdesk.ui.owner_badge import configure_owner_badge

    configure_owner_badge(services.settings.zego.owner_logo)
    # The desktop window is built first and styled once (see `apply_theme`).
    apply_theme(app, services.settings.theme, style_sheet=kiosk_mode)
    window: QWidget
    if kiosk_mode:
        from ktvdesk.ui.kiosk.shell import start_kiosk
        from ktvdesk.ui.singing_ui import install_kiosk_singing

        kiosk = start_kiosk(app, services, screen=getattr(args, "screen", None), stage_screen=stage_screen)
        install_kiosk_singing(kiosk)  # 评分 in kiosk mode (issue 19)
        window = kiosk
        if services.room_agent is not None:
            from ktvdesk.ui.kiosk.window import KioskWindow
            from ktvdesk.ui.venue_room import attach_venue_room

            assert isinstance(window, KioskWindow)
            attach_venue_room(window, services.room_agent)
            agent = services.room_agent
            QTimer.singleShot(0, lambda: services.tasks.spawn(agent.start(), name="venue-room"))
    else:
        window = MainWindow(services, stage_screen=stage_screen, video=stage_screen is not None)
        apply_style_sheet(app, services.settings.theme)
        if stage_screen is not None:
            window.open_stage(stage_screen)
    _mark("window built")
    ready = asyncio.Event()
    if args.screenshot:
        _schedule_screenshot(app, window, Path(args.screenshot), ready)
    # Shown from the running loop: the song lists start loading in the show event itself.
    loop.call_soon(lambda: _show(window, services, ready, staged=staged, start=start))
    if services.remote is not None:
        remote = services.remote
        QTimer.singleShot(0, lambda: services.tasks.spawn(remote.start(), name="remote-start"))

    quit_requested = asyncio.Event()
    app.aboutToQuit.connect(quit_requested.set)
    with loop:
        loop.run_until_complete(quit_requested.wait())
        if _display_lost(app):
            # Qt's loop cannot turn any more: no orderly async shutdown is possible. The
            # queue is in storage already (the mirror writes each change).
            log.critical("the X connection broke (window killed or X server gone): exiting")
            from ktvdesk.kiosk.exit_codes import KioskExit

            return int(KioskExit.DISPLAY_LOST)
        loop.run_until_complete(_shutdown(services))
    return int(getattr(window, "exit_code", 0))


@contextmanager
def _without_qt_import_hook() -> Iterator[None]:
    """Python's own import for the settings and the core, imported after PySide6 when a
    start window shows. PySide6 wraps `__import__` to read the source of every module
    imported after it, looking for `from __feature__ import …` (PYSIDE-2029): ~70 ms of
    CPU to the first frame, ~20 ms with this block (measured). None of these modules
    touches Qt (the import contracts say so) and no module of the app selects a feature,
    so the check can find nothing here. Outside this block (and with no start window,
    where PySide6 comes after them) nothing changes."""
    hooked = builtins.__import__
    builtins.__import__ = _PLAIN_IMPORT
    try:
        yield
    finally:
        builtins.__import__ = hooked


def _has_start_window(args: argparse.Namespace) -> bool:
    """The desktop window only: the kiosk shell, the stage screen and a venue room's
    terminal place their own windows, on screens a start window knows nothing of."""
    kiosk = bool(getattr(args, "kiosk", False))
    stage = getattr(args, "stage_screen", None) is not None
    venue = bool(getattr(args, "venue", None) or getattr(args, "room", None))
    return not (kiosk or stage or venue)


def _open_start_window(args: argparse.Namespace) -> StartWindow:
    """The QApplication, then the start window in the language asked for (the settings'
    language is not known yet: reading them takes pydantic)."""
    from ktvdesk.language import pick_language
    from ktvdesk.ui.i18n import install_translator
    from ktvdesk.ui.start_window import show_start_window

    app = _application()
    install_translator(app, pick_language(args.lang, None))
    window = show_start_window()
    log.info("start window shown after %d ms of CPU", cpu_ms())
    return window


def _application() -> QApplication:
    """The one QApplication (made on the first call), named, with the GUI-thread collector."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0], *_qt_args()])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    from ktvdesk.ui import gc_guard
    from ktvdesk.ui.start_window import set_app_identity

    set_app_identity()
    gc_guard.install(app)  # Qt objects must only ever be destroyed on this thread
    return app


def _display_lost(app: object) -> bool:
    from PySide6.QtGui import QGuiApplication

    if not isinstance(app, QGuiApplication) or QGuiApplication.platformName() != "xcb":
        return False
    from ktvdesk.ui.kiosk.x11 import connection_broken

    native = app.nativeInterface()
    connection = getattr(native, "connection", None)
    return callable(connection) and connection_broken(int(connection()))


def _venue_room(args: argparse.Namespace) -> VenueRoom | Literal[False] | None:
    """`--venue URL --room ROOM` (kiosk only); the room key comes from the environment or
    the keyring, never from a flag. False: the options are wrong (said on stderr)."""
    url, room = getattr(args, "venue", None), getattr(args, "room", None)
    if not url and not room:
        return None
    from ktvdesk.catalog.venue import VenueRoom
    from ktvdesk.keystore import get_secret

    problem = None
    if not (url and room):
        problem = "--venue and --room go together"
    elif not getattr(args, "kiosk", False):
        problem = "--venue is for room terminals: add --kiosk"
    key = get_secret("venue.room_key") if problem is None else None
    if problem is None and not key:
        problem = "no room key: set KTVDESK_VENUE_ROOM_KEY (or store venue.room_key in the keyring)"
    if problem is not None or not key:
        print(f"ktvdesk: {problem}", file=sys.stderr)
        return False
    return VenueRoom(str(url), str(room), key)


def _bind_remote(args: argparse.Namespace, services: AppServices, loop: asyncio.AbstractEventLoop) -> bool:
    """`--remote` (or `[remote] enabled`): take the address now, so a wrong one is one
    line on stderr and exit status 2 before the main window opens."""
    if not (getattr(args, "remote", False) or services.settings.remote.enabled):
        return True
    from ktvdesk.errors import KtvError

    url_file = getattr(args, "remote_url_file", None)
    try:
        services.open_remote(
            host=getattr(args, "remote_host", None),
            port=getattr(args, "remote_port", None),
            url_file=Path(url_file) if url_file else None,
            kiosk=bool(getattr(args, "kiosk", False)),
        )
    except KtvError as exc:
        print(f"ktvdesk: {exc.message('en')}", file=sys.stderr)
        loop.run_until_complete(services.aclose())
        return False
    return True


def _show(
    window: object, services: AppServices, ready: asyncio.Event, *, staged: bool, start: StartWindow | None
) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QWidget

    from ktvdesk.ui.start_window import hand_over

    assert isinstance(window, QWidget)
    if start is not None:
        hand_over(start, window)
    if not window.isVisible():  # the kiosk shell places and shows its own windows
        window.show()
    playback = "starting" if services.session is not None and services.session.engine_pending else None
    playback = playback or ("on" if services.vlc.available else "off")
    log.info("main window shown (playback %s) after %d ms of CPU", playback, cpu_ms())

    started = False

    def second_step() -> None:
        nonlocal started
        if not started and not services.closed:
            started = True
            services.tasks.spawn(_second_step(window, services, ready, staged=staged), name="start-up")

    # Once the first frame is complete (its song list filled and painted, on the turn after
    # the list's load): nothing competes with it, not even on another core. A list that
    # never reports (its load failed) holds nothing back beyond the deadline.
    first_list = _first_song_list(window)
    if first_list is None:
        second_step()
    else:
        first_list.connect(lambda: QTimer.singleShot(0, second_step), Qt.ConnectionType.SingleShotConnection)
        QTimer.singleShot(SECOND_STEP_DEADLINE_MS, second_step)


def _first_song_list(window: object) -> SignalInstance | None:
    """The signal of the song list the first frame shows being filled (None: no such list)."""
    from ktvdesk.ui.main_window import MainWindow

    return window.search_page.discover.loaded if isinstance(window, MainWindow) else None


async def _second_step(window: object, services: AppServices, ready: asyncio.Event, *, staged: bool) -> None:
    """What the first frame does not need: libVLC, the library scan and the keyring side
    by side (each on a worker thread), then scoring, which needs the session's player."""
    import asyncio

    from ktvdesk.ui.main_window import MainWindow

    steps = [services.start()]  # the scan: the demo songs on a first start
    if staged:
        steps += [services.start_engine(), services.check_keyring()]
    try:
        # One failed step leaves the others running and the window usable.
        for outcome in await asyncio.gather(*steps, return_exceptions=True):
            if isinstance(outcome, Exception):
                log.error("start-up step failed", exc_info=outcome)
        if isinstance(window, MainWindow) and not services.closed:
            from ktvdesk.ui.singing_ui import install_singing

            install_singing(window)  # 评分 (issue 19); the session's listener list keeps it alive
        playback = "on" if services.vlc.available else "off"
        log.info("ready (playback %s) after %d ms of CPU", playback, cpu_ms())
    finally:
        ready.set()


async def _shutdown(services: AppServices) -> None:
    await services.aclose()
    log.info("ktvdesk stopped cleanly")


def _qt_args() -> list[str]:
    return []


def _schedule_screenshot(app: object, window: object, target: Path, ready: asyncio.Event) -> None:
    """Grab the window once its song list is filled (the discover lists' first load with
    songs, or the load after the library scan when there are none), then quit once the
    start-up's second step is over too (the bench reads both log lines)."""
    import asyncio

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from ktvdesk.ui.main_window import MainWindow

    assert isinstance(app, QApplication) and isinstance(window, QWidget)
    shot = asyncio.Event()

    def shoot() -> None:
        if shot.is_set():
            return
        shot.set()
        # Layout and paint requests only: no timer (no queued task) runs before the grab.
        app.sendPostedEvents()
        frame = window.grab()
        # The frame is rendered: what a user sees now (the PNG's encoding is the tool's cost).
        what = f"{_songs_listed(window)} songs listed" if isinstance(window, MainWindow) else "kiosk"
        log.info("screenshot %s: %s, after %d ms of CPU", target, what, cpu_ms())
        target.parent.mkdir(parents=True, exist_ok=True)
        if not frame.save(str(target)):
            log.error("could not write screenshot %s", target)

    async def quit_when_done() -> None:
        await ready.wait()
        try:  # the list reloads after the library scan, which `ready` includes
            await asyncio.wait_for(shot.wait(), SECOND_STEP_DEADLINE_MS / 1000)
        except TimeoutError:  # a list that never loaded: the window as it is
            QTimer.singleShot(0, shoot)  # grabbed on a turn of its own, outside this task
            await shot.wait()
        app.quit()

    asyncio.get_event_loop().create_task(quit_when_done(), name="screenshot")
    if not isinstance(window, MainWindow):  # the kiosk: two turns lay it out and paint it
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, shoot))
        return
    discover = window.search_page.discover
    services = window.services

    def loaded() -> None:
        # Emitted inside the loading task: grab on the next turn, outside any task.
        if _songs_listed(window) or services.scan_report is not None or services.library is None:
            QTimer.singleShot(0, shoot)

    discover.loaded.connect(loaded)


def _songs_listed(window: object) -> int:
    """Rows in the song list the Search page shows (the discover tab on top)."""
    from ktvdesk.ui.main_window import MainWindow

    if not isinstance(window, MainWindow):
        return 0
    page = window.search_page
    panel = page.results if page.results.isVisible() else page.discover.tabs.currentWidget()
    return len(getattr(panel, "songs", ()))


def _install_signal_handlers(app: object) -> None:
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: None)  # the wake-up byte does the work
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def on_signal() -> None:
        try:
            reader.recv(64)
        except BlockingIOError:
            return
        log.info("signal received: quitting")
        app.quit()

    notifier.activated.connect(on_signal)
    _keepalive.extend([reader, writer, notifier])
