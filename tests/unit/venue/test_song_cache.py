"""A room's song cache (`catalog/venue/cache.py`): every part of a karaoke kind under the
name the server gave it, unfinished or older-format folders never used, then evicted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ktvdesk.catalog.venue.cache import MANIFEST, SongCache


def _media(*parts: tuple[str, str]) -> dict[str, Any]:
    return {"parts": {part: {"url": f"http://venue/{part}", "name": name} for part, name in parts}}


def test_a_song_is_used_only_with_every_part_and_its_manifest(tmp_path: Path) -> None:
    cache = SongCache(tmp_path, max_bytes=1 << 20)
    folder = cache.partial("7")
    (folder / "main.wav").write_bytes(b"a" * 10)
    media = _media(("main", "main.wav"), ("video", "video.cdg"))
    assert cache.get("7") is None  # not finished
    cache.finish("7", media)
    assert cache.get("7") is None  # the graphics are missing
    (folder / "video.cdg").write_bytes(b"g" * 24)
    song = cache.get("7")
    assert song is not None and song.path("video") == folder / "video.cdg" and song.path("lyrics") is None


def test_a_folder_of_the_first_format_is_not_used_and_goes(tmp_path: Path) -> None:
    cache = SongCache(tmp_path, max_bytes=1 << 20)
    old = tmp_path / "8"
    old.mkdir()
    (old / "main.mp3").write_bytes(b"a")
    (old / "media.json").write_text(json.dumps({"main": "main.mp3", "container": "mp3"}))
    assert MANIFEST != "media.json"
    assert cache.get("8") is None
    assert cache.evict(keep=set()) == ["8"] and not old.exists()
