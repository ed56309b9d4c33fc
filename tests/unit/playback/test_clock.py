"""PlaybackClock against a scripted source and a controllable monotonic clock."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ktvdesk.playback import PlaybackClock


@dataclass
class FakeSource:
    """Publishes its time in coarse steps, as libVLC does."""

    time_ms: int = 0
    playing: bool = False

    def get_time(self) -> int:
        return self.time_ms

    def is_playing(self) -> bool:
        return self.playing


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(**kwargs: float) -> tuple[PlaybackClock, FakeSource, FakeTime]:
    source, fake_time = FakeSource(), FakeTime()
    return PlaybackClock(source, time_fn=fake_time, **kwargs), source, fake_time  # type: ignore[arg-type]


def start(clock: PlaybackClock, source: FakeSource, t: FakeTime, at_ms: int = 0) -> None:
    source.playing = True
    clock.now_ms()
    t.now += 250
    source.time_ms = at_ms + 250
    assert clock.now_ms() == at_ms + 250


def test_holds_still_until_the_source_publishes_a_time() -> None:
    clock, source, t = make()
    source.playing = True  # libVLC says Playing while still buffering
    assert clock.now_ms() == 0
    t.now += 400
    assert clock.now_ms() == 0
    source.time_ms = 260
    assert clock.now_ms() == 260


def test_extrapolates_between_published_steps() -> None:
    clock, source, t = make()
    start(clock, source, t)
    t.now += 100
    assert clock.now_ms() == 350  # the source still says 250
    t.now += 100
    assert clock.now_ms() == 450


def test_extrapolation_follows_the_rate() -> None:
    clock, source, t = make(rate=1.25)
    start(clock, source, t)
    t.now += 100
    assert clock.now_ms() == 375


def test_small_error_is_slewed_not_jumped_and_converges() -> None:
    clock, source, t = make(slew_window_ms=200)
    start(clock, source, t)
    t.now += 250
    before = clock.now_ms()  # 500 extrapolated
    source.time_ms = 460  # the media is 40 ms behind our estimate
    assert clock.now_ms() == before  # no jump at the measurement
    values = []
    for _ in range(10):
        t.now += 20
        values.append(clock.now_ms())
    assert values == sorted(values)
    assert values[-1] == 460 + 200  # converged on the media's line after the window
    assert values[0] < 500 + 20  # ran slower than real time meanwhile


def test_large_lag_jumps_forward() -> None:
    clock, source, t = make()
    start(clock, source, t)
    t.now += 100
    source.time_ms = 2000  # e.g. the output skipped ahead
    assert clock.now_ms() == 2000


def test_never_goes_backwards_when_the_media_reports_an_earlier_time() -> None:
    clock, source, t = make()
    start(clock, source, t)
    t.now += 250
    shown = clock.now_ms()  # 500
    source.time_ms = 300  # far behind what we showed: hold, do not step back
    values = [clock.now_ms()]
    for _ in range(20):
        t.now += 20
        values.append(clock.now_ms())
    assert min(values) >= shown
    assert values == sorted(values)
    assert values[-1] == 300 + 400  # once the media's line passes us, we follow it


def test_pause_freezes_and_resume_continues() -> None:
    clock, source, t = make()
    start(clock, source, t)
    t.now += 100
    assert clock.now_ms() == 350
    source.playing = False
    paused_at = clock.now_ms()
    t.now += 5000
    assert clock.now_ms() == paused_at
    source.playing = True
    assert clock.now_ms() == paused_at
    t.now += 50
    assert clock.now_ms() == paused_at + 50


def test_seek_is_the_only_way_back() -> None:
    clock, source, t = make()
    start(clock, source, t, at_ms=10_000)
    clock.seek(2000)
    assert clock.now_ms() == 2000  # the source still reports the old time
    t.now += 300
    assert clock.now_ms() == 2000  # held until the source publishes the new position
    source.time_ms = 1990  # a seek lands near, possibly just before, the target
    assert clock.now_ms() == 1990
    t.now += 100
    assert clock.now_ms() == 2090


def test_calibration_offset_applies_to_every_reading() -> None:
    clock, source, t = make()
    start(clock, source, t)
    clock.offset_ms = -120
    assert clock.now_ms() == 250 - 120


def test_measures_a_drifting_output_and_follows_it() -> None:
    # The dummy/file outputs run a few percent off the monotonic clock.
    clock, source, t = make(min_baseline_ms=1000)
    source.playing = True
    clock.now_ms()
    errors = []
    media = 0.0
    for _step in range(40):
        for _ in range(25):  # a frame every 10 ms for 250 ms
            t.now += 10
            media += 10 * 1.03
            clock.now_ms()
        before = clock.now_ms()
        source.time_ms = int(media)
        errors.append(abs(before - source.time_ms))
        clock.now_ms()
    assert max(errors[10:]) <= 3  # after the baseline, predictions land on the published time


def test_set_rate_rejects_nonsense() -> None:
    clock, _, _ = make()
    with pytest.raises(ValueError):
        clock.set_rate(0)


def test_reset_starts_a_new_song_at_zero() -> None:
    clock, source, t = make()
    start(clock, source, t, at_ms=30_000)
    clock.reset()
    source.time_ms = 0
    assert clock.now_ms() == 0
    t.now += 250
    source.time_ms = 240
    assert clock.now_ms() == 240
