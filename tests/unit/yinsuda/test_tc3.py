"""TC3-HMAC-SHA256 against the public test vectors (REFERENCE.md and the API document)."""

from __future__ import annotations

import httpx

from ktvdesk.catalog.yinsuda import tc3
from ktvdesk.catalog.yinsuda.signer import TC3Auth
from ktvdesk.cloudsim import tc3_check

PAYLOAD = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
HEADERS = {
    "content-type": "application/json; charset=utf-8",
    "host": "cvm.tencentcloudapi.com",
    "x-tc-action": "DescribeInstances",
}
TIMESTAMP = 1551113065
REFERENCE_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******"
REFERENCE_KEY = "Gu5t9xGARNpq86cd98joQYCN3*******"


def test_payload_hash() -> None:
    assert tc3.sha256_hex(PAYLOAD) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"


def test_reference_vector_content_type_and_host() -> None:
    canonical = tc3.canonical_request(
        "POST", "/", "", headers=HEADERS, signed_headers=["content-type", "host"], payload=PAYLOAD
    )
    assert (
        tc3.sha256_hex(canonical.encode())
        == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    date = tc3.utc_date(TIMESTAMP)
    assert date == "2019-02-25"
    to_sign = tc3.string_to_sign(TIMESTAMP, date, "cvm", canonical)
    assert tc3.signature(REFERENCE_KEY, date, "cvm", to_sign) == (
        "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    )


def test_document_vector_with_the_action_header_lower_cased() -> None:
    canonical = tc3.canonical_request(
        "POST",
        "/",
        "",
        headers=HEADERS,
        signed_headers=["content-type", "host", "x-tc-action"],
        payload=PAYLOAD,
    )
    assert "x-tc-action:describeinstances\n" in canonical
    assert (
        tc3.sha256_hex(canonical.encode())
        == "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
    )
    key = "*" * 32  # the document's placeholder key, derived keys printed there
    assert [k.hex() for k in tc3.derived_keys(key, "2019-02-25", "cvm")] == [
        "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0",
        "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f",
        "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af",
    ]
    to_sign = tc3.string_to_sign(TIMESTAMP, "2019-02-25", "cvm", canonical)
    assert tc3.signature(key, "2019-02-25", "cvm", to_sign) == (
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    )


def test_date_is_utc_not_local() -> None:
    # 00:44 on the 26th in Beijing is still the 25th in UTC (the document's warning).
    assert tc3.utc_date(TIMESTAMP) == "2019-02-25"


def test_httpx_auth_signs_the_exact_request() -> None:
    auth = TC3Auth(tc3.Credentials(REFERENCE_ID, REFERENCE_KEY), "cvm")
    request = httpx.Request(
        "POST",
        "https://cvm.tencentcloudapi.com/",
        content=PAYLOAD,
        headers={"Content-Type": HEADERS["content-type"], "X-TC-Timestamp": str(TIMESTAMP)},
    )
    signed = next(auth.auth_flow(request))
    assert signed.headers["Authorization"] == (
        f"TC3-HMAC-SHA256 Credential={REFERENCE_ID}/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, "
        "Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    )


def test_httpx_auth_stamps_a_timestamp_when_missing() -> None:
    auth = TC3Auth(tc3.Credentials("id", "key"), "yinsuda", clock=lambda: 1700000000.7)
    request = httpx.Request(
        "POST", "http://127.0.0.1:1/", content=b"{}", headers={"Content-Type": "application/json"}
    )
    signed = next(auth.auth_flow(request))
    assert signed.headers["X-TC-Timestamp"] == "1700000000"
    # Read and checked by the emulator's own code, written apart from the signer.
    parsed = tc3_check.read_authorization(signed.headers["Authorization"])
    assert parsed is not None
    assert (parsed.secret_id, parsed.date, parsed.service) == ("id", "2023-11-14", "yinsuda")
    assert parsed.signed_headers == ("content-type", "host")
    expected = tc3_check.expected_signature(
        "key",
        method="POST",
        path="/",
        query="",
        headers={"content-type": "application/json", "host": "127.0.0.1:1"},
        signed_headers=parsed.signed_headers,
        payload=b"{}",
        timestamp=1700000000,
        service="yinsuda",
    )
    assert parsed.signature == expected


def test_credentials_repr_hides_the_key() -> None:
    assert "hunter2" not in repr(tc3.Credentials("id", "hunter2"))
