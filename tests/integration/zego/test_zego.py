"""ZEGO against the emulator: signatures, copyright batches, resources with TTLs, KRC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.http import ApiCall
from ktvdesk.catalog.zego.badge import PLACEHOLDER
from ktvdesk.catalog.zego.provider import ZegoProvider
from ktvdesk.catalog.zego.signature import signature
from ktvdesk.catalog.zego.wire import ZegoWire
from ktvdesk.cloudsim.catalog import FILLER_WORD_MS, media_bytes
from ktvdesk.cloudsim.server import SimHandle
from ktvdesk.cloudsim.zego import DEFAULT_APP_ID, DEFAULT_SERVER_SECRET
from ktvdesk.errors import AuthError, ConfigError, MediaExpiredError
from ktvdesk.lyrics import Lyrics
from ktvdesk.models import VocalLayout
from tests.support.first_bytes import first_bytes

from .conftest import MakeProvider, song_ids, write_venue_catalog


async def test_45_ids_take_3_copyright_calls(provider: ZegoProvider, sim: SimHandle) -> None:
    ids = song_ids(sim, 10, 45)
    rows = await provider.copyrights(ids)
    assert [r.song_id for r in rows] == ids
    calls = sim.state.zego.calls
    assert calls.by_action == {"QuerySongsCopyright": 3}
    assert sorted(len(b) for b in calls.batches) == [5, 20, 20]
    assert sorted(i for b in calls.batches for i in b) == sorted(ids)


async def test_channel_zero_songs_carry_the_badge(provider: ZegoProvider, sim: SimHandle) -> None:
    ids = song_ids(sim, 0, 9)
    details = await provider.details(ids)
    channels = {d.song.id: d.song.copyright_channel for d in details}
    for index, song_id in enumerate(ids):
        assert channels[song_id] == (0 if index % 3 == 0 else 1)
    badged = [d.song for d in details if d.song.needs_owner_badge]
    assert len(badged) == 3
    assert provider.owner_badge == PLACEHOLDER and PLACEHOLDER.is_file()
    sim_songs = sim.state.catalog.songs[:9]
    for detail, sim_song in zip(details, sim_songs, strict=True):
        assert detail.song.rights.can_play is sim_song.can_play
        assert detail.song.rights.can_sing is sim_song.can_sing


async def test_request_signature_matches_an_independent_computation(
    provider: ZegoProvider, sim: SimHandle
) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    provider.transport.client.event_hooks["request"].append(record)
    await provider.copyrights(song_ids(sim, 0, 2))
    query = dict(parse_qsl(urlsplit(str(seen[0].url)).query))
    import hashlib

    expected = hashlib.md5(
        (
            query["AppId"]
            + query["SignatureNonce"]
            + provider.settings.server_secret.get_secret_value()
            + query["Timestamp"]
        ).encode()
    ).hexdigest()
    assert query["Signature"] == expected
    assert (
        signature(
            query["AppId"], query["SignatureNonce"], "ktvdesk-sim-zego-server-secret00", query["Timestamp"]
        )
        == expected
    )


async def test_wrong_secret_is_rejected(make_provider: MakeProvider, sim: SimHandle) -> None:
    provider = make_provider(server_secret="not-the-secret")
    with pytest.raises(AuthError) as info:
        await provider.copyrights(song_ids(sim, 0, 3))
    assert info.value.code == "100000005"
    assert "ServerSecret" in info.value.user_message.en
    assert provider.transport.stats.retries == 0  # a wrong key is not retried
    assert sim.state.zego.calls.by_action == {}


async def test_unknown_app_id_is_rejected(make_provider: MakeProvider, sim: SimHandle) -> None:
    with pytest.raises(AuthError):
        await make_provider(app_id=42).copyrights(song_ids(sim, 0, 1))


async def test_clock_skew_beyond_ten_minutes_is_learned_and_retried(
    provider: ZegoProvider, sim: SimHandle
) -> None:
    sim.clock.set_skew(15 * 60)
    rows = await provider.copyrights(song_ids(sim, 0, 2))
    assert len(rows) == 2
    assert provider.transport.stats.clock_corrections == 1
    assert sim.state.zego.calls.refused == {100000004: 1}


async def test_skew_within_tolerance_is_accepted(provider: ZegoProvider, sim: SimHandle) -> None:
    sim.clock.set_skew(9 * 60)
    assert len(await provider.copyrights(song_ids(sim, 0, 2))) == 2
    assert provider.transport.stats.clock_corrections == 0


async def test_vendor_other_than_0_or_1_is_refused_when_configured(
    make_provider: MakeProvider, sim: SimHandle
) -> None:
    calls = sim.state.zego.calls.by_action.get("QuerySongsCopyright", 0)
    with pytest.raises(ConfigError) as info:
        make_provider(vendor_id=5)
    assert "0 或 1" in info.value.message("zh_CN") and "0 or 1" in info.value.message("en")
    assert sim.state.zego.calls.by_action.get("QuerySongsCopyright", 0) == calls  # nothing was sent
    # The emulator still refuses it on the wire, as the service does.
    async with httpx.AsyncClient() as http:
        wire = ZegoWire(
            DEFAULT_APP_ID, DEFAULT_SERVER_SECRET, user_id="u", vendor_id=5, endpoint=f"{sim.base_url}/zego"
        )
        request = wire.build_request(
            http, ApiCall("QuerySongsCopyright", {"SongsId[]": song_ids(sim, 0, 1)}), sim.clock.time()
        )
        reply = wire.decode(ApiCall("QuerySongsCopyright", {}), await http.send(request))
    assert reply.failure is not None and reply.failure.code == "320000004"


async def test_room_id_is_sent_only_when_set(make_provider: MakeProvider, sim: SimHandle) -> None:
    async with httpx.AsyncClient() as http:
        for room, expected in (("room-9", ["room-9"]), ("", [])):
            wire = ZegoWire(DEFAULT_APP_ID, DEFAULT_SERVER_SECRET, user_id="u", room_id=room)
            request = wire.build_request(http, ApiCall("QuerySongsCopyright", {"SongsId[]": ["1"]}), 1.0)
            assert [v for k, v in parse_qsl(request.url.query.decode()) if k == "RoomId"] == expected
    provider = make_provider(room_id="")
    assert await provider.copyrights(song_ids(sim, 0, 2))


async def test_resolve_media_from_the_resource_endpoint(provider: ZegoProvider, sim: SimHandle) -> None:
    [detail] = await provider.details(song_ids(sim, 5, 1))
    before = datetime.now(UTC)
    source = await provider.resolve_media(detail.song)
    assert source.url.startswith(f"{sim.base_url}/zego/venue/media/")
    # The song and its accompaniment as two resources: the vocal can be switched.
    assert source.layout == VocalLayout.SEPARATE_FILE and source.clip is None
    assert source.accompaniment_url is not None and source.accompaniment_url != source.url
    async with httpx.AsyncClient() as client:
        backing = await client.get(source.accompaniment_url, headers={"Range": "bytes=0-3"})
    assert backing.status_code == 206 and backing.content == b"RIFF"
    assert source.expires_at is not None
    assert before + timedelta(seconds=299) <= source.expires_at <= datetime.now(UTC) + timedelta(seconds=300)
    resource = await provider.resource(detail.song.id, accompany=True)
    assert resource.krc_token is not None
    assert resource.krc_token.expires_at - before >= timedelta(hours=12) - timedelta(seconds=5)
    assert resource.best().share_token is not None
    clip = await provider.resolve_media(detail.song, MediaRequest(clip=True))
    sim_song = sim.state.catalog.songs[5]
    assert clip.clip is not None and (clip.clip.begin_ms, clip.clip.end_ms) == sim_song.chorus_ms
    assert clip.prelude_ms == sim_song.prelude_s * 1000


async def test_expired_resource_is_requested_again_and_plays(provider: ZegoProvider, sim: SimHandle) -> None:
    [detail] = await provider.details(song_ids(sim, 7, 1))
    old, head = await first_bytes(provider, detail.song, size=1024)
    expected = media_bytes(sim.state.catalog.songs[7])
    assert head == expected[:1024]
    sim.clock.advance(301)  # resource_ttl 300 000 ms is over at the emulator
    with pytest.raises(MediaExpiredError):
        await provider.transport.fetch(old.url, first_bytes=1024)
    source, head = await first_bytes(provider, detail.song, size=2048)
    assert source.url != old.url and head == expected[:2048]
    assert sim.state.zego.calls.resources == 4  # song + accompaniment, twice
    statuses = [u.status for u in sim.access_log.uses() if u.path.startswith("/zego/venue/media/")]
    assert statuses == [206, 403, 206]


async def test_krc_lyrics_through_the_lyrics_engine(provider: ZegoProvider, sim: SimHandle) -> None:
    [detail] = await provider.details(song_ids(sim, 11, 1))
    lyrics = await provider.fetch_lyrics(detail.song)
    assert isinstance(lyrics, Lyrics) and lyrics.format == "krc"
    sim_song = sim.state.catalog.songs[11]
    assert len(lyrics.lines) == 8
    first = lyrics.lines[0]
    assert first.start_ms == sim_song.prelude_s * 1000
    assert [w.start_ms - first.start_ms for w in first.words] == [i * FILLER_WORD_MS for i in range(4)]


async def test_no_resource_endpoint_is_a_config_error(make_provider: MakeProvider, sim: SimHandle) -> None:
    provider = make_provider(resource_endpoint=None)
    [detail] = await provider.details(song_ids(sim, 0, 1))
    with pytest.raises(ConfigError) as info:
        await provider.resolve_media(detail.song)
    assert info.value.user_message.en


async def test_search_on_the_venue_list_and_typed_ids(
    make_provider: MakeProvider, sim: SimHandle, tmp_path: Path
) -> None:
    provider = make_provider(catalog_file=write_venue_catalog(sim, tmp_path / "venue.json"))
    target = sim.state.catalog.songs[20]
    page = await provider.search(target.title)
    assert any(s.id == sim.state.zego.song_id(target) and s.title == target.title for s in page.items)
    assert all(s.copyright_channel in (0, 1) for s in page.items)
    typed = song_ids(sim, 200, 2)  # not in the venue list: resolved by id
    by_id = await provider.search(" ".join(typed))
    assert [s.id for s in by_id.items] == typed
    assert await provider.suggest(target.title[:2])
    tags = await provider.tags()
    tag = next(t for g in tags for t in g.tags if t.id == "style:pop")
    pop = await provider.songs_by_tag(tag.id, limit=5)
    assert pop.items and all(s.rights is not None for s in pop.items)
    playable = await provider.search("", filters=SearchFilters(playable_only=True))
    assert playable.items == ()
    assert (await provider.playlists()).items == ()


def test_provider_is_a_catalog_provider(provider: ZegoProvider) -> None:
    from ktvdesk.catalog.base import CatalogProvider

    assert isinstance(provider, CatalogProvider) and provider.name == "zego"


async def test_injected_gateway_errors_are_retried(provider: ZegoProvider, sim: SimHandle) -> None:
    sim.faults.rng.seed(1)  # its first rolls at 30 %: x..x....xx — never 4 in a row
    sim.faults.error_rate = 0.3
    for start in range(0, 60, 10):
        assert len(await provider.copyrights(song_ids(sim, start, 10))) == 10
    assert sim.faults.injected_errors > 0
    assert provider.transport.stats.retries == sim.faults.injected_errors


def _index_where(sim: SimHandle, can_play: bool, can_sing: bool) -> int:
    return next(
        i
        for i, s in enumerate(sim.state.catalog.songs)
        if s.can_play == can_play and s.can_sing == can_sing and s.status == 0 and not s.vip_only
    )


async def test_no_song_lyric_right_means_no_lyrics(provider: ZegoProvider, sim: SimHandle) -> None:
    index = _index_where(sim, can_play=True, can_sing=False)
    [detail] = await provider.details(song_ids(sim, index, 1))
    assert detail.song.rights.can_play and not detail.song.rights.can_sing
    krc_before = sim.state.zego.calls.resources
    assert await provider.fetch_lyrics(detail.song) is None
    assert sim.state.zego.calls.resources == krc_before  # not even a resource asked for


async def test_recording_0_offers_no_original_track(provider: ZegoProvider, sim: SimHandle) -> None:
    index = _index_where(sim, can_play=False, can_sing=True)
    [detail] = await provider.details(song_ids(sim, index, 1))
    assert not detail.song.rights.can_play and detail.song.rights.can_sing
    source = await provider.resolve_media(detail.song)
    # The accompaniment alone: the engine refuses 原唱 on it with "no original vocal".
    assert source.layout is VocalLayout.ACCOMPANIMENT_ONLY and source.accompaniment_url is None
    both = await provider.resolve_media((await provider.details(song_ids(sim, 11, 1)))[0].song)
    assert both.layout is VocalLayout.SEPARATE_FILE
