"""The kiosk under a real window manager (Xvfb + openbox, started here): show desktop,
minimise and un-fullscreen bring it straight back to the front; its window destroyed
(`xdotool windowclose`) or its X client killed (`xdotool windowkill`) end the process
with a logged, non-zero status that the systemd unit restarts."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from ktvdesk.kiosk.exit_codes import KioskExit
from tests.ui.kiosk.xwm import ATTEMPTS, KioskProcess, XSession, attempt, start_kiosk, x_session


@pytest.fixture(scope="module")
def xwm() -> Iterator[XSession]:
    with x_session() as session:
        yield session


@pytest.fixture
def kiosk(xwm: XSession, tmp_path: Path) -> Iterator[KioskProcess]:
    process = start_kiosk(xwm, tmp_path)
    yield process
    process.stop()


def test_every_way_to_hide_it_brings_it_straight_back(xwm: XSession, kiosk: KioskProcess) -> None:
    for name in ATTEMPTS:
        seconds, tries = attempt(xwm, kiosk, name)
        print(f"{name}: back in front after {seconds * 1000:.0f} ms (try {tries})")
    assert not xwm.showing_desktop()
    assert kiosk.proc.poll() is None


def test_window_destroyed_ends_with_a_logged_failure(xwm: XSession, kiosk: KioskProcess) -> None:
    xwm.tool("xdotool", "windowclose", str(kiosk.wid))
    assert kiosk.finish() == KioskExit.WINDOW_LOST
    kiosk.wait_line(r"CRITICAL .*kiosk: the window was destroyed from outside")
    assert not any("Traceback" in line for line in kiosk.seen), kiosk.seen[-20:]


def test_window_killed_ends_with_a_logged_failure(xwm: XSession, kiosk: KioskProcess) -> None:
    xwm.tool("xdotool", "windowkill", str(kiosk.wid))
    assert kiosk.finish() == KioskExit.DISPLAY_LOST
    kiosk.wait_line(r"CRITICAL .*the X connection broke")
    assert not any("Traceback" in line or "RuntimeError" in line for line in kiosk.seen), kiosk.seen[-20:]


def test_sigterm_is_a_clean_stop_that_the_unit_leaves_down(kiosk: KioskProcess) -> None:
    kiosk.proc.send_signal(signal.SIGTERM)  # what `systemctl --user stop` sends
    assert kiosk.finish() == KioskExit.ADMIN == 0
    kiosk.wait_line(r"ktvdesk stopped cleanly")
