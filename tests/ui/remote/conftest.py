from __future__ import annotations

from tests.browser import browser  # noqa: F401  (the Chromium fixture)
