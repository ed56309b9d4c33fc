"""What the host lets the guests do; the Remote… dialog and the kiosk admin change it live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class RemotePolicy:
    allow_priority: bool = True  # 优先: a guest may move their own song to the top
    allow_skip: bool = False  # 切歌
    allow_restart: bool = True  # 重唱
    allow_cheers: bool = True  # 气氛
    volume_max: int = 90  # the kiosk's ceiling applies to phones too
    volume_step: int = 5

    def as_json(self) -> dict[str, object]:
        return {
            "allow_priority": self.allow_priority,
            "allow_skip": self.allow_skip,
            "allow_restart": self.allow_restart,
            "allow_cheers": self.allow_cheers,
            "volume_max": self.volume_max,
        }
