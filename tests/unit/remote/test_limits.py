from __future__ import annotations

from collections.abc import Callable

from ktvdesk.logs import redact
from ktvdesk.remote.auth import Guest, RoomKey, bearer
from ktvdesk.remote.errors import RemoteError
from ktvdesk.remote.limits import Limit, RateLimiter


def test_sliding_window_counts_per_key() -> None:
    now = [0]
    limiter = RateLimiter(Limit(2, 1000), clock=lambda: now[0])
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    assert limiter.check("a") == 1000
    assert limiter.check("b") == 0
    now[0] = 600
    assert limiter.check("a") == 400
    now[0] = 1000
    assert limiter.check("a") == 0


def test_keys_are_bounded() -> None:
    limiter = RateLimiter(Limit(1, 1000), clock=lambda: 0, max_keys=10)
    for i in range(100):
        limiter.check(str(i))
    assert limiter.check("0") == 0  # forgotten, not remembered forever


def test_room_key_rotation_refuses_old_tokens_and_credentials() -> None:
    key = RoomKey()
    token = key.token
    assert len(token) >= 32 and redact(f"url ?t={token}") == "url ?t=***"
    guest = key.join(token, "Lin")
    assert key.guest(guest.credential) == guest
    assert redact(guest.credential) == "***"
    key.rotate()
    calls: list[Callable[[], Guest]] = [lambda: key.join(token, "Lin"), lambda: key.guest(guest.credential)]
    for call in calls:
        try:
            call()
        except RemoteError as exc:
            assert exc.status == 401
        else:
            raise AssertionError("an old token or credential was accepted")


def test_bearer_header() -> None:
    assert bearer("Bearer abc") == "abc"
    assert bearer("bearer  abc ") == "abc"
    assert bearer("Basic abc") is None and bearer(None) is None and bearer("Bearer ") is None
