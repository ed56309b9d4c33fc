"""The song resource JSON (`zego-ktv-request-resource-result.md`) → tokens, expiries, media.

Every TTL in it is relative ("valid for N ms from now"), so expiries are anchored on the
moment the reply was received. `share_token` (1 h by default) opens the media, `krc_token`
(12 h) the word-timed lyrics; each resource also has its own `resource_ttl`, and the
media link dies at whichever comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError

from ktvdesk.errors import ProviderError, RightsError, UserMessage
from ktvdesk.expiry import ttl_validity
from ktvdesk.models import ClipSegment, MediaSource, VocalLayout

DEFAULT_SHARE_TOKEN_TTL_MS = 3_600_000
DEFAULT_KRC_TOKEN_TTL_MS = 43_200_000

_SHAPE = UserMessage("ZEGO 资源数据无法识别。", "The ZEGO song resource data is not understood.")
_NO_RESOURCE = UserMessage("这首歌暂无可用的播放资源。", "There is no playable resource for this song.")


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ResourcePayload(_Payload):
    resource_id: str
    size: int = 0
    quality: str = "normal"
    share_token: str = ""
    resource_ttl: int | None = None  # ms


class ResourceData(_Payload):
    song_id: str
    is_clip: int = 0
    is_accompany: int = 0
    krc_token: str = ""
    krc_token_ttl: int | None = None
    share_token_ttl: int | None = None
    token_ttl: int | None = None  # the old name of share_token_ttl
    segment_begin: int | None = None
    segment_end: int | None = None
    prelude_duration: int | None = None
    resources_size: int | None = None
    resources: list[ResourcePayload] = []


@dataclass(frozen=True, slots=True)
class Token:
    value: str
    expires_at: datetime

    def expired(self, now: datetime, margin: timedelta = timedelta(0)) -> bool:
        return now + margin >= self.expires_at


@dataclass(frozen=True, slots=True)
class ResourceItem:
    resource_id: str
    size: int
    quality: str
    share_token: Token | None
    expires_at: datetime  # resource_ttl and the share token, whichever ends first


@dataclass(frozen=True, slots=True)
class SongResource:
    song_id: str
    is_clip: bool
    is_accompany: bool
    krc_token: Token | None
    share_token_ttl_ms: int
    segment: ClipSegment | None
    prelude_ms: int
    resources: tuple[ResourceItem, ...]
    request_id: str | None = None

    def best(self) -> ResourceItem:
        if not self.resources:
            raise RightsError(f"zego resource {self.song_id}: no resources", user_message=_NO_RESOURCE)
        return self.resources[0]


def _expiry(received_at: datetime, ttl_ms: int) -> datetime:
    return ttl_validity(received_at, ttl_ms=ttl_ms).expires_at


def parse_resource(document: dict[str, Any], received_at: datetime) -> SongResource:
    """The whole reply (`{code, message, request_id, data}`) or just its `data`."""
    data = document.get("data", document) if "code" in document else document
    try:
        parsed = ResourceData.model_validate(data)
    except ValidationError as exc:
        raise ProviderError(
            f"zego resource: unexpected shape: {exc.error_count()} errors",
            user_message=_SHAPE,
            code="BadResponse",
        ) from None
    share_ttl = parsed.share_token_ttl or parsed.token_ttl or DEFAULT_SHARE_TOKEN_TTL_MS
    share_expiry = _expiry(received_at, share_ttl)
    items = []
    for item in parsed.resources:
        own = _expiry(received_at, item.resource_ttl) if item.resource_ttl else share_expiry
        token = Token(item.share_token, share_expiry) if item.share_token else None
        items.append(ResourceItem(item.resource_id, item.size, item.quality, token, min(own, share_expiry)))
    krc = None
    if parsed.krc_token:
        krc_ttl = parsed.krc_token_ttl or DEFAULT_KRC_TOKEN_TTL_MS
        krc = Token(parsed.krc_token, _expiry(received_at, krc_ttl))
    segment = None
    begin, end = parsed.segment_begin, parsed.segment_end
    if begin is not None and end is not None and 0 <= begin < end:
        segment = ClipSegment(begin_ms=begin, end_ms=end)
    request_id = document.get("request_id") if "code" in document else None
    return SongResource(
        song_id=parsed.song_id,
        is_clip=bool(parsed.is_clip),
        is_accompany=bool(parsed.is_accompany),
        krc_token=krc,
        share_token_ttl_ms=share_ttl,
        segment=segment,
        prelude_ms=max(0, parsed.prelude_duration or 0),
        resources=tuple(items),
        request_id=str(request_id) if request_id else None,
    )


def fill(template: str, base: str, **values: str) -> str:
    """A URL template: `{base}` as given, every other value percent-encoded."""
    return template.format(base=base.rstrip("/"), **{k: quote(v, safe="") for k, v in values.items()})


def media_source(resource: SongResource, media_url_template: str, base: str) -> MediaSource:
    """The first resource as something the engine plays; clip times come with clip resources."""
    item = resource.best()
    url = fill(
        media_url_template,
        base,
        resource_id=item.resource_id,
        share_token=item.share_token.value if item.share_token else "",
        song_id=resource.song_id,
    )
    return MediaSource(
        url=url,
        expires_at=item.expires_at,
        layout=VocalLayout.ACCOMPANIMENT_ONLY if resource.is_accompany else VocalLayout.MIXED,
        clip=resource.segment if resource.is_clip else None,
        prelude_ms=resource.prelude_ms if resource.is_clip else 0,
    )
