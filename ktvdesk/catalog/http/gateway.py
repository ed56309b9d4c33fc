"""Gateway answers that are not the provider's envelope (an HTML 502, a bare 503, a 429).

Each wire protocol calls `gateway_failure` before decoding its envelope, so such a
status becomes a failure with code `HTTP<status>` that `GATEWAY_RULES` (merged into the
protocol's error table) maps to a retryable error: a load balancer hiccup is retried
like any "server busy" code, and a 429 slows down like a rate limit.
"""

from __future__ import annotations

import httpx

from ktvdesk.catalog.http.errors import ErrorRule
from ktvdesk.catalog.http.transport import ApiFailure, Reply
from ktvdesk.errors import ProviderError, RateLimitedError, UserMessage

_UNAVAILABLE = UserMessage(
    "曲库服务暂时不可用，请稍后重试。", "The song service is unavailable. Please try again later."
)
_BUSY = UserMessage(
    "曲库请求太频繁，请稍后再试。", "Too many requests to the song service. Please wait a moment."
)

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)

GATEWAY_RULES: dict[str, ErrorRule] = {
    f"HTTP{status}": ErrorRule(RateLimitedError, _BUSY)
    if status == 429
    else ErrorRule(ProviderError, _UNAVAILABLE, retryable=True)
    for status in RETRYABLE_STATUSES
}


def gateway_failure(response: httpx.Response) -> Reply | None:
    """A failure `Reply` for a retryable gateway status, else None (decode the envelope)."""
    if response.status_code not in RETRYABLE_STATUSES:
        return None
    text = response.text[:200] if response.headers.get("content-type", "").startswith("text/") else ""
    return Reply(
        data={},
        failure=ApiFailure(code=f"HTTP{response.status_code}", message=text.strip()),
        date=response.headers.get("Date"),
    )
