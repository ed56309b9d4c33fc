"""Retry decisions, jittered backoff, error tables and the learned server clock."""

from __future__ import annotations

import random
from email.utils import formatdate

import pytest

from ktvdesk.catalog.http import ErrorRule, ErrorTable, RetryPolicy, ServerClock
from ktvdesk.catalog.yinsuda.error_codes import ERRORS
from ktvdesk.errors import (
    AuthError,
    KtvError,
    NetworkError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    RightsError,
    UserMessage,
)


def test_only_retryable_errors_of_idempotent_calls_are_retried() -> None:
    policy = RetryPolicy(max_attempts=3)
    network = NetworkError("down")
    assert policy.should_retry(network, idempotent=True, attempt=1)
    assert policy.should_retry(network, idempotent=True, attempt=2)
    assert not policy.should_retry(network, idempotent=True, attempt=3)
    assert not policy.should_retry(network, idempotent=False, attempt=1)
    assert not policy.should_retry(AuthError("bad key"), idempotent=True, attempt=1)


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=0.2, max_delay_s=1.0, rng=random.Random(1))
    for attempt, cap in ((1, 0.2), (2, 0.4), (3, 0.8), (4, 1.0), (9, 1.0)):
        delays = [policy.backoff_s(attempt) for _ in range(200)]
        assert all(cap / 2 <= d <= cap for d in delays)
        assert max(delays) - min(delays) > cap / 4  # really jittered


def test_rate_limited_waits_at_least_the_minimum() -> None:
    policy = RetryPolicy(base_delay_s=0.01, rate_limited_min_s=0.25, rng=random.Random(2))
    assert policy.backoff_s(1, RateLimitedError("busy")) >= 0.25
    assert policy.backoff_s(1, NetworkError("x")) < 0.25


@pytest.mark.parametrize(
    ("code", "cls", "retryable"),
    [
        ("AuthFailure.SignatureFailure", AuthError, False),
        ("AuthFailure.SecretIdNotFound", AuthError, False),
        ("AuthFailure.SignatureExpire", AuthError, False),
        ("RequestLimitExceeded", RateLimitedError, True),
        ("RequestLimitExceeded.IPLimitExceeded", RateLimitedError, True),
        ("InternalError", ProviderError, True),
        ("ServiceUnavailable", ProviderError, True),
        ("ResourceNotFound", NotFoundError, False),
        ("InvalidParameterValue", ProviderError, False),
        ("FailedOperation.UserNotLiveVip", RightsError, False),
        ("FailedOperation.DuplicateTradeSerialNo", ProviderError, False),
        ("SomethingNew.Entirely", ProviderError, False),
    ],
)
def test_yinsuda_error_table(code: str, cls: type[KtvError], retryable: bool) -> None:
    error = ERRORS.error(code, "detail", request_id="rid")
    assert type(error) is cls and error.retryable is retryable
    assert error.code == code and error.request_id == "rid"
    assert error.message("zh") and error.message("en") and error.message("zh") != error.message("en")


def test_integer_codes_for_other_providers() -> None:
    table = ErrorTable(
        {"52018": ErrorRule(NotFoundError, UserMessage("没有更多", "No more"))},
        default=ErrorRule(ProviderError, UserMessage("失败", "Failed")),
    )
    assert isinstance(table.error(52018, "d"), NotFoundError)
    assert type(table.error(1, "d")) is ProviderError


def test_server_clock_learns_offset_from_date_header() -> None:
    clock = ServerClock()
    local = clock.base.time()
    assert clock.learn_from_date(formatdate(local + 900, usegmt=True))
    assert abs(clock.offset_s - 900) < 1.5
    assert abs(clock.now() - (local + 900)) < 2
    server_moment = clock.now_datetime()
    assert abs(clock.to_local(server_moment).timestamp() - clock.base.time()) < 1
    assert not clock.learn_from_date(None)
    assert not clock.learn_from_date("not a date")
    assert abs(clock.offset_s - 900) < 1.5  # unchanged by garbage
