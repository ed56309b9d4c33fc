"""The JSON the phones send and receive: pydantic bodies with hard size limits, and views.

Views carry only what a guest may see: titles, singers, durations, start estimates.
Never a file path, a media URL, a provider setting or another guest's credential.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ktvdesk.models import Song

MAX_BODY_BYTES = 2048
Sound = Literal["applause", "cheer", "laugh", "whistle"]
Action = Literal[
    "play_pause", "vocal", "key_up", "key_down", "key_reset", "volume_up", "volume_down", "skip", "restart"
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class JoinBody(_Body):
    token: str = Field(min_length=1, max_length=128)
    singer: str = Field(min_length=1, max_length=64)


class QueueBody(_Body):
    provider: str = Field(min_length=1, max_length=32)
    song_id: str = Field(min_length=1, max_length=256)
    singer: str | None = Field(default=None, min_length=1, max_length=64)
    priority: bool = False  # 优先 (when the host allows it)


class FavoriteBody(_Body):
    provider: str = Field(min_length=1, max_length=32)
    song_id: str = Field(min_length=1, max_length=256)


class ControlBody(_Body):
    action: Action


class CheerBody(_Body):
    sound: Sound


class SearchQuery(_Body):
    q: str = Field(min_length=1, max_length=64)
    provider: str | None = Field(default=None, max_length=32)
    cursor: str | None = Field(default=None, max_length=512)


def song_view(song: Song) -> dict[str, Any]:
    return {
        "provider": song.provider,
        "id": song.id,
        "title": song.title,
        "singers": list(song.singers),
        "duration_ms": song.duration_ms,
    }
