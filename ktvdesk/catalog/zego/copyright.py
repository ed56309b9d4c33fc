"""`QuerySongsCopyright` entries → rights and the Channel that decides the owner badge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from ktvdesk.models import Rights


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SubrightPayload(_Payload):
    SongLyric: int = 0
    Recording: int = 0
    Channel: int | None = None


class CopyrightPayload(_Payload):
    SongId: str
    Right: int = 0
    Subright: SubrightPayload = SubrightPayload()


@dataclass(frozen=True, slots=True)
class Copyright:
    song_id: str
    right: bool  # any sub-right
    song_lyric: bool  # 词曲: may be sung
    recording: bool  # 录音: may be played
    channel: int | None  # 0: show the copyright owner's logo

    @property
    def rights(self) -> Rights:
        return Rights(can_play=self.recording, can_sing=self.song_lyric)

    @property
    def needs_owner_badge(self) -> bool:
        return self.channel == 0


def parse_copyrights(data: Any) -> list[Copyright]:
    rows = data.get("Copyright") if isinstance(data, dict) else None
    out = []
    for row in rows or []:
        item = CopyrightPayload.model_validate(row)
        sub = item.Subright
        out.append(
            Copyright(
                song_id=str(item.SongId),
                right=bool(item.Right),
                song_lyric=bool(sub.SongLyric),
                recording=bool(sub.Recording),
                channel=sub.Channel,
            )
        )
    return out
