"""Refresh-ahead arithmetic and backoff: pure functions, checked over many random draws."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from ktvdesk.refresh import RefreshPolicy

T0 = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


def at_ms(policy: RefreshPolicy, lifetime_ms: int, seed: int = 0) -> int:
    refresh_at = policy.refresh_at(T0, T0 + timedelta(milliseconds=lifetime_ms), random.Random(seed))
    return round((refresh_at - T0).total_seconds() * 1000)


@pytest.mark.parametrize(
    ("lifetime_ms", "expected_ms"),
    [
        (7_200_000, 5_400_000),  # 2 h PlayToken: 75 %
        (300_000, 225_000),  # ZEGO resource_ttl 5 min: 75 % leaves 75 s, above the floor
        (100_000, 70_000),  # 75 % would leave 25 s: the 30 s floor wins
        (60_000, 30_000),  # floor exactly at half
        (20_000, 10_000),  # the emulator's 20 s links: never before half the lifetime
        (0, 0),  # already expired: refresh at once
    ],
)
def test_refresh_point_without_jitter(lifetime_ms: int, expected_ms: int) -> None:
    assert at_ms(RefreshPolicy(jitter_fraction=0), lifetime_ms) == expected_ms


def test_jitter_stays_within_bounds_and_actually_spreads() -> None:
    policy = RefreshPolicy()  # 75 % + up to 5 %, 30 s floor
    lifetime = 3_600_000
    points = [at_ms(policy, lifetime, seed) for seed in range(2_000)]
    assert min(points) >= 0.75 * lifetime
    assert max(points) <= 0.80 * lifetime
    assert max(points) - min(points) > 0.04 * lifetime
    assert len(set(points)) > 1_900


def test_jitter_never_crosses_the_floor() -> None:
    policy = RefreshPolicy(jitter_fraction=0.2, ahead_fraction=0.75)
    for seed in range(500):
        point = at_ms(policy, 120_000, seed)
        assert 90_000 >= point >= 60_000  # ≤ expiry − 30 s, ≥ half the lifetime


def test_backoff_grows_then_caps() -> None:
    policy = RefreshPolicy(backoff_base_ms=500, backoff_cap_ms=10_000, backoff_jitter=0)
    rng = random.Random(1)
    delays = [policy.backoff_ms(n, rng) for n in range(0, 9)]
    assert delays == [0, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]
    assert policy.backoff_ms(10_000, rng) == 10_000  # no overflow after a night of failures


def test_backoff_jitter_bounds() -> None:
    policy = RefreshPolicy(backoff_base_ms=1_000, backoff_cap_ms=60_000, backoff_jitter=0.1)
    rng = random.Random(3)
    third = [policy.backoff_ms(3, rng) for _ in range(1_000)]
    assert min(third) >= 3_600 and max(third) <= 4_400
    assert len(set(third)) > 100


def test_non_retryable_waits_the_cap() -> None:
    policy = RefreshPolicy(backoff_jitter=0)
    assert policy.backoff_ms(1, random.Random(), retryable=False) == policy.backoff_cap_ms


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ahead_fraction": 0.3, "min_fraction": 0.5},
        {"ahead_fraction": 0.9, "jitter_fraction": 0.2},
        {"max_concurrent": 0},
        {"backoff_cap_ms": 10, "backoff_base_ms": 100},
        {"tick_ms": 0},
    ],
)
def test_inconsistent_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RefreshPolicy(**kwargs)  # type: ignore[arg-type]
