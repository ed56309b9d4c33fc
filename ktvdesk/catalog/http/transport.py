"""`ProviderTransport`: the one path every cloud request takes.

rate limit → build (per-provider envelope, timestamp from the learned server clock) →
sign (per-provider `httpx.Auth`, if any) → send with timeouts → decode the envelope →
on failure: learn the clock and retry once if the provider says "expired signature",
otherwise map the code to a `ktvdesk.errors` class and retry it with jittered backoff
when it is retryable and the call is idempotent.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from ktvdesk import __version__
from ktvdesk.catalog.http.clock import ServerClock
from ktvdesk.catalog.http.errors import ErrorTable
from ktvdesk.catalog.http.ratelimit import RateLimits
from ktvdesk.catalog.http.retry import RetryPolicy
from ktvdesk.clock import Clock
from ktvdesk.errors import (
    KtvError,
    MediaExpiredError,
    NetworkError,
    NotFoundError,
    ProviderError,
    UserMessage,
)
from ktvdesk.logs import redact

log = logging.getLogger(__name__)

NETWORK_MESSAGE = UserMessage(
    "网络连接失败，请检查网络后重试。", "Network problem. Check the connection and try again."
)
TIMEOUT_MESSAGE = UserMessage(
    "服务器响应超时，请稍后重试。", "The server took too long to answer. Please try again."
)
SERVER_MESSAGE = UserMessage(
    "曲库服务暂时不可用，请稍后重试。", "The song service is unavailable. Please try again later."
)
EXPIRED_MESSAGE = UserMessage(
    "播放链接已过期，正在重新获取。", "The media link expired; getting a fresh one."
)
MISSING_MESSAGE = UserMessage("文件不存在或已被删除。", "The file does not exist any more.")


@dataclass(frozen=True, slots=True)
class ApiCall:
    action: str  # also the rate-limit key
    params: Mapping[str, Any]
    idempotent: bool = True  # False: never sent twice (payments, robot commands)
    timeout_s: float | None = None


@dataclass(frozen=True, slots=True)
class ApiFailure:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Reply:
    data: dict[str, Any]
    request_id: str | None = None
    failure: ApiFailure | None = None
    date: str | None = None  # the response's HTTP Date header, for clock learning


class WireProtocol(Protocol):
    """The per-provider part: envelope, signing and error codes."""

    provider: str
    errors: ErrorTable

    @property
    def auth(self) -> httpx.Auth | None: ...

    def build_request(self, client: httpx.AsyncClient, call: ApiCall, server_now_s: float) -> httpx.Request:
        """The unsigned request; `server_now_s` is the provider's time for timestamps."""
        ...

    def decode(self, call: ApiCall, response: httpx.Response) -> Reply:
        """Read the envelope of a received response; ValueError if it is not one."""
        ...

    def is_clock_skew(self, failure: ApiFailure) -> bool: ...


@dataclass(slots=True)
class TransportStats:
    requests: int = 0  # HTTP round trips, API and downloads
    retries: int = 0
    clock_corrections: int = 0
    limiter_wait_s: float = 0.0
    failures_by_code: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    status: int
    content: bytes
    headers: httpx.Headers


def default_timeout(total_s: float = 10.0) -> httpx.Timeout:
    return httpx.Timeout(total_s, connect=min(5.0, total_s))


# httpx writes a request's headers and body separately; on a kept-alive connection Nagle's
# algorithm then holds the body until the server's delayed ACK (~40 ms per call).
_SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Certificate-verifying context, built once: loading the CA bundle takes ~100 ms."""
    return httpx.create_ssl_context()


def new_client(timeout_s: float = 10.0) -> httpx.AsyncClient:
    """The one `AsyncClient` of a provider: TLS verified, timeouts, keep-alive, no Nagle."""
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=8)
    return httpx.AsyncClient(
        transport=httpx.AsyncHTTPTransport(
            verify=_tls_context(), limits=limits, socket_options=_SOCKET_OPTIONS
        ),
        timeout=default_timeout(timeout_s),
        follow_redirects=False,
        headers={"User-Agent": f"ktvdesk/{__version__}"},
    )


class ProviderTransport:
    def __init__(
        self,
        protocol: WireProtocol,
        *,
        limits: RateLimits | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        timeout_s: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.protocol = protocol
        self.clock = ServerClock(clock)
        self.limits = limits or RateLimits({})
        self.retry = retry or RetryPolicy()
        self.timeout_s = timeout_s
        self.stats = TransportStats()
        self.client = client or new_client(timeout_s)

    async def aclose(self) -> None:
        await self.client.aclose()

    # -- API calls -----------------------------------------------------------------------

    async def call(self, call: ApiCall) -> Reply:
        attempt = 0
        clock_retried = False
        while True:
            attempt += 1
            sent = True
            try:
                reply = await self._attempt(call)
            except _NotSent as exc:
                error: KtvError = exc.error
                sent = False
            except ProviderError as exc:  # network failures and replies that are not envelopes
                error = exc
            else:
                if reply.failure is None:
                    return reply
                failure = reply.failure
                # The server refused before doing anything: safe even for a payment.
                if (
                    not clock_retried
                    and self.protocol.is_clock_skew(failure)
                    and self.clock.learn_from_date(reply.date)
                ):
                    clock_retried = True
                    self.stats.clock_corrections += 1
                    attempt -= 1
                    continue
                error = self.protocol.errors.error(
                    failure.code,
                    f"{self.protocol.provider} {call.action}: {failure.code}: {failure.message}",
                    request_id=reply.request_id,
                )
            self._count_failure(error)
            self._log_failure(call, error, attempt)
            idempotent = call.idempotent or not sent
            if not self.retry.should_retry(error, idempotent=idempotent, attempt=attempt):
                raise error
            self.stats.retries += 1
            await self.clock.base.sleep(self.retry.backoff_s(attempt, error))

    async def _attempt(self, call: ApiCall) -> Reply:
        self.stats.limiter_wait_s += await self.limits.acquire(call.action)
        request = self.protocol.build_request(self.client, call, self.clock.now())
        response = await self._send(request, call.action, call.timeout_s, auth=self.protocol.auth)
        try:
            reply = self.protocol.decode(call, response)
        except ValueError as exc:
            raise self._bad_reply(response, call.action) from exc
        return reply

    async def _send(
        self,
        request: httpx.Request,
        what: str,
        timeout_s: float | None,
        *,
        auth: httpx.Auth | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        self.stats.requests += 1
        try:
            async with asyncio.timeout(timeout_s or self.timeout_s):
                if auth is None:
                    return await self.client.send(request, stream=stream)
                return await self.client.send(request, auth=auth, stream=stream)
        except httpx.ConnectError as exc:
            raise _NotSent(self._network(what, exc, NETWORK_MESSAGE)) from exc
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise self._network(what, exc, TIMEOUT_MESSAGE) from exc
        except httpx.TransportError as exc:
            raise self._network(what, exc, NETWORK_MESSAGE) from exc

    def _network(self, what: str, exc: BaseException, message: UserMessage) -> NetworkError:
        detail = f"{self.protocol.provider} {what}: {type(exc).__name__}: {exc}"
        return NetworkError(redact(detail), user_message=message, code=type(exc).__name__)

    def _bad_reply(self, response: httpx.Response, what: str) -> ProviderError:
        retryable = response.status_code >= 500
        return ProviderError(
            f"{self.protocol.provider} {what}: unexpected HTTP {response.status_code} reply",
            user_message=SERVER_MESSAGE,
            retryable=retryable,
            code=f"HTTP{response.status_code}",
        )

    def _count_failure(self, error: KtvError) -> None:
        code = error.code or type(error).__name__
        self.stats.failures_by_code[code] = self.stats.failures_by_code.get(code, 0) + 1

    def _log_failure(self, call: ApiCall, error: KtvError, attempt: int) -> None:
        # INFO: the log file keeps it (with the RequestId for support); the caller gets the
        # error itself, so a CLI or the UI shows exactly one message.
        log.info(
            "%s %s attempt %d failed: %s (RequestId %s)",
            self.protocol.provider,
            call.action,
            attempt,
            redact(error.detail),
            error.request_id or "-",
        )

    # -- downloads (lyrics, pitch, media) ----------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        first_bytes: int | None = None,
        max_bytes: int = 64 * 1024 * 1024,
        timeout_s: float | None = None,
    ) -> Fetched:
        """GET a provider file. Signed links that expired raise `MediaExpiredError`.

        `first_bytes` asks for a Range and stops reading there (time to first audio).
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._fetch_once(url, first_bytes, max_bytes, timeout_s)
            except (_NotSent, NetworkError, ProviderError) as exc:
                error = exc.error if isinstance(exc, _NotSent) else exc
                if isinstance(error, MediaExpiredError | NotFoundError):
                    raise error from None
                self._count_failure(error)
                if not self.retry.should_retry(error, idempotent=True, attempt=attempt):
                    raise error from None
                self.stats.retries += 1
                log.info("%s download retry %d: %s", self.protocol.provider, attempt, redact(error.detail))
                await self.clock.base.sleep(self.retry.backoff_s(attempt, error))

    async def _fetch_once(
        self, url: str, first_bytes: int | None, max_bytes: int, timeout_s: float | None
    ) -> Fetched:
        headers = {"Range": f"bytes=0-{first_bytes - 1}"} if first_bytes else {}
        limit = min(max_bytes, first_bytes) if first_bytes else max_bytes
        request = self.client.build_request("GET", url, headers=headers)
        response = await self._send(request, "download", timeout_s, stream=True)
        try:
            status = response.status_code
            if status in (401, 403, 410):
                raise MediaExpiredError(
                    redact(f"{self.protocol.provider} download {url}: HTTP {status}"),
                    user_message=EXPIRED_MESSAGE,
                    code=f"HTTP{status}",
                )
            if status == 404:
                raise NotFoundError(
                    redact(f"{self.protocol.provider} download {url}: HTTP 404"),
                    user_message=MISSING_MESSAGE,
                    code="HTTP404",
                )
            if status >= 300:
                raise self._bad_reply(response, "download")
            chunks: list[bytes] = []
            size = 0
            try:
                async with asyncio.timeout(timeout_s or self.timeout_s):
                    async for chunk in response.aiter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size >= limit:
                            break
            except (TimeoutError, httpx.TimeoutException) as exc:
                raise self._network("download", exc, TIMEOUT_MESSAGE) from exc
            except httpx.TransportError as exc:
                raise self._network("download", exc, NETWORK_MESSAGE) from exc
            content = b"".join(chunks)[:limit]
            return Fetched(url=url, status=status, content=content, headers=response.headers)
        finally:
            await response.aclose()


class _NotSent(Exception):
    """The connection failed before the request left: retrying cannot duplicate it."""

    def __init__(self, error: NetworkError) -> None:
        super().__init__(error.detail)
        self.error = error
