"""Kiosk mode's rules, without Qt: the admin PIN hash, the wrong-PIN lock, the admin
session's re-lock, when to show the attract screen and when to restart a hung engine.
The Qt shell is `ktvdesk.ui.kiosk`; the queue kept in storage is `ktvdesk.queue_mirror`."""

from __future__ import annotations

from ktvdesk.kiosk.admin import AdminSession
from ktvdesk.kiosk.attract import AttractPolicy
from ktvdesk.kiosk.lock import PinLock, PinVerdict, delay_after_s
from ktvdesk.kiosk.pin import (
    PinFormatError,
    check_pin_format,
    hash_pin,
    load_pin_hash,
    needs_rehash,
    store_pin_hash,
    verify_pin,
)
from ktvdesk.kiosk.watchdog import Watchdog, WatchdogAction

__all__ = [
    "AdminSession",
    "AttractPolicy",
    "PinFormatError",
    "PinLock",
    "PinVerdict",
    "Watchdog",
    "WatchdogAction",
    "check_pin_format",
    "delay_after_s",
    "hash_pin",
    "load_pin_hash",
    "needs_rehash",
    "store_pin_hash",
    "verify_pin",
]
