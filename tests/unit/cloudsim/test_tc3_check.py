"""cloudsim's own TC3 check against the public test vector (REFERENCE.md), and its parser.

Independent of the client's signer: the same vector proves both right on their own.
"""

from __future__ import annotations

from ktvdesk.cloudsim import tc3_check

PAYLOAD = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
HEADERS = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}
TIMESTAMP = 1551113065
REFERENCE_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******"
REFERENCE_KEY = "Gu5t9xGARNpq86cd98joQYCN3*******"
EXPECTED = "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"


def _expected(key: str = REFERENCE_KEY, payload: bytes = PAYLOAD) -> str:
    return tc3_check.expected_signature(
        key,
        method="POST",
        path="/",
        query="",
        headers=HEADERS,
        signed_headers=("content-type", "host"),
        payload=payload,
        timestamp=TIMESTAMP,
        service="cvm",
    )


def test_the_public_vector() -> None:
    assert tc3_check.scope_date(TIMESTAMP) == "2019-02-25"
    assert _expected() == EXPECTED
    assert tc3_check.signature_matches(_expected(), EXPECTED)


def test_a_changed_key_or_body_does_not_match() -> None:
    assert _expected(key=REFERENCE_KEY + "x") != EXPECTED
    assert _expected(payload=PAYLOAD + b" ") != EXPECTED


def test_reads_the_authorization_header() -> None:
    header = (
        f"TC3-HMAC-SHA256 Credential={REFERENCE_ID}/2019-02-25/cvm/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={EXPECTED}"
    )
    parsed = tc3_check.read_authorization(header)
    assert parsed is not None
    assert (parsed.secret_id, parsed.date, parsed.service) == (REFERENCE_ID, "2019-02-25", "cvm")
    assert parsed.signed_headers == ("content-type", "host") and parsed.signature == EXPECTED


def test_refuses_malformed_authorization_headers() -> None:
    good_sig = "a" * 64
    for header in (
        "",
        "Bearer abc",
        f"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/other, SignedHeaders=host, Signature={good_sig}",
        f"TC3-HMAC-SHA256 Credential=AKID/20190225/cvm/tc3_request, SignedHeaders=host, Signature={good_sig}",
        "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=xyz",
        f"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, Signature={good_sig}",
    ):
        assert tc3_check.read_authorization(header) is None, header
