"""Real SQLite databases in tmp_path, with a deterministic clock so orderings are exact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ktvdesk.models import Rights, Song
from ktvdesk.storage import UserDatabase


class StepClock:
    """Wall clock stand-in: every reading is 1 s after the previous one."""

    def __init__(self, start_ms: int = 1_700_000_000_000) -> None:
        self.now_ms = start_ms

    def __call__(self) -> int:
        self.now_ms += 1000
        return self.now_ms


def make_song(n: int, provider: str = "yinsuda", **extra: object) -> Song:
    fields: dict[str, object] = {
        "provider": provider,
        "id": f"s{n}",
        "title": f"歌曲 {n}",
        "singers": (f"歌手 {n % 7}",),
        "duration_ms": 180_000 + n,
    }
    fields.update(extra)
    return Song.model_validate(fields)


SongFactory = Callable[..., Song]


@pytest.fixture
def song() -> SongFactory:
    """song(n, provider="yinsuda", **fields): distinct songs by number."""
    return make_song


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "user.sqlite3"


@pytest.fixture
def db(db_path: Path, clock: StepClock) -> Iterator[UserDatabase]:
    database = UserDatabase(db_path, clock_ms=clock)
    yield database
    database.close()


@pytest.fixture
def rich_song() -> Song:
    """A song using every Song field, to prove nothing is lost through storage."""
    return Song(
        provider="zego",
        id="z-42",
        title="夜空中最亮的星 (Live)",
        singers=("甲", "乙"),
        album="专辑",
        covers={"small": "https://cdn.invalid/s.jpg", "large": "https://cdn.invalid/l.jpg"},
        duration_ms=252_000,
        rights=Rights(can_play=True, can_sing=False),
        has_lyrics=True,
        has_pitch=True,
        recommended=True,
        copyright_channel=0,
    )
