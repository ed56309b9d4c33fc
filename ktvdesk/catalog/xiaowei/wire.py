"""The Xiaowei plug-in for `ProviderTransport`: paths, JSON envelope, error codes.

Calls are named `<family>.<type>`: `resources.search` goes to
`/xwcloudapi/resources?resource_type=search`, `register_info.get_qr_code` to
`/xwcloudapi/register_info?info_type=get_qr_code`, `report.music` to
`/xwcloudapi/report/music`. Every body carries the "base request params" under
`base_info`; resource calls also carry `client_addr` (QQ Music checks the region).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from ktvdesk.catalog.http import ApiCall, ApiFailure, ErrorRule, ErrorTable, Reply
from ktvdesk.catalog.http.gateway import GATEWAY_RULES, gateway_failure
from ktvdesk.errors import NotFoundError, ProviderError, UserMessage

API_PREFIX = "/xwcloudapi"
NO_MORE_DATA = "52018"
RES_ID_MISSING = "52019"

_NO_MORE = UserMessage("没有更多内容了。", "There is nothing more to show.")
_NO_RES = UserMessage("歌曲资源不存在。", "The song resource does not exist.")
_FAILED = UserMessage(
    "QQ音乐曲库操作失败，请稍后再试。", "The QQ Music service could not do that. Please try again."
)

ERRORS = ErrorTable(
    {
        **GATEWAY_RULES,
        NO_MORE_DATA: ErrorRule(NotFoundError, _NO_MORE),
        RES_ID_MISSING: ErrorRule(NotFoundError, _NO_RES),
    },
    default=ErrorRule(ProviderError, _FAILED),
)


def path_for(action: str) -> tuple[str, dict[str, str]]:
    """(path, query) of a call name; ValueError for a name outside the three families."""
    family, _, kind = action.partition(".")
    if not kind:
        raise ValueError(f"xiaowei call name needs a family: {action!r}")
    if family == "resources":
        return f"{API_PREFIX}/resources", {"resource_type": kind}
    if family == "register_info":
        return f"{API_PREFIX}/register_info", {"info_type": kind}
    if family == "report":
        return f"{API_PREFIX}/report/{kind}", {}
    raise ValueError(f"unknown xiaowei call family: {action!r}")


class XiaoweiWire:
    """POST JSON `{base_info, client_addr?, …}`; answers `{code, msg, data, request_id?}`."""

    provider = "xiaowei"
    errors = ERRORS

    def __init__(self, endpoint: str, base_info: Mapping[str, Any], client_ip: str | None) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.base_info = dict(base_info)
        self.client_ip = client_ip

    @property
    def auth(self) -> httpx.Auth | None:
        return None

    def body(self, call: ApiCall) -> dict[str, Any]:
        body: dict[str, Any] = {"base_info": dict(self.base_info)}
        if call.action.startswith("resources.") and self.client_ip:
            body["client_addr"] = self.client_ip
        body.update(call.params)
        return body

    def build_request(self, client: httpx.AsyncClient, call: ApiCall, server_now_s: float) -> httpx.Request:
        path, query = path_for(call.action)
        content = json.dumps(self.body(call), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return client.build_request(
            "POST",
            self.endpoint + path,
            params=query,
            content=content,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )

    def decode(self, call: ApiCall, response: httpx.Response) -> Reply:
        gateway = gateway_failure(response)
        if gateway is not None:
            return gateway
        try:
            document: Any = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError("not JSON") from exc
        if not isinstance(document, dict) or not isinstance(document.get("code"), int):
            raise ValueError("no Xiaowei envelope")
        request_id = document.get("request_id")
        request_id = str(request_id) if request_id else None
        date = response.headers.get("Date")
        code = document["code"]
        if code != 0:
            failure = ApiFailure(code=str(code), message=str(document.get("msg") or ""))
            return Reply(data=document, request_id=request_id, failure=failure, date=date)
        return Reply(data=document, request_id=request_id, date=date)

    def is_clock_skew(self, failure: ApiFailure) -> bool:
        return False  # Xiaowei requests carry no timestamp
