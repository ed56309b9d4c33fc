"""Wrong admin PINs are rate-limited with growing delays: 0, 1, 2, 4, 8 … s, capped.

The first wrong PIN is free (a typo); each further one doubles the wait before the pad
accepts the next try. Attempts during the wait are refused without being checked, so
hammering the pad gains nothing.

The failure count survives restarts (a small JSON file in the data dir) because a guest
can power-cycle a room terminal: after a restart the full delay for the stored count
applies again, so a restart never shortens a wait. Failures are forgotten after an hour
without any (wall clock, since monotonic time does not survive a reboot) or at the first
right PIN. Delays themselves run on the injectable monotonic `clock`.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from ktvdesk.kiosk.pin import verify_pin

log = logging.getLogger(__name__)

DELAY_CAP_S = 300.0
FORGET_AFTER_S = 3600.0
STATE_FILE = "kiosk_lock.json"


class PinVerdict(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    WAIT = "wait"  # refused unchecked: the delay after the last wrong PIN is still running
    NO_PIN = "no_pin"  # no PIN has been set: nobody can unlock (run `ktvdesk kiosk set-pin`)


def delay_after_s(failures: int, cap_s: float = DELAY_CAP_S) -> float:
    if failures <= 1:
        return 0.0
    return float(min(cap_s, 2.0 ** min(failures - 2, 30)))


class PinLock:
    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        state_path: Path | None = None,
        cap_s: float = DELAY_CAP_S,
        forget_after_s: float = FORGET_AFTER_S,
    ) -> None:
        self._clock = clock
        self._wall = wall
        self._path = state_path
        self._cap_s = cap_s
        self._forget_after_s = forget_after_s
        self.failures = 0
        self._last_failure_wall = 0.0
        self._locked_until = clock()
        self._load()

    def wait_s(self) -> float:
        """Seconds before the pad takes the next PIN (0: now)."""
        self._forget_if_stale()
        return max(0.0, self._locked_until - self._clock())

    def attempt(self, pin: str, stored_hash: str | None) -> PinVerdict:
        if self.wait_s() > 0:
            return PinVerdict.WAIT
        if not stored_hash:
            return PinVerdict.NO_PIN
        if verify_pin(pin, stored_hash):
            self.failures = 0
            self._locked_until = self._clock()
            self._save()
            return PinVerdict.OK
        self.failures += 1
        self._last_failure_wall = self._wall()
        self._locked_until = self._clock() + delay_after_s(self.failures, self._cap_s)
        log.warning("wrong kiosk admin PIN (%d in a row)", self.failures)
        self._save()
        return PinVerdict.WRONG

    def _forget_if_stale(self) -> None:
        if self.failures and self._wall() - self._last_failure_wall > self._forget_after_s:
            self.failures = 0
            self._locked_until = self._clock()
            self._save()

    def _load(self) -> None:
        if self._path is None:
            return
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            failures = int(data["failures"])
            last = float(data["last_failure_wall_s"])
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # An unreadable file must not unlock anything: assume one more failure.
            log.warning("kiosk lock state %s unreadable (%s): starting with a delay", self._path, exc)
            failures, last = 2, self._wall()
        self.failures = max(0, failures)
        self._last_failure_wall = last
        self._locked_until = self._clock() + delay_after_s(self.failures, self._cap_s)
        self._forget_if_stale()

    def _save(self) -> None:
        if self._path is None:
            return
        payload = json.dumps({"failures": self.failures, "last_failure_wall_s": self._last_failure_wall})
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_suffix(".tmp")
            tmp.write_text(payload, encoding="utf-8")
            os.replace(tmp, self._path)
        except OSError as exc:
            log.warning("kiosk lock state not saved to %s: %s", self._path, exc)
