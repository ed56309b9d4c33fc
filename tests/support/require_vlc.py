"""`KTVDESK_REQUIRE_VLC=1` (set by `make test`): a test skipped for want of libVLC fails.

Tests that need libVLC skip where it is missing so that a developer without it can still
run the rest; CI and `make test` must not pass quietly on a machine that lost libVLC. One
hook here covers every such skip, whichever helper wrote it: a skipped test that carries
the `vlc` marker, or whose skip reason names libVLC, becomes a failure with that reason.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

ENV = "KTVDESK_REQUIRE_VLC"


def vlc_required() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (report.skipped and vlc_required()):
        return
    reason = _skip_reason(report)
    if "libvlc" in reason.lower() or item.get_closest_marker("vlc") is not None:
        report.outcome = "failed"
        report.longrepr = f"{ENV}=1 and this test needs libVLC, which was skipped: {reason}"
