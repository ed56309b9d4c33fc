"""Xiaowei envelope: paths, body with base params, decoding and error codes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from ktvdesk.catalog.http import ApiCall
from ktvdesk.catalog.xiaowei.wire import ERRORS, XiaoweiWire, path_for
from ktvdesk.errors import NotFoundError, ProviderError


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as c:
        yield c


@pytest.mark.parametrize(
    ("action", "path", "query"),
    [
        ("resources.search", "/xwcloudapi/resources", {"resource_type": "search"}),
        ("register_info.get_qr_code", "/xwcloudapi/register_info", {"info_type": "get_qr_code"}),
        ("report.music", "/xwcloudapi/report/music", {}),
    ],
)
def test_call_names_map_to_the_seed_paths(action: str, path: str, query: dict[str, str]) -> None:
    assert path_for(action) == (path, query)


@pytest.mark.parametrize("bad", ["search", "weather.info", ""])
def test_unknown_call_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        path_for(bad)


async def test_resource_request_carries_base_info_and_client_addr(client: httpx.AsyncClient) -> None:
    wire = XiaoweiWire("https://xw.example/", {"sn": "dev-1", "product_id": "p9"}, "192.0.2.3")
    request = wire.build_request(
        client, ApiCall("resources.search", {"word": "晴天", "page": 1, "num": 5}), 0
    )
    assert request.method == "POST"
    assert str(request.url) == "https://xw.example/xwcloudapi/resources?resource_type=search"
    body = json.loads(request.content)
    assert body == {
        "base_info": {"sn": "dev-1", "product_id": "p9"},
        "client_addr": "192.0.2.3",
        "word": "晴天",
        "page": 1,
        "num": 5,
    }


async def test_register_and_report_bodies_have_no_client_addr(client: httpx.AsyncClient) -> None:
    wire = XiaoweiWire("https://xw.example", {"sn": "dev-1"}, "192.0.2.3")
    for action in ("register_info.member_info", "report.music"):
        body = json.loads(wire.build_request(client, ApiCall(action, {}), 0).content)
        assert "client_addr" not in body
        assert body["base_info"] == {"sn": "dev-1"}


def _response(document: object, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=document, headers={"Date": "Sun, 22 Nov 2026 01:00:00 GMT"})


def test_decode_success_and_failure() -> None:
    wire = XiaoweiWire("https://xw.example", {}, None)
    call = ApiCall("resources.top_list", {})
    ok = wire.decode(call, _response({"code": 0, "data": [], "msg": "OK", "request_id": "r1"}))
    assert ok.failure is None and ok.request_id == "r1" and ok.data["data"] == []
    bad = wire.decode(call, _response({"code": 52018, "msg": "没有更多数据"}))
    assert bad.failure is not None
    assert (bad.failure.code, bad.failure.message) == ("52018", "没有更多数据")


@pytest.mark.parametrize("document", [[], {"msg": "x"}, {"code": "0"}])
def test_decode_refuses_non_envelopes(document: object) -> None:
    wire = XiaoweiWire("https://xw.example", {}, None)
    with pytest.raises(ValueError):
        wire.decode(ApiCall("resources.top_list", {}), _response(document))


def test_decode_refuses_html_but_reports_gateway_errors_as_retryable_failures() -> None:
    wire = XiaoweiWire("https://xw.example", {}, None)
    call = ApiCall("resources.top_list", {})
    with pytest.raises(ValueError):
        wire.decode(call, httpx.Response(200, text="<html>portal login</html>"))
    reply = wire.decode(call, httpx.Response(502, text="<html>bad gateway</html>"))
    assert reply.failure is not None and reply.failure.code == "HTTP502"
    error = ERRORS.error(reply.failure.code, "x")
    assert error.retryable and error.user_message.en


def test_error_codes_map_to_classes() -> None:
    assert isinstance(ERRORS.error(52018, "x"), NotFoundError)
    assert isinstance(ERRORS.error(52019, "x"), NotFoundError)
    other = ERRORS.error(12345, "x")
    assert type(other) is ProviderError and other.code == "12345"
    assert other.user_message.zh and other.user_message.en
