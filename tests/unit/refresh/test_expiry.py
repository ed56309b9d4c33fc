"""Expiry derivation from each provider's shape of validity information."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from ktvdesk.errors import ProviderError
from ktvdesk.expiry import (
    cdn_path_issued_at,
    from_unix,
    jwt_claims,
    jwt_validity,
    ttl_validity,
    unix_validity,
)

FETCHED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make_jwt(payload: dict[str, object]) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


def test_yinsuda_play_token_expire_time() -> None:
    token = make_jwt({"AppId": 1, "CurTime": 0, "ExpireTime": 1_653_904_460, "MusicId": "mid-x"})
    validity = jwt_validity(token)
    assert validity.expires_at == datetime(2022, 5, 30, 9, 54, 20, tzinfo=UTC)
    assert validity.issued_at is None  # CurTime 0 means "not given"


def test_standard_exp_and_iat_claims() -> None:
    validity = jwt_validity(make_jwt({"iat": 1_700_000_000, "exp": 1_700_007_200}))
    assert validity.lifetime_ms == 7_200_000
    assert validity.issued_at == datetime.fromtimestamp(1_700_000_000, UTC)


def test_jwt_payload_needing_padding_and_urlsafe_chars() -> None:
    # "~~~" makes the base64 alphabet use '-'/'_' and leaves the payload unpadded.
    token = make_jwt({"exp": 1_700_000_000, "n": "~~~??>"})
    assert jwt_claims(token)["n"] == "~~~??>"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        "a.b",
        "eyJhbGciOiJIUzI1NiJ9.!!!!.sig",
        make_jwt({"sub": "no expiry"}),
        make_jwt({"exp": "soon"}),
        make_jwt({"exp": True}),
        "eyJhbGciOiJIUzI1NiJ9." + base64.urlsafe_b64encode(b"[1,2]").decode() + ".sig",
    ],
)
def test_bad_tokens_raise_a_provider_error_with_a_user_message(token: str) -> None:
    with pytest.raises(ProviderError) as info:
        jwt_validity(token)
    assert info.value.user_message.zh and info.value.user_message.en
    assert info.value.code == "refresh.bad_expiry"


def test_issue_time_after_expiry_is_ignored() -> None:
    validity = jwt_validity(make_jwt({"iat": 1_700_000_100, "exp": 1_700_000_000}))
    assert validity.issued_at is None


def test_xiaowei_url_expiry_time_in_seconds() -> None:
    validity = unix_validity(1_575_705_865, FETCHED)
    assert validity.expires_at == datetime(2019, 12, 7, 8, 4, 25, tzinfo=UTC)
    assert validity.issued_at == FETCHED


def test_unix_values_in_ms_or_as_text_are_accepted() -> None:
    assert from_unix(1_575_705_865_000) == from_unix("1575705865") == from_unix(1_575_705_865)


@pytest.mark.parametrize("value", [0, -5, "", "abc", float("nan"), float("inf"), 10**30])
def test_unusable_unix_values(value: object) -> None:
    with pytest.raises(ProviderError):
        from_unix(value)  # type: ignore[arg-type]


def test_ttl_in_ms_and_in_seconds() -> None:
    assert ttl_validity(FETCHED, ttl_ms=300_000).expires_at == FETCHED + timedelta(minutes=5)
    assert ttl_validity(FETCHED, ttl_s=3600).expires_at == FETCHED + timedelta(hours=1)
    assert ttl_validity(FETCHED, ttl_ms=43_200_000).lifetime_ms == 43_200_000


def test_ttl_misuse() -> None:
    with pytest.raises(ValueError):
        ttl_validity(FETCHED)
    with pytest.raises(ValueError):
        ttl_validity(FETCHED, ttl_ms=1, ttl_s=1)
    with pytest.raises(ValueError):
        ttl_validity(FETCHED.replace(tzinfo=None), ttl_ms=1)
    with pytest.raises(ProviderError):
        ttl_validity(FETCHED, ttl_ms=0)


def test_cdn_timestamp_link_is_issued_in_beijing_time() -> None:
    url = "http://cdn.example/202306151716/0db8f1208ee298295cc6c81bac448751/song.mkv"
    assert cdn_path_issued_at(url) == datetime(2023, 6, 15, 9, 16, tzinfo=UTC)  # 17:16 UTC+8


def test_cdn_timezone_is_a_parameter() -> None:
    url = "https://h/202306151716/0DB8F1208EE298295CC6C81BAC448751/x?k=v"
    assert cdn_path_issued_at(url, utc_offset_min=0) == datetime(2023, 6, 15, 17, 16, tzinfo=UTC)


def test_cdn_link_shapes_without_a_timestamp() -> None:
    assert cdn_path_issued_at("http://h/stdmusic/150/20191125/20191125163409414057.jpg") is None
    assert cdn_path_issued_at("http://h/file.mkv?t=202306151716") is None
    assert cdn_path_issued_at("http://h/prefix/202306151716/0db8f1208ee298295cc6c81bac448751/x") is None
    assert cdn_path_issued_at("http://h/202306151716/****/0db8f1208ee298295cc6c81bac448751") is None
    assert cdn_path_issued_at("http://h/plain.mkv") is None
    with pytest.raises(ProviderError):
        cdn_path_issued_at("http://h/202313401716/0db8f1208ee298295cc6c81bac448751/x")
