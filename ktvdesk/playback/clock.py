"""Interpolated media time for the lyric view.

libVLC publishes its playback time in steps of roughly 250-300 ms, so a view that draws
`get_time()` directly stutters and lags. The clock treats each newly published value as
a measurement, extrapolates between measurements with the monotonic clock and the
playback rate, and absorbs small disagreements by slewing (running a little fast or
slow for a short window) so the displayed time never jumps and never runs backwards.
It is pulled, not pushed: `now_ms()` reads the source when called, so no timer or
thread is needed and there is nothing to stop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class TimeSource(Protocol):
    """What the clock reads; a python-vlc `MediaPlayer` qualifies."""

    def get_time(self) -> int: ...

    def is_playing(self) -> bool: ...


def _monotonic_ms() -> float:
    return time.monotonic_ns() / 1_000_000


class PlaybackClock:
    """Smooth, monotonic media time in milliseconds.

    `slew_limit_ms`: disagreements up to this size are absorbed over `slew_window_ms`;
    a larger lag is a forward jump; a larger lead freezes the clock until the media
    catches up (going back is allowed only after `seek`).
    The playback speed is measured against the source over a long baseline because the
    audio output's clock drifts from the monotonic clock (dummy and file outputs most).
    """

    def __init__(
        self,
        source: TimeSource,
        *,
        time_fn: Callable[[], float] = _monotonic_ms,
        rate: float = 1.0,
        offset_ms: int = 0,
        slew_limit_ms: float = 80.0,
        slew_window_ms: float = 200.0,
        min_baseline_ms: float = 1500.0,
        max_drift: float = 0.05,
    ) -> None:
        self._source = source
        self._time_fn = time_fn
        self._rate = rate
        self.offset_ms = offset_ms
        self._slew_limit_ms = slew_limit_ms
        self._slew_window_ms = slew_window_ms
        self._min_baseline_ms = min_baseline_ms
        self._max_drift = max_drift
        # Extrapolation line: value(t) = line_ms + (t - line_t) * speed, minus a decaying
        # correction that keeps the output continuous right after a re-anchor.
        self._line_ms = 0.0
        self._line_t = time_fn()
        self._correction_ms = 0.0
        self._value_ms = 0.0  # last value handed out, before the offset
        self._last_raw: int | None = None
        self._playing = False
        # Until the source publishes a fresh value (after start, a new song or a seek)
        # the clock holds still: libVLC reports Playing while it is still buffering.
        self._after_seek = True
        self._stale_raw: int | None = 0
        # Baseline for measuring the real speed: first measurement since a discontinuity.
        self._base: tuple[float, int] | None = None
        self._speed = rate

    # ---- control -------------------------------------------------------------------

    @property
    def rate(self) -> float:
        return self._rate

    def set_rate(self, rate: float) -> None:
        """The playback rate changed (tempo); re-measure the speed from here."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        now = self._time_fn()
        self._value_ms = self._compute(now)
        self._anchor_line(self._value_ms, now)
        self._rate = rate
        self._speed = rate
        self._base = None

    def seek(self, ms: int) -> None:
        """Jump to `ms` (the only way the clock goes backwards)."""
        now = self._time_fn()
        self._value_ms = float(max(0, ms))
        self._anchor_line(self._value_ms, now)
        self._after_seek = True
        # The source keeps reporting the old time for a moment after a seek.
        self._stale_raw = self._last_raw
        self._base = None

    def reset(self) -> None:
        """A new song: start again at zero."""
        self.seek(0)
        self._last_raw = None
        self._stale_raw = 0

    # ---- reading -------------------------------------------------------------------

    def now_ms(self) -> int:
        now = self._time_fn()
        raw = max(0, int(self._source.get_time()))
        playing = bool(self._source.is_playing())
        if playing != self._playing:
            # Pause freezes where we are; resume extrapolates from the frozen value.
            self._value_ms = max(self._value_ms, self._compute(now))
            self._anchor_line(self._value_ms, now)
            self._playing = playing
            self._base = None
        if raw not in (self._last_raw, self._stale_raw):
            self._observe(raw, now)
        self._last_raw = raw
        value = max(self._compute(now), self._value_ms)
        self._value_ms = value
        return round(value) + self.offset_ms

    # ---- internals -----------------------------------------------------------------

    def _anchor_line(self, value_ms: float, now: float) -> None:
        self._line_ms = value_ms
        self._line_t = now
        self._correction_ms = 0.0

    def _compute(self, now: float) -> float:
        if not self._playing or self._after_seek:
            return self._line_ms
        elapsed = now - self._line_t
        value = self._line_ms + elapsed * self._speed
        if self._correction_ms:
            remaining = max(0.0, 1.0 - elapsed / self._slew_window_ms)
            value -= self._correction_ms * remaining
        return value

    def _observe(self, raw: int, now: float) -> None:
        self._stale_raw = None
        if self._after_seek:
            self._after_seek = False
            self._value_ms = float(raw)
            self._anchor_line(float(raw), now)
            self._base = (now, raw)
            return
        self._update_speed(raw, now)
        if not self._playing:
            if raw > self._value_ms:
                self._value_ms = float(raw)
            self._anchor_line(self._value_ms, now)
            return
        shown = max(self._compute(now), self._value_ms)
        error = raw - shown
        self._line_ms = float(raw)
        self._line_t = now
        if abs(error) <= self._slew_limit_ms:
            self._correction_ms = error  # start from `shown`, converge on the new line
        elif error > 0:
            self._correction_ms = 0.0  # far behind: jump forward
            self._value_ms = float(raw)
        else:
            # Far ahead: hold still until the media catches up, never step back.
            self._correction_ms = 0.0
            self._value_ms = shown

    def _update_speed(self, raw: int, now: float) -> None:
        if not self._playing:
            self._base = None
            return
        if self._base is None:
            self._base = (now, raw)
            return
        base_t, base_raw = self._base
        span = now - base_t
        if span >= self._min_baseline_ms:
            measured = (raw - base_raw) / span
            low = self._rate * (1 - self._max_drift)
            high = self._rate * (1 + self._max_drift)
            self._speed = min(high, max(low, measured))
