"""Recovery from expired links and dropped connections, over a loopback HTTP server.

The server throttles its bodies so libVLC cannot prefetch the whole song; a cut
mid-body therefore really starves the player. The song must reach its end anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ktvdesk.errors import MediaExpiredError
from ktvdesk.models import MediaSource
from ktvdesk.playback import EndReason, EventKind, RecoveryPolicy

SONG_MS = 6000


def resolver_for(server: Any, tokens: Iterator[str], calls: list[str]) -> Any:
    async def resolve(source: MediaSource) -> MediaSource:
        token = next(tokens)
        calls.append(token)
        return source.model_copy(update={"url": server.url(token, "long.wav")})

    return resolve


@pytest.fixture
def song(server: Any, media: Any) -> bytes:
    body = media.long.read_bytes()
    server.state.files["long.wav"] = body
    return body


def resumed_ranges(server: Any, token: str) -> list[int]:
    starts = []
    for requested, header_range, status in server.state.requests:
        if requested == token and status in (200, 206):
            starts.append(int(header_range[6:].split("-")[0]) if header_range else 0)
    return starts


async def test_dropped_connection_that_libvlc_reconnects_by_itself(
    harness: Any, server: Any, song: bytes
) -> None:
    # libVLC's HTTP access re-requests the missing range itself when a link still works.
    server.state.expire_on_cut = False
    server.state.cut_after["first"] = int(len(song) * 0.6)
    calls: list[str] = []
    h = harness(render=False, resolver=resolver_for(server, iter(["second"]), calls))
    h.engine.load(MediaSource(url=server.url("first", "long.wav"), duration_ms=SONG_MS))
    end = await h.log.end(timeout_s=60)
    assert end.reason is EndReason.FINISHED
    assert end.position_ms >= SONG_MS - 2500
    assert calls == []
    assert max(resumed_ranges(server, "first")) > len(song) * 0.5


async def test_dropped_connection_resumes_and_reaches_the_end(harness: Any, server: Any, song: bytes) -> None:
    # The connection drops and libVLC's own reconnect fails too (network still down).
    server.state.expire_on_cut = False
    server.state.cut_after["first"] = int(len(song) * 0.6)
    server.state.reset_after_cut["first"] = 5
    calls: list[str] = []
    h = harness(resolver=resolver_for(server, iter(["second", "third", "fourth"]), calls))
    h.engine.load(MediaSource(url=server.url("first", "long.wav"), duration_ms=SONG_MS))
    end = await h.log.end(timeout_s=60)
    assert end.reason is EndReason.FINISHED
    assert end.position_ms >= SONG_MS - 2500
    assert calls == ["second"]
    [recovered] = h.log.of(EventKind.RECOVERED)
    assert recovered.attempt == 1
    first_error = h.log.of(EventKind.ERROR)[0]
    assert first_error.will_retry
    # Resumed where it stopped, not from the top: the first time published after the
    # recovery is past the point of failure.
    assert (first_error.position_ms or 0) > 300
    assert (recovered.position_ms or 0) > (first_error.position_ms or 0)
    assert any(token == "second" for token, _range, _status in server.state.requests)
    rendered = h.render()
    assert rendered.peak_hz(rendered.seconds - 0.6, rendered.seconds - 0.1) == pytest.approx(440, rel=0.01)


async def test_expired_link_403_gets_a_fresh_link_with_backoff(
    harness: Any, server: Any, song: bytes
) -> None:
    # The stream is cut and the link expires at the same moment; the first fresh link
    # the resolver hands out is already stale too (403 at open), the second works.
    server.state.cut_after["first"] = int(len(song) * 0.6)
    server.state.expired.add("stale")
    calls: list[str] = []
    h = harness(render=False, resolver=resolver_for(server, iter(["stale", "fresh", "spare"]), calls))
    h.engine.load(MediaSource(url=server.url("first", "long.wav"), duration_ms=SONG_MS))
    end = await h.log.end(timeout_s=60)
    assert end.reason is EndReason.FINISHED
    assert end.position_ms >= SONG_MS - 2500
    assert calls == ["stale", "fresh"]
    assert any(t == "stale" and s == 403 for t, _r, s in server.state.requests)
    assert any(t == "first" and s == 403 for t, _r, s in server.state.requests)  # libVLC's own retry
    [recovered] = h.log.of(EventKind.RECOVERED)
    assert recovered.attempt == 2
    errors = h.log.of(EventKind.ERROR)
    # libVLC reports the refused reconnect as a normal end, early: caught as early_end.
    assert [e.error.code for e in errors if e.error] == ["early_end", "vlc_error"]
    assert [e.will_retry for e in errors] == [True, True]


async def test_stalled_stream_is_detected_and_resumed(harness: Any, server: Any, song: bytes) -> None:
    server.state.hang_after["first"] = int(len(song) * 0.6)
    calls: list[str] = []
    h = harness(
        render=False,
        resolver=resolver_for(server, iter(["second", "third"]), calls),
        recovery=RecoveryPolicy(backoff_ms=(50,), stall_timeout_ms=2000),
    )
    h.engine.load(MediaSource(url=server.url("first", "long.wav"), duration_ms=SONG_MS))
    end = await h.log.end(timeout_s=60)
    assert end.reason is EndReason.FINISHED
    assert calls == ["second"]
    assert h.log.of(EventKind.ERROR)[0].error.code in ("stall", "early_end")
    assert len(h.log.of(EventKind.RECOVERED)) == 1


async def test_gives_up_after_bounded_retries_and_moves_on(
    harness: Any, server: Any, song: bytes, media: Any
) -> None:
    server.state.expired.update({"first", "x1", "x2"})
    calls: list[str] = []
    following = [MediaSource(url=str(media.plain))]

    async def next_source(_reason: EndReason) -> MediaSource | None:
        return following.pop() if following else None

    async def resolve(source: MediaSource) -> MediaSource:
        calls.append("call")
        if len(calls) == 3:
            raise MediaExpiredError("the provider says the song is gone")
        return source.model_copy(update={"url": server.url(f"x{len(calls)}", "long.wav")})

    h = harness(
        render=False,
        resolver=resolve,
        next_source=next_source,
        recovery=RecoveryPolicy(max_attempts=3, backoff_ms=(20, 40, 80)),
    )
    h.engine.load(MediaSource(url=server.url("first", "long.wav"), duration_ms=SONG_MS))
    failed = await h.log.end(timeout_s=60)
    assert failed.reason is EndReason.FAILED
    assert len(calls) == 3
    final = h.log.of(EventKind.ERROR)[-1]
    assert not final.will_retry
    assert final.error is not None and final.error.user_message.zh
    finished = await h.log.end(after=h.log.events.index(failed) + 1)
    assert finished.reason is EndReason.FINISHED  # the next song played
    assert h.engine.source is not None and h.engine.source.url == str(media.plain)
