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

from ktvdesk import APP_NAME, __version__, paths
from ktvdesk.config import load_settings
from ktvdesk.logs import setup_logging
from ktvdesk.services import AppServices, build_services

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
    services = build_services(
        loaded,
        lang=args.lang,
        provider=getattr(args, "provider", None),
        library_dirs=getattr(args, "library", None) or (),
        demo_cloud=bool(getattr(args, "demo_cloud", False)),
        video=stage_screen is not None,
        loop=loop,
    )
    from ktvdesk.ui.i18n import install_translator
    from ktvdesk.ui.main_window import MainWindow
    from ktvdesk.ui.theme import apply_theme

    install_translator(app, services.language)
    apply_theme(app, services.settings.theme)
    window: QWidget
    if getattr(args, "kiosk", False):
        from ktvdesk.ui.kiosk.shell import start_kiosk

        window = start_kiosk(app, services, screen=getattr(args, "screen", None), stage_screen=stage_screen)
    else:
        window = MainWindow(services, stage_screen=stage_screen, video=stage_screen is not None)
        window.show()
        if stage_screen is not None:
            window.open_stage(stage_screen)
    _install_signal_handlers(app)
    # The library scan runs once the loop does; the window is interactive before it ends.
    QTimer.singleShot(0, lambda: services.tasks.spawn(services.start(), name="services-start"))
    log.info("main window shown (playback %s)", "on" if services.vlc.available else "off")
    if args.screenshot:
        _schedule_screenshot(app, window, Path(args.screenshot))

    quit_requested = asyncio.Event()
    app.aboutToQuit.connect(quit_requested.set)
    with loop:
        loop.run_until_complete(quit_requested.wait())
        loop.run_until_complete(_shutdown(services))
    return 0


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
