"""ZEGO signature and envelope."""

from __future__ import annotations

import hashlib
import string
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from ktvdesk.catalog.http import ApiCall
from ktvdesk.catalog.zego.signature import new_nonce, signature
from ktvdesk.catalog.zego.wire import ERRORS, ResourceWire, ZegoWire
from ktvdesk.errors import AuthError, ProviderError, RateLimitedError


def _independent(app_id: int, nonce: str, secret: str, timestamp: int) -> str:
    # Written differently on purpose: bytes pieces fed one by one into an incremental md5.
    digest = hashlib.new("md5")
    for piece in (str(app_id).encode(), nonce.encode(), secret.encode(), b"%d" % timestamp):
        digest.update(piece)
    return digest.hexdigest()


def test_signature_matches_a_fixed_vector() -> None:
    # printf '%s' '1234567890a1b2c3d4e5f60718s3cr3t-K3y1700000000' | md5sum
    assert (
        signature(1234567890, "a1b2c3d4e5f60718", "s3cr3t-K3y", 1700000000)
        == "cfff001f14f4b774d01c2542f71bd86a"
    )


@pytest.mark.parametrize("seed", range(5))
def test_signature_matches_an_independent_computation(seed: int) -> None:
    nonce = new_nonce()
    secret = f"secret-{seed}-{nonce[::-1]}"
    timestamp = 1_700_000_000 + seed * 977
    assert signature(100 + seed, nonce, secret, timestamp) == _independent(
        100 + seed, nonce, secret, timestamp
    )


def _is_nonce(value: str) -> bool:
    return len(value) == 16 and set(value) <= set(string.hexdigits)


def test_nonce_is_16_hex() -> None:
    nonces = {new_nonce() for _ in range(50)}
    assert len(nonces) == 50
    assert all(_is_nonce(n) for n in nonces)


async def test_request_has_the_public_params_and_repeated_ids() -> None:
    wire = ZegoWire(
        1234567890, "s3cr3t", user_id="u1", room_id="r1", vendor_id=1, endpoint="http://127.0.0.1:9/zego"
    )
    async with httpx.AsyncClient() as client:
        request = wire.build_request(
            client, ApiCall("QuerySongsCopyright", {"SongsId[]": ["125282604", "125282605"]}), 1_700_000_123.7
        )
    url = urlsplit(str(request.url))
    assert request.method == "GET" and url.path == "/zego/"
    pairs = parse_qsl(url.query)
    query = dict(pairs)
    assert query["Action"] == "QuerySongsCopyright"
    assert [v for k, v in pairs if k == "SongsId[]"] == ["125282604", "125282605"]
    assert query["AppId"] == "1234567890" and query["Timestamp"] == "1700000123"
    assert query["SignatureVersion"] == "2.0"
    assert (query["UserId"], query["RoomId"], query["VendorId"]) == ("u1", "r1", "1")
    assert _is_nonce(query["SignatureNonce"])
    assert query["Signature"] == _independent(1234567890, query["SignatureNonce"], "s3cr3t", 1700000123)


def test_decode_envelope() -> None:
    wire = ZegoWire(1, "s", user_id="u")
    call = ApiCall("QuerySongsCopyright", {})
    ok = wire.decode(
        call, httpx.Response(200, json={"Code": 0, "Message": "succeed", "RequestId": "abc", "Data": {}})
    )
    assert ok.failure is None and ok.request_id == "abc"
    bad = wire.decode(
        call, httpx.Response(200, json={"Code": 100000004, "Message": "expired", "RequestId": "d"})
    )
    assert bad.failure is not None and wire.is_clock_skew(bad.failure)
    with pytest.raises(ValueError):
        wire.decode(call, httpx.Response(200, json={"code": 0}))


def test_resource_envelope_is_lower_case() -> None:
    wire = ResourceWire("http://127.0.0.1:9/venue/resource", user_id="u")
    reply = wire.decode(
        ApiCall("RequestResource", {}),
        httpx.Response(200, json={"code": 0, "message": "ok", "request_id": "q", "data": {}}),
    )
    assert reply.failure is None and reply.request_id == "q"
    with pytest.raises(ValueError):
        wire.decode(ApiCall("RequestResource", {}), httpx.Response(200, json={"Code": 0}))


@pytest.mark.parametrize(
    ("code", "cls", "retryable"),
    [
        (320000004, ProviderError, False),
        (320010000, AuthError, False),
        (320010001, ProviderError, False),
        (320050000, ProviderError, False),
        (320050002, RateLimitedError, True),
        (320050003, ProviderError, False),
        (320050004, ProviderError, False),
        (100000004, AuthError, False),
        (100000005, AuthError, False),
    ],
)
def test_document_codes_have_user_messages(code: int, cls: type[ProviderError], retryable: bool) -> None:
    error = ERRORS.error(code, "detail")
    assert type(error) is cls and error.retryable is retryable
    assert error.user_message.zh and error.user_message.en and error.code == str(code)


def test_codes_have_distinct_messages_where_the_advice_differs() -> None:
    busy = ERRORS.error(320050002, "x").user_message
    app_off = ERRORS.error(320010000, "x").user_message
    bad = ERRORS.error(320000004, "x").user_message
    assert len({busy.en, app_off.en, bad.en}) == 3
