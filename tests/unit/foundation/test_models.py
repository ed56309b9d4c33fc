from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from ktvdesk.models import ClipSegment, MediaSource, Page, Song


def test_song_identity_and_badge() -> None:
    song = Song(provider="zego", id="42", title="Song", singers=("A", "B"), copyright_channel=0)
    assert song.key == "zego:42"
    assert song.singers_text == "A / B"
    assert song.needs_owner_badge
    assert not Song(provider="zego", id="43", title="x", copyright_channel=1).needs_owner_badge


def test_clip_must_end_after_begin() -> None:
    assert ClipSegment(begin_ms=1000, end_ms=31000).duration_ms == 30000
    with pytest.raises(ValidationError):
        ClipSegment(begin_ms=5000, end_ms=5000)


def test_media_source_expiry_with_margin() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    source = MediaSource(url="http://127.0.0.1/a.mkv", expires_at=now + timedelta(seconds=30))
    assert source.is_network
    assert not source.expired(now)
    assert source.expired(now, margin_ms=30_000)
    assert not MediaSource(url="/music/a.mkv").expired(now)


def test_page_cursor_means_more() -> None:
    song = Song(provider="local", id="1", title="t")
    assert Page[Song](items=(song,), cursor="abc").has_more
    assert not Page[Song](items=(song,)).has_more
