from __future__ import annotations

import json
from pathlib import Path

import pytest

from ktvdesk.kiosk import AdminSession, AttractPolicy, PinLock, PinVerdict, Watchdog, WatchdogAction
from ktvdesk.kiosk.lock import DELAY_CAP_S, FORGET_AFTER_S, delay_after_s
from ktvdesk.kiosk.pin import hash_pin

from .conftest import FakeClock

STORED = hash_pin("2580", salt=b"k" * 16)


def test_delay_schedule_grows_and_caps() -> None:
    assert [delay_after_s(n) for n in range(7)] == [0, 0, 1, 2, 4, 8, 16]
    assert delay_after_s(100) == DELAY_CAP_S


def test_wrong_pins_stay_locked_and_slow_down(clock: FakeClock, wall: FakeClock) -> None:
    lock = PinLock(clock=clock, wall=wall)
    waits = []
    for _ in range(6):
        assert lock.attempt("1111", STORED) is PinVerdict.WRONG
        waits.append(lock.wait_s())
        # while waiting even the right PIN is refused unchecked
        if lock.wait_s() > 0:
            assert lock.attempt("2580", STORED) is PinVerdict.WAIT
            clock.advance(lock.wait_s() - 0.01)
            assert lock.attempt("2580", STORED) is PinVerdict.WAIT
            clock.advance(0.01)
    assert waits == [0, 1, 2, 4, 8, 16]
    assert lock.failures == 6
    assert lock.attempt("2580", STORED) is PinVerdict.OK
    assert lock.failures == 0 and lock.wait_s() == 0
    assert lock.attempt("1111", STORED) is PinVerdict.WRONG and lock.wait_s() == 0  # fresh start


def test_no_pin_set_never_unlocks(clock: FakeClock) -> None:
    lock = PinLock(clock=clock)
    assert lock.attempt("2580", None) is PinVerdict.NO_PIN
    assert lock.failures == 0


def test_failures_survive_a_restart_with_the_full_delay(
    tmp_path: Path, clock: FakeClock, wall: FakeClock
) -> None:
    path = tmp_path / "lock.json"
    lock = PinLock(clock=clock, wall=wall, state_path=path)
    for _ in range(4):
        clock.advance(lock.wait_s())
        lock.attempt("0000", STORED)
    assert lock.failures == 4
    clock.advance(3)  # 1 s of the 4 s wait left when the power is cut
    again = PinLock(clock=clock, wall=wall, state_path=path)
    assert again.failures == 4
    assert again.wait_s() == pytest.approx(4)  # never shorter after a restart
    assert again.attempt("2580", STORED) is PinVerdict.WAIT
    clock.advance(4)
    assert again.attempt("2580", STORED) is PinVerdict.OK
    assert json.loads(path.read_text())["failures"] == 0


def test_failures_forgotten_after_an_hour_of_quiet(tmp_path: Path, clock: FakeClock, wall: FakeClock) -> None:
    path = tmp_path / "lock.json"
    lock = PinLock(clock=clock, wall=wall, state_path=path)
    for _ in range(5):
        clock.advance(lock.wait_s())
        lock.attempt("0000", STORED)
    wall.advance(FORGET_AFTER_S + 1)
    assert PinLock(clock=clock, wall=wall, state_path=path).wait_s() == 0
    assert lock.wait_s() == 0 and lock.failures == 0


def test_corrupt_state_file_means_a_delay_not_an_unlock(
    tmp_path: Path, clock: FakeClock, wall: FakeClock
) -> None:
    path = tmp_path / "lock.json"
    path.write_text("{not json")
    lock = PinLock(clock=clock, wall=wall, state_path=path)
    assert lock.wait_s() > 0


def test_admin_session_relocks_after_inactivity(clock: FakeClock) -> None:
    admin = AdminSession(120, clock=clock)
    assert not admin.unlocked
    admin.touch()
    assert not admin.unlocked  # touching never unlocks
    admin.unlock()
    clock.advance(100)
    admin.touch()
    clock.advance(100)
    assert admin.unlocked  # 200 s after unlocking, 100 s after the touch
    clock.advance(20)
    assert not admin.unlocked
    admin.touch()
    assert not admin.unlocked
    admin.unlock()
    admin.lock()
    assert not admin.unlocked


def test_attract_needs_idle_and_empty_queue_and_silence(clock: FakeClock) -> None:
    policy = AttractPolicy(300, clock=clock)
    clock.advance(299)
    assert not policy.update(queue_empty=True, playing=False)
    clock.advance(1)
    assert not policy.update(queue_empty=False, playing=False)
    assert not policy.update(queue_empty=True, playing=True)
    clock.advance(300)
    assert not policy.update(queue_empty=True, playing=True)
    assert policy.update(queue_empty=True, playing=False)
    assert policy.activity() is True  # the touch ended attract mode
    assert not policy.update(queue_empty=True, playing=False)
    clock.advance(300)
    assert policy.update(queue_empty=True, playing=False)
    # a queued song (from the stage remote, the admin…) ends it and restarts the idle count
    assert not policy.update(queue_empty=False, playing=False)
    clock.advance(10)
    assert not policy.update(queue_empty=True, playing=False)


def test_watchdog_restarts_then_gives_up_to_the_service_manager(clock: FakeClock) -> None:
    dog = Watchdog(10, max_restarts=2, clock=clock)
    clock.advance(100)
    assert dog.check() is WatchdogAction.NONE  # nothing is playing: no heartbeat due
    dog.expect(True)
    clock.advance(9)
    dog.beat()
    clock.advance(9)
    assert dog.check() is WatchdogAction.NONE
    clock.advance(1)
    assert dog.check() is WatchdogAction.RESTART_ENGINE
    clock.advance(10)
    assert dog.check() is WatchdogAction.RESTART_ENGINE
    clock.advance(10)
    assert dog.check() is WatchdogAction.EXIT_PROCESS
    assert dog.restarts_total == 2


def test_watchdog_heartbeat_after_restart_resets_the_count(clock: FakeClock) -> None:
    dog = Watchdog(10, max_restarts=1, clock=clock)
    dog.expect(True)
    clock.advance(10)
    assert dog.check() is WatchdogAction.RESTART_ENGINE
    dog.beat()
    clock.advance(10)
    assert dog.check() is WatchdogAction.RESTART_ENGINE
    dog.expect(False)
    clock.advance(60)
    assert dog.check() is WatchdogAction.NONE
