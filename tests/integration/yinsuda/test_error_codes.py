"""Every error code of the Yinsuda document, injected by cloudsim, as the user meets it.

Each code gets its own zh+en message; a code that retrying cannot fix is raised at once
(one call, no retry) and never says "try again later"; the busy codes are retried and
succeed once the service recovers. Also: temporary credentials with `X-TC-Token`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from ktvdesk.catalog.yinsuda.error_codes import DEFAULT, DOCUMENTED_CODES, ERRORS
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.cloudsim import SimHandle
from ktvdesk.errors import AuthError, ProviderError

from .conftest import sdk_client

RETRY_LATER = ("稍后", "later")
# The document's lists ("公共错误码" and "业务错误码"), as printed there.
DOCUMENT_CODES = {
    "ActionOffline", "AuthFailure.InvalidAuthorization", "AuthFailure.InvalidSecretId",
    "AuthFailure.MFAFailure", "AuthFailure.SecretIdNotFound", "AuthFailure.SignatureExpire",
    "AuthFailure.SignatureFailure", "AuthFailure.TokenFailure", "AuthFailure.UnauthorizedOperation",
    "DryRunOperation", "FailedOperation", "InternalError", "InvalidAction", "InvalidParameter",
    "InvalidParameterValue", "InvalidRequest", "IpInBlacklist", "IpNotInWhitelist", "LimitExceeded",
    "MissingParameter", "NoSuchProduct", "NoSuchVersion", "RequestLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded", "RequestLimitExceeded.IPLimitExceeded",
    "RequestLimitExceeded.UinLimitExceeded", "RequestSizeLimitExceeded", "ResourceInUse",
    "ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable", "ResponseSizeLimitExceeded",
    "ServiceUnavailable", "UnauthorizedOperation", "UnknownParameter", "UnsupportedOperation",
    "UnsupportedProtocol", "UnsupportedRegion", "AuthFailure", "FailedOperation.DuplicateTradeSerialNo",
    "FailedOperation.UserLiveVipTimeExpire", "FailedOperation.UserNotLiveVip",
}  # fmt: skip
RETRYABLE = {c for c in DOCUMENT_CODES if c.startswith("RequestLimitExceeded")} | {
    "InternalError",
    "ServiceUnavailable",
}


def test_the_table_covers_the_document_with_a_message_of_its_own_per_code() -> None:
    assert set(DOCUMENTED_CODES) == DOCUMENT_CODES
    for code in DOCUMENT_CODES:
        rule = ERRORS.rule(code)
        assert rule is not DEFAULT, code
        assert rule.message.zh and rule.message.en, code


@pytest.fixture
async def provider(
    make_provider: Callable[..., YinsudaProvider], sim: SimHandle
) -> AsyncIterator[YinsudaProvider]:
    sim.state.yinsuda.clear_failures()
    # Keys of its own per test: the service's rate limit counts per SecretId, and forty
    # tests in a row from one key would meet it (that code has its own test below).
    secret_id, secret_key, token = sim.state.yinsuda.issue_temporary_credentials()
    yield make_provider(secret_id=secret_id, secret_key=secret_key, token=token)
    sim.state.yinsuda.clear_failures()


@pytest.mark.parametrize("code", sorted(DOCUMENT_CODES - RETRYABLE))
async def test_a_code_retrying_cannot_fix_is_raised_at_once_with_its_own_message(
    provider: YinsudaProvider, sim: SimHandle, code: str
) -> None:
    service = sim.state.yinsuda
    service.fail_next(code, times=3)
    before = service.calls.get("DescribeKTVTags", 0)
    with pytest.raises(ProviderError) as raised:
        await provider.tags()
    error = raised.value
    assert error.code == code and error.request_id and not error.retryable
    # One call: nothing retried, except the clock correction a SignatureExpire earns once.
    calls = service.calls["DescribeKTVTags"] - before
    assert calls == (2 if code == "AuthFailure.SignatureExpire" else 1)
    zh, en = error.message("zh_CN"), error.message("en")
    assert zh == ERRORS.rule(code).message.zh and en == ERRORS.rule(code).message.en
    assert RETRY_LATER[0] not in zh and RETRY_LATER[1] not in en.lower(), code


@pytest.mark.parametrize("code", sorted(RETRYABLE))
async def test_a_busy_code_is_retried_until_the_service_answers(
    provider: YinsudaProvider, sim: SimHandle, code: str
) -> None:
    service = sim.state.yinsuda
    service.fail_next(code, times=2)
    before = service.calls.get("DescribeKTVTags", 0)
    groups = await provider.tags()
    assert groups and service.calls["DescribeKTVTags"] - before == 3


async def test_messages_tell_admins_what_to_do_for_ip_and_quota_codes(
    provider: YinsudaProvider, sim: SimHandle
) -> None:
    expected = {
        "IpNotInWhitelist": ("白名单", "allow list"),
        "IpInBlacklist": ("黑名单", "blacklist"),
        "UnsupportedRegion": ("地域", "region"),
        "LimitExceeded": ("配额", "quota"),
        "ResourceInsufficient": ("续费", "renew"),
        "NoSuchVersion": ("升级", "update"),
        "ActionOffline": ("升级", "update"),
    }
    for code, (zh, en) in expected.items():
        sim.state.yinsuda.fail_next(code)
        with pytest.raises(ProviderError) as raised:
            await provider.suggest("月")
        assert zh in raised.value.message("zh_CN") and en in raised.value.message("en"), code


async def test_temporary_credentials_travel_with_their_token(
    make_provider: Callable[..., YinsudaProvider], sim: SimHandle
) -> None:
    secret_id, secret_key, token = sim.state.yinsuda.issue_temporary_credentials()
    good = make_provider(secret_id=secret_id, secret_key=secret_key, token=token)
    assert await good.tags()
    without = make_provider(secret_id=secret_id, secret_key=secret_key)
    with pytest.raises(AuthError) as raised:
        await without.tags()
    assert raised.value.code == "AuthFailure.TokenFailure" and "Token" in raised.value.message("en")
    wrong = make_provider(secret_id=secret_id, secret_key=secret_key, token=token[:-1] + "x")
    with pytest.raises(AuthError):
        await wrong.tags()


async def test_the_official_sdk_signs_temporary_credentials_the_emulator_accepts(sim: SimHandle) -> None:
    from tencentcloud.common import credential
    from tencentcloud.yinsuda.v20220527 import models

    secret_id, secret_key, token = sim.state.yinsuda.issue_temporary_credentials()
    client = sdk_client(sim, secret_id=secret_id, secret_key=secret_key)
    client.credential = credential.Credential(secret_id, secret_key, token)
    try:
        request = models.DescribeKTVTagsRequest()
        request.AppName, request.UserId = "sdk-app", "sdk-user"
        reply = await client.DescribeKTVTags(request)
    finally:
        await client.close()
    assert reply.TagGroupInfoSet


async def test_the_knobs_work_over_http_for_a_sim_in_another_process(
    make_provider: Callable[..., YinsudaProvider], sim: SimHandle
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=sim.base_url) as admin:
        keys = (await admin.post("/_admin/yinsuda/sts")).json()
        provider = make_provider(
            secret_id=keys["TmpSecretId"], secret_key=keys["TmpSecretKey"], token=keys["Token"]
        )
        assert (
            await admin.post("/_admin/yinsuda/fail", params={"code": "IpNotInWhitelist"})
        ).status_code == 200
        with pytest.raises(AuthError) as raised:
            await provider.tags()
        assert raised.value.code == "IpNotInWhitelist"
        assert await provider.tags()
        cut = await admin.post("/_admin/media/cut", params={"count": 1, "fraction": 2})
        assert cut.status_code == 400  # a fraction must be inside the body
        assert (await admin.post("/_admin/yinsuda/fail")).json() == {"cleared": True}
