"""The Yinsuda plug-in for `ProviderTransport`: envelope, signing, limits, error codes."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ktvdesk.catalog.http import ApiCall, ApiFailure, Reply
from ktvdesk.catalog.http.gateway import gateway_failure
from ktvdesk.catalog.yinsuda.error_codes import ERRORS
from ktvdesk.catalog.yinsuda.signer import TIMESTAMP_HEADER, TC3Auth
from ktvdesk.catalog.yinsuda.tc3 import Credentials
from ktvdesk.config import YINSUDA_ENDPOINT

SERVICE = "yinsuda"
VERSION = "2022-05-27"
DEFAULT_ENDPOINT = YINSUDA_ENDPOINT

# Documented per-Action limits (requests per second); every other Action allows 20.
RATE_LIMITS_PER_S: dict[str, float] = {
    "SearchKTVMusics": 50,
    "DescribeKTVSuggestions": 50,
    "DescribeKTVPlaylists": 50,
    "DescribeKTVPlaylistDetail": 50,
    "BatchDescribeKTVMusicDetails": 50,
}
DEFAULT_RATE_LIMIT_PER_S = 20.0


class YinsudaWire:
    """POST / with a JSON body; `X-TC-*` headers; answers wrapped in `{"Response": …}`."""

    provider = "yinsuda"
    errors = ERRORS

    def __init__(
        self,
        credentials: Credentials,
        endpoint: str = DEFAULT_ENDPOINT,
        language: str = "zh-CN",
        token: str | None = None,
    ):
        self._auth = TC3Auth(credentials, SERVICE)
        self.endpoint = endpoint.rstrip("/")
        self.language = language
        self._token = token  # temporary credentials: not signed, sent as X-TC-Token

    @property
    def auth(self) -> httpx.Auth:
        return self._auth

    def build_request(self, client: httpx.AsyncClient, call: ApiCall, server_now_s: float) -> httpx.Request:
        body = json.dumps(dict(call.params), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "X-TC-Action": call.action,
            "X-TC-Version": VERSION,
            TIMESTAMP_HEADER: str(int(server_now_s)),
            "X-TC-Language": self.language,
        }
        if self._token:
            headers["X-TC-Token"] = self._token
        return client.build_request("POST", self.endpoint + "/", content=body, headers=headers)

    def decode(self, call: ApiCall, response: httpx.Response) -> Reply:
        gateway = gateway_failure(response)  # a 502/503/429 from a proxy has no envelope
        if gateway is not None:
            return gateway
        try:
            document: Any = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError("not JSON") from exc
        envelope = document.get("Response") if isinstance(document, dict) else None
        if not isinstance(envelope, dict):
            raise ValueError("no Response envelope")
        request_id = envelope.get("RequestId")
        date = response.headers.get("Date")
        error = envelope.get("Error")
        if isinstance(error, dict):
            failure = ApiFailure(code=str(error.get("Code", "")), message=str(error.get("Message", "")))
            return Reply(data=envelope, request_id=request_id, failure=failure, date=date)
        return Reply(data=envelope, request_id=request_id, date=date)

    def is_clock_skew(self, failure: ApiFailure) -> bool:
        return failure.code == "AuthFailure.SignatureExpire"
