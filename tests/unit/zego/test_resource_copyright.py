"""The resource JSON of the seed, copyright rows, settings, badge and venue list."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ktvdesk.catalog.zego.badge import PLACEHOLDER, owner_badge_path
from ktvdesk.catalog.zego.copyright import parse_copyrights
from ktvdesk.catalog.zego.resource import media_source, parse_resource
from ktvdesk.catalog.zego.settings import load_zego_settings
from ktvdesk.catalog.zego.venue_catalog import VenueCatalog
from ktvdesk.errors import ConfigError, ProviderError, RightsError
from ktvdesk.logs import redact
from ktvdesk.models import ClipSegment, Song, VocalLayout

# Exactly the "回调示例" of zego-ktv-request-resource-result.md.
SEED_RESOURCE = """{
  "code": 0,
  "message": "string",
  "request_id": "string",
  "data": {
    "is_clip":1,
    "is_accompany":0,
    "krc_token":"UQIFmNmY3NbjZggIwNzFl",
    "krc_token_ttl":43200000,
    "song_id":"300785364",
    "share_token_ttl":3600000,
    "token_ttl":3600000,
    "segment_begin":133157,
    "segment_end":235337,
    "prelude_duration":5000,
    "resources_size":1,
    "resources":[
        {
            "resource_id":"z_301215364_3",
            "size":0,
            "quality":"normal",
            "share_token":"7878787SDASDASDASDASD.SADSDASDASDASDSADSASDASDASDASD.V-sT427morLeej5sYUXgQzEgNjQ-YAoShYHGy5dGFKI",
            "resource_ttl": 300000
        }
    ]
  }
}"""

# Exactly the "响应示例" of zego-ktv-query-songs-copyright.md.
SEED_COPYRIGHT = {
    "Code": 0,
    "Message": "succeed",
    "RequestId": "0d119fdb-3f55-46a8-a169-9ed709307b17",
    "Data": {
        "Copyright": [
            {"Subright": {"SongLyric": 0, "Recording": 1, "Channel": 0}, "Right": 1, "SongId": "32593638"}
        ]
    },
}

RECEIVED = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)


def test_seed_resource_parses_into_tokens_and_expiries() -> None:
    resource = parse_resource(json.loads(SEED_RESOURCE), RECEIVED)
    assert resource.song_id == "300785364"
    assert resource.is_clip and not resource.is_accompany
    assert resource.krc_token is not None and resource.krc_token.value == "UQIFmNmY3NbjZggIwNzFl"
    assert resource.krc_token.expires_at == RECEIVED + timedelta(hours=12)
    assert resource.share_token_ttl_ms == 3_600_000
    assert resource.segment == ClipSegment(begin_ms=133157, end_ms=235337)
    assert resource.prelude_ms == 5000
    assert resource.request_id == "string"
    item = resource.best()
    assert (item.resource_id, item.size, item.quality) == ("z_301215364_3", 0, "normal")
    assert item.share_token is not None and item.share_token.expires_at == RECEIVED + timedelta(hours=1)
    assert item.share_token.value.startswith("7878787SDASD")
    # The resource itself lives 300 000 ms, less than its share token.
    assert item.expires_at == RECEIVED + timedelta(milliseconds=300_000)


def test_seed_resource_into_media_source() -> None:
    resource = parse_resource(json.loads(SEED_RESOURCE), RECEIVED)
    source = media_source(
        resource, "{base}/media/{resource_id}?share_token={share_token}", "http://127.0.0.1:9/venue/"
    )
    assert source.url.startswith("http://127.0.0.1:9/venue/media/z_301215364_3?share_token=7878787SDASD")
    assert source.expires_at == RECEIVED + timedelta(minutes=5)
    assert source.layout == VocalLayout.MIXED  # is_accompany 0: the song with its vocal
    assert source.clip == ClipSegment(begin_ms=133157, end_ms=235337)
    assert source.prelude_ms == 5000
    assert source.expired(RECEIVED + timedelta(minutes=5)) and not source.expired(RECEIVED)


def test_accompaniment_without_clip() -> None:
    doc = json.loads(SEED_RESOURCE)
    doc["data"].update(is_clip=0, is_accompany=1)
    source = media_source(parse_resource(doc, RECEIVED), "{base}/m/{resource_id}", "http://h")
    assert source.layout == VocalLayout.ACCOMPANIMENT_ONLY and source.clip is None and source.prelude_ms == 0


def test_old_token_ttl_and_defaults() -> None:
    data = {"song_id": "1", "token_ttl": 1000, "resources": [{"resource_id": "r", "share_token": "t"}]}
    resource = parse_resource(data, RECEIVED)
    assert resource.best().expires_at == RECEIVED + timedelta(seconds=1)
    assert resource.krc_token is None


def test_resource_without_resources_or_shape() -> None:
    with pytest.raises(RightsError):
        parse_resource({"song_id": "1"}, RECEIVED).best()
    with pytest.raises(ProviderError):
        parse_resource({"code": 0, "data": {"resources": []}}, RECEIVED)


def test_seed_copyright_channel_zero_needs_the_badge() -> None:
    [row] = parse_copyrights(SEED_COPYRIGHT["Data"])
    assert row.song_id == "32593638" and row.right and row.recording and not row.song_lyric
    assert row.channel == 0 and row.needs_owner_badge
    assert row.rights.can_play and not row.rights.can_sing
    song = Song(provider="zego", id=row.song_id, title="t", copyright_channel=row.channel)
    assert song.needs_owner_badge
    other = parse_copyrights({"Copyright": [{"SongId": "1", "Right": 0, "Subright": {"Channel": 3}}]})[0]
    assert not other.needs_owner_badge and not other.right


ENV = {
    "KTVDESK_ZEGO_APP_ID": "1234567890",
    "KTVDESK_ZEGO_SERVER_SECRET": "zego-server-secret-xyz",
    "KTVDESK_ZEGO_USER_ID": "user-7",
    "KTVDESK_ZEGO_RESOURCE_ENDPOINT": "http://127.0.0.1:9/venue/resource",
}


def test_settings_from_env() -> None:
    settings = load_zego_settings(ENV, use_keyring=False, endpoint="http://127.0.0.1:9/zego/")
    assert settings.app_id == 1234567890 and settings.user_id == "user-7"
    assert settings.endpoint == "http://127.0.0.1:9/zego"
    assert settings.resource_base == "http://127.0.0.1:9/venue"
    assert "zego-server-secret-xyz" not in redact("secret zego-server-secret-xyz")


def test_missing_secret_is_a_config_error() -> None:
    env = {k: v for k, v in ENV.items() if "SECRET" not in k}
    with pytest.raises(ConfigError) as info:
        load_zego_settings(env, use_keyring=False)
    assert "server_secret" in info.value.detail


def test_badge_placeholder_and_configured_logo(tmp_path: Path) -> None:
    assert PLACEHOLDER.is_file() and PLACEHOLDER.read_text("utf-8").lstrip().startswith("<?xml")
    assert "<svg" in PLACEHOLDER.read_text("utf-8")
    assert owner_badge_path(None) == PLACEHOLDER
    assert owner_badge_path(tmp_path / "missing.png") == PLACEHOLDER
    logo = tmp_path / "owner.png"
    logo.write_bytes(b"\x89PNG")
    assert owner_badge_path(logo) == logo


def test_venue_catalog(tmp_path: Path) -> None:
    path = tmp_path / "songs.json"
    path.write_text(
        json.dumps(
            {
                "songs": [
                    {"song_id": "101", "title": "海风之歌", "singers": ["林安"], "tags": ["流行"]},
                    {"title": "no id"},
                ]
            }
        ),
        "utf-8",
    )
    catalog = VenueCatalog.load(path)
    assert [s.song_id for s in catalog.search("海风")] == ["101"]
    assert [s.song_id for s in catalog.search("林安")] == ["101"]
    assert catalog.tags() == ["流行"] and catalog.search("  ") == []
    path.write_text("{broken", "utf-8")
    with pytest.raises(ConfigError):
        VenueCatalog.load(path)
