"""A real cloudsim over loopback and a real `ZegoProvider` pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.zego.provider import ZegoProvider
from ktvdesk.catalog.zego.settings import load_zego_settings
from ktvdesk.cloudsim.server import SimHandle, start_in_thread
from ktvdesk.cloudsim.zego import DEFAULT_APP_ID, DEFAULT_SERVER_SECRET

MakeProvider = Callable[..., ZegoProvider]


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    with start_in_thread(catalog_size=300, demo_dir=None) as handle:
        yield handle


@pytest.fixture
async def make_provider(sim: SimHandle) -> AsyncIterator[MakeProvider]:
    made: list[ZegoProvider] = []

    def make(**overrides: Any) -> ZegoProvider:
        values: dict[str, Any] = {
            "app_id": DEFAULT_APP_ID,
            "server_secret": DEFAULT_SERVER_SECRET,
            "user_id": "singer-1",
            "room_id": "room-9",
            "resource_endpoint": f"{sim.base_url}/zego/venue/resource",
            **overrides,
        }
        settings = load_zego_settings({}, endpoint=f"{sim.base_url}/zego", use_keyring=False, **values)
        provider = ZegoProvider(settings, retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.05))
        made.append(provider)
        return provider

    yield make
    for provider in made:
        await provider.aclose()


@pytest.fixture
def provider(make_provider: MakeProvider) -> ZegoProvider:
    return make_provider()


def song_ids(sim: SimHandle, start: int, count: int) -> list[str]:
    return [sim.state.zego.song_id(s) for s in sim.state.catalog.songs[start : start + count]]


def write_venue_catalog(sim: SimHandle, path: Path, count: int = 60) -> Path:
    import json

    songs = [
        {
            "song_id": sim.state.zego.song_id(s),
            "title": s.title,
            "singers": list(s.singers),
            "album": s.album,
            "duration_ms": s.duration_ms,
            "tags": list(s.tags),
        }
        for s in sim.state.catalog.songs[:count]
    ]
    path.write_text(json.dumps({"songs": songs}, ensure_ascii=False), "utf-8")
    return path
