"""Start-up and shutdown of the GUI: QApplication + qasync on Python 3.11.

`asyncio.run(loop_factory=…)` needs 3.12, so the loop is installed by hand and run until
`aboutToQuit`. SIGINT/SIGTERM reach Qt through a wake-up socket: Python only runs signal
handlers between bytecodes, and Qt's C++ event loop would otherwise sit on them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ktvdesk import APP_NAME, __version__, paths
from ktvdesk.config import load_settings
from ktvdesk.logs import setup_logging
from ktvdesk.services import AppServices, build_services

if TYPE_CHECKING:
    from ktvdesk.catalog.venue import VenueRoom

log = logging.getLogger(__name__)

# The signal sockets and their notifier must live as long as the application.
_keepalive: list[object] = []


def run_gui(args: argparse.Namespace) -> int:
    if args.screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    setup_logging(paths.log_dir(), debug=args.debug)
    loaded = load_settings(Path(args.config) if args.config else None)
    for problem in loaded.problems:
        print(f"ktvdesk: {problem}", file=sys.stderr)

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance() or QApplication([sys.argv[0], *_qt_args()])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    from ktvdesk.ui import gc_guard

    gc_guard.install(app)  # Qt objects must only ever be destroyed on this thread
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    stage_screen = getattr(args, "stage_screen", None)
    venue = _venue_room(args)
    if venue is False:
        return 2
    services = build_services(
        loaded,
        lang=args.lang,
        provider=getattr(args, "provider", None),
        library_dirs=getattr(args, "library", None) or (),
        demo_cloud=bool(getattr(args, "demo_cloud", False)),
        video=stage_screen is not None,
        loop=loop,
        venue=venue or None,
    )
    if not _bind_remote(args, services, loop):
        return 2
    from ktvdesk.ui.i18n import install_translator
    from ktvdesk.ui.main_window import MainWindow
    from ktvdesk.ui.theme import apply_theme

    install_translator(app, services.language)
    from ktvdesk.ui.owner_badge import configure_owner_badge

    configure_owner_badge(services.settings.zego.owner_logo)
    apply_theme(app, services.settings.theme)
    window: QWidget
    if getattr(args, "kiosk", False):
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
        window.show()
        if stage_screen is not None:
            window.open_stage(stage_screen)
        from ktvdesk.ui.singing_ui import install_singing

        install_singing(window)  # 评分 (issue 19); the session's listener list keeps it alive
    _install_signal_handlers(app)
    # The library scan runs once the loop does; the window is interactive before it ends.
    QTimer.singleShot(0, lambda: services.tasks.spawn(services.start(), name="services-start"))
    if services.remote is not None:
        remote = services.remote
        QTimer.singleShot(0, lambda: services.tasks.spawn(remote.start(), name="remote-start"))
    log.info("main window shown (playback %s)", "on" if services.vlc.available else "off")
    if args.screenshot:
        _schedule_screenshot(app, window, Path(args.screenshot))

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
    line on stderr and exit status 2 before any window opens."""
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


async def _shutdown(services: AppServices) -> None:
    await services.aclose()
    log.info("ktvdesk stopped cleanly")


def _qt_args() -> list[str]:
    return []


def _schedule_screenshot(app: object, window: object, target: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(app, QApplication) and isinstance(window, QWidget)

    def shoot() -> None:
        app.processEvents()
        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target)):
            log.error("could not write screenshot %s", target)
        app.quit()

    # Two event-loop turns: the first lays the window out, the second paints it.
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, shoot))


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
