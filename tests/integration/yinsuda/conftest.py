"""An emulator per test module (127.0.0.1, any free port), the official SDK and our provider."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.yinsuda.v20220527 import yinsuda_client_async

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.catalog.yinsuda.settings import YinsudaSettings
from ktvdesk.cloudsim import SimHandle, start_in_thread

APP = "ktvdesk-test"
USER = "user-1"


@pytest.fixture(scope="module")
def sim() -> Iterator[SimHandle]:
    handle = start_in_thread(catalog_size=1500)
    try:
        yield handle
    finally:
        handle.stop()


def sdk_client(sim: SimHandle, *, secret_id: str | None = None, secret_key: str | None = None) -> Any:
    """The official async client, endpoint and scheme overridden through HttpProfile."""
    profile = ClientProfile(
        httpProfile=HttpProfile(protocol="http", endpoint=sim.base_url.split("://", 1)[1])
    )
    cred = credential.Credential(secret_id or sim.config.secret_id, secret_key or sim.config.secret_key)
    return yinsuda_client_async.YinsudaClient(cred, "", profile)


@pytest.fixture
async def sdk(sim: SimHandle) -> AsyncIterator[Any]:
    client = sdk_client(sim)
    try:
        yield client
    finally:
        await client.close()


def settings_for(sim: SimHandle, **overrides: Any) -> YinsudaSettings:
    values: dict[str, Any] = {
        "secret_id": sim.config.secret_id,
        "secret_key": sim.config.secret_key,
        "app_name": APP,
        "user_id": USER,
        "endpoint": sim.base_url,
        "url_ttl_s": sim.config.url_ttl_s,
        "timeout_s": 5.0,
    }
    values.update(overrides)
    return YinsudaSettings.model_validate(values)


# Short backoff keeps fault tests quick; the policy's logic is the production one.
FAST_RETRY = RetryPolicy(max_attempts=5, base_delay_s=0.02, max_delay_s=0.3, rate_limited_min_s=0.1)


@pytest.fixture
async def make_provider(sim: SimHandle) -> AsyncIterator[Callable[..., YinsudaProvider]]:
    made: list[YinsudaProvider] = []

    def make(**overrides: Any) -> YinsudaProvider:
        retry = overrides.pop("retry", FAST_RETRY)
        provider = YinsudaProvider(settings_for(sim, **overrides), retry=retry)
        made.append(provider)
        return provider

    try:
        yield make
    finally:
        for provider in made:
            await provider.aclose()


@pytest.fixture
async def provider(sim: SimHandle) -> AsyncIterator[YinsudaProvider]:
    p = YinsudaProvider(settings_for(sim), retry=FAST_RETRY)
    try:
        yield p
    finally:
        await p.aclose()
