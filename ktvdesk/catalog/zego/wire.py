"""The ZEGO plug-ins for `ProviderTransport`: the signed server API and the venue's
resource endpoint, plus the error codes of the documents.

Server API: `GET {endpoint}/?Action=…&AppId=…&SignatureNonce=…&Timestamp=…&Signature=…
&SignatureVersion=2.0&UserId=…&RoomId=…&VendorId=…`, list parameters repeated as
`SongsId[]=…`; replies `{Code, Message, RequestId, Data}`. The resource endpoint
(the venue's backend) answers `{code, message, request_id, data}` as in
`zego-ktv-request-resource-result.md`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from ktvdesk.catalog.http import ApiCall, ApiFailure, ErrorRule, ErrorTable, Reply
from ktvdesk.catalog.http.gateway import GATEWAY_RULES, gateway_failure
from ktvdesk.catalog.zego.signature import SIGNATURE_VERSION, new_nonce, signature
from ktvdesk.config import ZEGO_ENDPOINT
from ktvdesk.errors import AuthError, ProviderError, RateLimitedError, UserMessage

DEFAULT_ENDPOINT = ZEGO_ENDPOINT
QUERY_SONGS_COPYRIGHT = "QuerySongsCopyright"
RATE_LIMITS_PER_S: dict[str, float] = {QUERY_SONGS_COPYRIGHT: 200}
COPYRIGHT_BATCH = 20  # SongsId[] takes at most 20 ids

SIGNATURE_EXPIRED = "100000004"
SIGNATURE_INVALID = "100000005"

_AUTH = UserMessage(
    "ZEGO 账号验证失败，请检查 AppId 与 ServerSecret 设置。",
    "ZEGO refused our credentials. Check the AppId and ServerSecret settings.",
)
_CLOCK = UserMessage(
    "本机时间与服务器相差太大，请校准系统时间。",
    "This computer's clock is too far off. Please correct the system time.",
)
_BAD_PARAM = UserMessage("请求参数有误，请联系技术支持。", "The request was invalid. Please contact support.")
_APP_OFF = UserMessage(
    "该 AppId 未开通版权音乐服务，请联系 ZEGO 开通。",
    "This AppId has no copyrighted-music service. Ask ZEGO to enable it.",
)
_PAYMENT = UserMessage(
    "不支持的付费类型，请联系 ZEGO 开通按次计费。",
    "Unsupported billing type. Ask ZEGO to enable pay-per-use billing.",
)
_SYSTEM = UserMessage(
    "ZEGO 曲库系统错误，请联系技术支持。", "The ZEGO song service failed. Please contact support."
)
_BUSY = UserMessage("ZEGO 曲库繁忙，请稍后重试。", "The ZEGO song service is busy. Please try again shortly.")
_FAILED = UserMessage(
    "ZEGO 曲库操作失败，请稍后再试。", "The ZEGO song service could not do that. Please try again."
)

# The copyright document's codes, and the public-parameter codes of ZEGO's global table
# (not in the seeds; published on ZEGO's "return codes" page).
ERRORS = ErrorTable(
    {
        **GATEWAY_RULES,
        "320000004": ErrorRule(ProviderError, _BAD_PARAM),
        "320010000": ErrorRule(AuthError, _APP_OFF),
        "320010001": ErrorRule(ProviderError, _PAYMENT),
        "320050000": ErrorRule(ProviderError, _SYSTEM),
        "320050002": ErrorRule(RateLimitedError, _BUSY),
        "320050003": ErrorRule(ProviderError, _SYSTEM),
        "320050004": ErrorRule(ProviderError, _SYSTEM),
        "100000001": ErrorRule(AuthError, _AUTH),
        "100000004": ErrorRule(AuthError, _CLOCK),
        "100000005": ErrorRule(AuthError, _AUTH),
        "100000010": ErrorRule(AuthError, _AUTH),
        "100000011": ErrorRule(AuthError, _AUTH),
        "100000014": ErrorRule(ProviderError, _BAD_PARAM),
    },
    default=ErrorRule(ProviderError, _FAILED),
)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        document: Any = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


QueryItems = list[tuple[str, str | int | float | bool | None]]


def query_items(params: Mapping[str, Any]) -> QueryItems:
    """Query pairs in order; a list value repeats its key (`SongsId[]=a&SongsId[]=b`)."""
    items: QueryItems = []
    for key, value in params.items():
        if isinstance(value, list | tuple):
            items.extend((key, str(v)) for v in value)
        elif value is not None:
            items.append((key, str(value)))
    return items


class ZegoWire:
    provider = "zego"
    errors = ERRORS

    def __init__(
        self,
        app_id: int,
        server_secret: str,
        *,
        user_id: str,
        room_id: str = "",
        vendor_id: int = 0,
        endpoint: str = DEFAULT_ENDPOINT,
    ) -> None:
        self.app_id = app_id
        self._secret = server_secret
        self.user_id = user_id
        self.room_id = room_id
        self.vendor_id = vendor_id
        self.endpoint = endpoint.rstrip("/")

    @property
    def auth(self) -> httpx.Auth | None:
        return None  # the signature is a query parameter, computed in build_request

    def public_params(self, server_now_s: float, nonce: str | None = None) -> dict[str, str]:
        nonce = nonce or new_nonce()
        timestamp = int(server_now_s)
        params = {
            "AppId": str(self.app_id),
            "SignatureNonce": nonce,
            "Timestamp": str(timestamp),
            "Signature": signature(self.app_id, nonce, self._secret, timestamp),
            "SignatureVersion": SIGNATURE_VERSION,
            "UserId": self.user_id,
        }
        if self.room_id:  # optional: an empty RoomId would name a room nobody is in
            params["RoomId"] = self.room_id
        params["VendorId"] = str(self.vendor_id)
        return params

    def build_request(self, client: httpx.AsyncClient, call: ApiCall, server_now_s: float) -> httpx.Request:
        items: QueryItems = [("Action", call.action), *query_items(call.params)]
        items += list(self.public_params(server_now_s).items())
        return client.build_request("GET", self.endpoint + "/", params=items)

    def decode(self, call: ApiCall, response: httpx.Response) -> Reply:
        gateway = gateway_failure(response)
        if gateway is not None:
            return gateway
        document = _json(response)
        code = document.get("Code")
        if not isinstance(code, int):
            raise ValueError("no ZEGO envelope")
        request_id = str(document.get("RequestId") or "") or None
        date = response.headers.get("Date")
        if code != 0:
            failure = ApiFailure(code=str(code), message=str(document.get("Message") or ""))
            return Reply(data=document, request_id=request_id, failure=failure, date=date)
        return Reply(data=document, request_id=request_id, date=date)

    def is_clock_skew(self, failure: ApiFailure) -> bool:
        return failure.code == SIGNATURE_EXPIRED


class ResourceWire:
    """GET `{resource_endpoint}?song_id=…&user_id=…&room_id=…&is_clip=…&is_accompany=…`.

    The query is our convention for the venue backend (the seed only fixes the answer).
    """

    provider = "zego"
    errors = ERRORS

    def __init__(self, resource_endpoint: str, *, user_id: str, room_id: str = "") -> None:
        self.endpoint = resource_endpoint
        self.user_id = user_id
        self.room_id = room_id

    @property
    def auth(self) -> httpx.Auth | None:
        return None

    def build_request(self, client: httpx.AsyncClient, call: ApiCall, server_now_s: float) -> httpx.Request:
        items: QueryItems = [("user_id", self.user_id)]
        if self.room_id:
            items.append(("room_id", self.room_id))
        items += query_items(call.params)
        return client.build_request("GET", self.endpoint, params=items)

    def decode(self, call: ApiCall, response: httpx.Response) -> Reply:
        gateway = gateway_failure(response)
        if gateway is not None:
            return gateway
        document = _json(response)
        code = document.get("code")
        if not isinstance(code, int):
            raise ValueError("no resource envelope")
        request_id = str(document.get("request_id") or "") or None
        date = response.headers.get("Date")
        if code != 0:
            failure = ApiFailure(code=str(code), message=str(document.get("message") or ""))
            return Reply(data=document, request_id=request_id, failure=failure, date=date)
        return Reply(data=document, request_id=request_id, date=date)

    def is_clock_skew(self, failure: ApiFailure) -> bool:
        return False
