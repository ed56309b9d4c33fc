"""Pure pieces of the engine/backend contract: fade envelope, filter chain, retry backoff."""

from __future__ import annotations

import pytest

from ktvdesk.playback import AudioFilters, RecoveryPolicy
from ktvdesk.playback.backend import FadeEnvelope


def test_fade_envelope_is_silent_at_both_ends_and_full_between() -> None:
    envelope = FadeEnvelope(begin_ms=1000, end_ms=3000, fade_ms=200)
    assert envelope.gain(1000) == 0.0
    assert envelope.gain(1100) == pytest.approx(0.5)
    assert envelope.gain(2000) == 1.0
    assert envelope.gain(2900) == pytest.approx(0.5)
    assert envelope.gain(3000) == 0.0
    assert envelope.gain(500) == 0.0 and envelope.gain(3500) == 0.0
    assert FadeEnvelope(0, 10, 0).gain(0) == 1.0


def test_filter_chain_order_puts_vocal_reduction_first() -> None:
    assert AudioFilters().chain() == ()
    assert AudioFilters(karaoke=True, pitch_semitones=-2, normalize=True).chain() == (
        "karaoke",
        "scaletempo_pitch",
        "normvol",
    )
    assert AudioFilters(pitch_semitones=0, normalize=True).chain() == ("normvol",)


def test_backoff_grows_and_then_stays_at_its_last_step() -> None:
    policy = RecoveryPolicy(backoff_ms=(100, 400))
    assert [policy.delay_ms(n) for n in (1, 2, 3, 4)] == [100, 400, 400, 400]
    assert RecoveryPolicy(backoff_ms=()).delay_ms(1) == 0
