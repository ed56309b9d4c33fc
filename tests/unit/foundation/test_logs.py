from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ktvdesk.logs import REDACTED, redact, register_secret, setup_logging

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJFeHBpcmVUaW1lIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVz"


@pytest.mark.parametrize(
    ("line", "leak"),
    [
        (
            "Authorization: TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
        ),
        ("Authorization: TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request", "AKIDEXAMPLE"),
        (f"PlayToken={JWT}", JWT),
        (f'{{"PlayToken": "{JWT}"}}', "c2lnbmF0dXJlLWJ5dGVz"),
        (
            "GET https://ktv-api.zego.im/?Action=QuerySongsCopyright&AppId=1&Signature=abcdef0123&UserId=u",
            "abcdef0123",
        ),
        (
            "url=http://cdn.example/202611221530/0123456789abcdef0123456789abcdef/song.mkv",
            "0123456789abcdef0123456789abcdef",
        ),
        ("fetching https://music.example/song.m4a?vkey=SECRETVKEY&guid=1 failed", "SECRETVKEY"),
        ("{'share_token': 'st-123456', 'krc_token': 'kt-654321'}", "st-123456"),
        ("secret_key=Gu5t9xGARNpq86cd98joQYCN3", "Gu5t9xGARNpq86cd98joQYCN3"),
    ],
)
def test_redact_removes_secrets(line: str, leak: str) -> None:
    cleaned = redact(line)
    assert leak not in cleaned
    assert REDACTED in cleaned


def test_redact_keeps_harmless_text() -> None:
    text = "search 茉莉花 returned 12 songs in 35 ms from https://yinsuda.tencentcloudapi.com/"
    assert redact(text) == text


def test_registered_secret_is_redacted_anywhere() -> None:
    register_secret("room-42-very-private")
    assert "room-42-very-private" not in redact("value room-42-very-private appears")


def test_log_file_never_contains_secrets(tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path, console=False)
    assert log_file is not None
    log = logging.getLogger("ktvdesk.test")
    register_secret("kiosk-env-secret-value")
    log.info("resolved %s with token %s", "https://cdn.test/a.mkv?sign=XYZSIGNATURE", JWT)
    log.warning("key is kiosk-env-secret-value")
    try:
        raise RuntimeError(f"HTTP 403 for https://cdn.test/b.mkv?token={JWT}")
    except RuntimeError:
        log.exception("stream failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    assert "resolved https://cdn.test/a.mkv?" in written
    for leak in ("XYZSIGNATURE", JWT, "kiosk-env-secret-value"):
        assert leak not in written
    assert "stream failed" in written and "RuntimeError" in written
