"""The emulator's pure parts: catalog, CDN signing and expiry, Range, server-side limits."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.requests import Request

from ktvdesk.cloudsim.catalog import SimCatalog, generated_vtt, media_bytes
from ktvdesk.cloudsim.cdn import AccessLog, CdnSigner, ranged
from ktvdesk.cloudsim.clock import SimClock
from ktvdesk.cloudsim.limits import SlidingWindowLimiter
from ktvdesk.lyrics import parse_lyrics


def _request(range_header: str | None) -> Request:
    headers = [(b"range", range_header.encode())] if range_header else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "query_string": b""})


def test_range_requests() -> None:
    data = bytes(range(100))
    whole = ranged(_request(None), data, "audio/wav")
    assert whole.status_code == 200 and whole.body == data and whole.headers["accept-ranges"] == "bytes"
    part = ranged(_request("bytes=10-19"), data, "audio/wav")
    assert part.status_code == 206 and part.body == data[10:20]
    assert part.headers["content-range"] == "bytes 10-19/100"
    assert ranged(_request("bytes=90-"), data, "audio/wav").body == data[90:]
    assert ranged(_request("bytes=-5"), data, "audio/wav").body == data[95:]
    assert ranged(_request("bytes=95-500"), data, "audio/wav").headers["content-range"] == "bytes 95-99/100"
    unsatisfiable = ranged(_request("bytes=200-300"), data, "audio/wav")
    assert unsatisfiable.status_code == 416 and unsatisfiable.headers["content-range"] == "bytes */100"


def test_cdn_links_expire_and_resist_tampering() -> None:
    clock = SimClock()
    log = AccessLog()
    cdn = CdnSigner("key", clock, log)
    url = cdn.media_url("http://127.0.0.1:1", "mid-x.wav", ttl_s=600)
    stamp, digest, file = url.split("/", 3)[3].split("/")
    status, expires = cdn.check_media(stamp, digest, file, 600)
    assert status == 200 and expires == log.issued_links()[0].expires_at
    assert cdn.check_media(stamp, "0" * 32, file, 600)[0] == 403
    assert cdn.check_media(stamp, digest, "mid-y.wav", 600)[0] == 403
    clock.advance(661)  # the stamp is the issue minute: at most 60 s older than the issue
    assert cdn.check_media(stamp, digest, file, 600)[0] == 403


def test_download_links_expire() -> None:
    clock = SimClock()
    cdn = CdnSigner("key", clock, AccessLog())
    url = cdn.download_url("http://h", "/Lyrics/mid-x/subtitle.vtt", "app", ttl_s=100)
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    source = "/Lyrics/mid-x/subtitle.vtt"
    assert cdn.check_download(query["sign"], source, query["t"], 100)[0] == 200
    assert cdn.check_download(query["sign"], "/Lyrics/mid-y/subtitle.vtt", query["t"], 100)[0] == 403
    clock.advance(101)
    assert cdn.check_download(query["sign"], source, query["t"], 100)[0] == 403


def test_generated_catalog_is_deterministic_and_searchable() -> None:
    a, b = SimCatalog(size=500, seed=1, demo_dir=None), SimCatalog(size=500, seed=1, demo_dir=None)
    assert [s.id for s in a.songs] == [s.id for s in b.songs] and len(a.songs) == 504
    assert [s.id for s in SimCatalog(size=500, seed=2, demo_dir=None).songs[4:]] != [
        s.id for s in a.songs[4:]
    ]
    assert any(s.title.isascii() for s in a.songs) and any(not s.title.isascii() for s in a.songs)
    target = a.songs[100]
    hits = a.search(target.title)
    assert hits[0].title == target.title
    assert all(target.title.casefold() in h.title.casefold() or h.matches(target.title) for h in hits)
    assert a.search("  ") == []
    assert len(set(a.suggestions("等"))) == len(a.suggestions("等")) <= 10


def test_generated_media_and_lyrics() -> None:
    song = SimCatalog(size=10, seed=3, demo_dir=None).songs[5]
    wav = media_bytes(song)
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    lyrics = parse_lyrics(generated_vtt(song).encode(), "vtt")
    assert len(lyrics.lines) == 8 and all(len(line.words) == 4 for line in lyrics.lines)


def test_demo_songs_are_picked_up_when_present(tmp_path: Path) -> None:
    (tmp_path / "river_song.ogg").write_bytes(b"OggS fake media")
    (tmp_path / "river_song.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nla\n", "utf-8")
    (tmp_path / "river_song.json").write_text(json.dumps({"title": "River Song", "artist": "Trad."}), "utf-8")
    (tmp_path / "notes.txt").write_text("not a song", "utf-8")
    catalog = SimCatalog(size=10, seed=1, demo_dir=tmp_path)
    assert catalog.demo_count == 1
    demo = catalog.songs[0]
    assert (demo.title, demo.singers, demo.ext, demo.has_lyrics) == ("River Song", ("Trad.",), "ogg", True)
    assert media_bytes(demo) == b"OggS fake media"
    assert SimCatalog(size=10, seed=1, demo_dir=tmp_path / "missing").demo_count == 0


def test_sliding_window_limiter() -> None:
    now = [0.0]
    limiter = SlidingWindowLimiter(lambda action: 3, lambda: now[0])
    assert [limiter.allow("k", "A") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("k", "B")  # per action
    now[0] = 1.01
    assert limiter.allow("k", "A") and limiter.refused == 1
