"""How a kiosk process ends, as its exit status: what the shipped systemd unit restarts.

The unit (`packaging/linux/ktvdesk-kiosk.service`) says `Restart=on-failure`: status 0 is
a success that stays down (the admin's "退出包厢模式", or a stop asked for with SIGTERM),
every other status is a failure that systemd restarts, as is a death by signal (SIGKILL,
SIGSEGV). `RestartPreventExitStatus=2` keeps a bad command line from looping forever.
"""

from __future__ import annotations

from enum import IntEnum


class KioskExit(IntEnum):
    ADMIN = 0  # an unlocked admin left kiosk mode, or SIGTERM/SIGINT: not restarted
    CRASH = 1  # an unhandled error (Python's own status for an uncaught exception)
    USAGE = 2  # bad arguments: a restart would fail the same way
    WATCHDOG = 3  # the playback engine does not recover: a fresh process might
    WINDOW_LOST = 4  # the kiosk's X window was destroyed from outside (xdotool windowclose)
    DISPLAY_LOST = 5  # the X connection broke: the client was killed (xdotool windowkill), X died
