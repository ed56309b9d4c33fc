"""The Yinsuda plug-in for `ProviderTransport`: envelope, signing, limits, error codes."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ktvdesk.catalog.http import ApiCall, ApiFailure, ErrorRule, ErrorTable, Reply
from ktvdesk.catalog.http.gateway import GATEWAY_RULES, gateway_failure
from ktvdesk.catalog.yinsuda.signer import TIMESTAMP_HEADER, TC3Auth
from ktvdesk.catalog.yinsuda.tc3 import Credentials
from ktvdesk.config import YINSUDA_ENDPOINT
from ktvdesk.errors import (
    AuthError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    RightsError,
    UserMessage,
)

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

_AUTH = UserMessage(
    "云曲库账号验证失败，请检查 SecretId / SecretKey 设置。",
    "The cloud catalog refused our credentials. Check the SecretId / SecretKey settings.",
)
_CLOCK = UserMessage(
    "本机时间与服务器相差太大，请校准系统时间。",
    "This computer's clock is too far off. Please correct the system time.",
)
_BUSY = UserMessage(
    "曲库请求太频繁，请稍后再试。", "Too many requests to the song service. Please wait a moment."
)
_SERVER = UserMessage(
    "曲库服务暂时不可用，请稍后重试。", "The song service is unavailable. Please try again later."
)
_NOT_FOUND = UserMessage("歌曲或歌单不存在。", "The song or playlist does not exist.")
_BUG = UserMessage("请求参数有误，请联系技术支持。", "The request was invalid. Please contact support.")
_NOT_LIVE_VIP = UserMessage(
    "该用户不是直播会员，无法在直播场景演唱。", "This user is not a live-streaming member."
)
_LIVE_VIP_EXPIRED = UserMessage("直播会员已过期，请续费。", "The live-streaming membership has expired.")
_DUPLICATE_TRADE = UserMessage(
    "这笔充值已经提交过，没有重复扣费。", "This recharge was already submitted; nothing was charged twice."
)
_FAILED = UserMessage("曲库操作失败，请稍后再试。", "The song service could not do that. Please try again.")
_UNAVAILABLE = UserMessage("资源暂不可用。", "The resource is not available right now.")

ERRORS = ErrorTable(
    {
        "AuthFailure": ErrorRule(AuthError, _AUTH),
        "AuthFailure.SignatureExpire": ErrorRule(AuthError, _CLOCK),
        "UnauthorizedOperation": ErrorRule(AuthError, _AUTH),
        "RequestLimitExceeded": ErrorRule(RateLimitedError, _BUSY),
        "InternalError": ErrorRule(ProviderError, _SERVER, retryable=True),
        "ServiceUnavailable": ErrorRule(ProviderError, _SERVER, retryable=True),
        "ResourceNotFound": ErrorRule(NotFoundError, _NOT_FOUND),
        "ResourceUnavailable": ErrorRule(ProviderError, _UNAVAILABLE),
        "InvalidParameter": ErrorRule(ProviderError, _BUG),
        "InvalidParameterValue": ErrorRule(ProviderError, _BUG),
        "MissingParameter": ErrorRule(ProviderError, _BUG),
        "UnknownParameter": ErrorRule(ProviderError, _BUG),
        "InvalidAction": ErrorRule(ProviderError, _BUG),
        "FailedOperation": ErrorRule(ProviderError, _FAILED),
        "FailedOperation.UserNotLiveVip": ErrorRule(RightsError, _NOT_LIVE_VIP),
        "FailedOperation.UserLiveVipTimeExpire": ErrorRule(RightsError, _LIVE_VIP_EXPIRED),
        "FailedOperation.DuplicateTradeSerialNo": ErrorRule(ProviderError, _DUPLICATE_TRADE),
        **GATEWAY_RULES,
    },
    default=ErrorRule(ProviderError, _FAILED),
)


class YinsudaWire:
    """POST / with a JSON body; `X-TC-*` headers; answers wrapped in `{"Response": …}`."""

    provider = "yinsuda"
    errors = ERRORS

    def __init__(self, credentials: Credentials, endpoint: str = DEFAULT_ENDPOINT, language: str = "zh-CN"):
        self._auth = TC3Auth(credentials, SERVICE)
        self.endpoint = endpoint.rstrip("/")
        self.language = language

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
