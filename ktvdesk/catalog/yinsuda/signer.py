"""TC3-HMAC-SHA256 as an `httpx.Auth`: signs exactly the bytes httpx is about to send."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence

import httpx

from ktvdesk.catalog.yinsuda.tc3 import Credentials, sign_request
from ktvdesk.logs import register_secret

TIMESTAMP_HEADER = "X-TC-Timestamp"


class TC3Auth(httpx.Auth):
    """Signs with the request's `X-TC-Timestamp` (set by the caller from the learned server
    clock), or stamps it from `clock` when absent."""

    requires_request_body = True

    def __init__(
        self,
        credentials: Credentials,
        service: str,
        *,
        clock: Callable[[], float] = time.time,
        signed_headers: Sequence[str] = ("content-type", "host"),
    ) -> None:
        register_secret(credentials.secret_key)
        self._credentials = credentials
        self._service = service
        self._clock = clock
        self._signed = tuple(signed_headers)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        stamp = request.headers.get(TIMESTAMP_HEADER)
        if stamp is None:
            stamp = str(int(self._clock()))
            request.headers[TIMESTAMP_HEADER] = stamp
        request.headers["Authorization"] = sign_request(
            self._credentials,
            service=self._service,
            timestamp=int(stamp),
            method=request.method,
            uri=request.url.path or "/",
            query=request.url.query.decode("ascii") if request.method == "GET" else "",
            headers={name: request.headers[name] for name in self._signed},
            signed_headers=self._signed,
            payload=request.content,
        )
        yield request
