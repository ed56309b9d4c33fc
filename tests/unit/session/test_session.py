"""KaraokeSession: queue edits, transport, audio settings and error handling, no Qt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ktvdesk.errors import LyricsError, NetworkError, RightsError, UserMessage
from ktvdesk.playback import EndReason, PlayerState, VocalMode
from ktvdesk.session import DEFAULT_SONG_MS, KaraokeSession
from tests.unit.session.conftest import MemoryProvider, SessionLog, needs_vlc

Make = Callable[..., tuple[KaraokeSession, SessionLog]]
NO_RIGHTS = UserMessage("没有版权。", "No rights for this song.")

pytestmark = needs_vlc


def titles(session: KaraokeSession) -> list[str]:
    return [entry.item.id for entry in session.upcoming]


async def test_queue_edits_address_entries(make_session: Make, provider: MemoryProvider) -> None:
    session, log = make_session(autoplay=False)
    a = session.enqueue(provider.song("a"))
    b = session.enqueue(provider.song("b"))
    c = session.enqueue_next(provider.song("c"))
    assert titles(session) == ["c", "a", "b"]
    session.move(c, 2)
    assert titles(session) == ["a", "b", "c"]
    session.move_to_top(b)
    assert titles(session) == ["b", "a", "c"]
    assert session.remove(a).id == "a"
    assert titles(session) == ["b", "c"]
    session.clear()
    assert titles(session) == [] and session.now_playing is None
    assert sum(1 for e in log.events if e.kind == "queue") == 7


async def test_autoplay_plays_through_the_queue_and_records_history(
    make_session: Make, provider: MemoryProvider
) -> None:
    finished: list[tuple[str, EndReason]] = []
    session, log = make_session(
        on_song_finished=lambda song, reason, _mode: finished.append((song.id, reason))
    )
    session.enqueue(provider.song("a"))
    session.enqueue(provider.song("b"))  # while "a" is starting: must not skip it
    await log.until(lambda: session.now_playing is not None)
    assert session.now_playing is not None and session.now_playing.song.id == "a"
    await log.until(lambda: session.lyrics is not None)
    assert session.lyrics is not None and session.lyrics.lines[0].text.startswith("one")
    await log.until(lambda: session.now_playing is not None and session.now_playing.song.id == "b")
    await log.until(lambda: session.now_playing is None)
    assert finished == [("a", EndReason.FINISHED), ("b", EndReason.FINISHED)]
    assert [h.item.id for h in session.queue.history] == ["a", "b"]
    assert log.errors() == []


async def test_next_restart_pause_and_clock(make_session: Make, provider: MemoryProvider) -> None:
    session, log = make_session(autoplay=False)
    session.enqueue(provider.song("a", duration_ms=60_000))
    session.enqueue(provider.song("b"))
    await session.play()
    await log.until(lambda: session.state is PlayerState.PLAYING)
    await log.until(lambda: session.now_ms() > 300)
    session.pause()
    await log.until(lambda: session.state is PlayerState.PAUSED)
    paused_at = session.now_ms()
    await session.toggle_play()
    await log.until(lambda: session.now_ms() > paused_at + 100)
    session.restart()
    assert session.now_ms() < paused_at
    await session.next()
    assert session.now_playing is not None and session.now_playing.song.id == "b"
    assert session.queue.history[-1].completed is False  # 切歌 is not a completed song


async def test_estimated_start_times(make_session: Make, provider: MemoryProvider) -> None:
    session, _ = make_session(autoplay=False)
    first = session.enqueue(provider.song("a", duration_ms=100_000))
    second = session.enqueue(provider.song("b", duration_ms=None))  # type: ignore[arg-type]
    third = session.enqueue(provider.song("c"))
    assert session.start_estimates_ms() == {first: 0, second: 100_000, third: 100_000 + DEFAULT_SONG_MS}


async def test_vocal_key_tempo_volume_offset(make_session: Make, provider: MemoryProvider) -> None:
    session, log = make_session(autoplay=False, lyric_offset_ms=120)
    assert session.lyric_offset_ms == 120 and session.engine is not None
    assert session.engine.clock.offset_ms == 120
    session.enqueue(provider.song("a", duration_ms=60_000))
    await session.play()
    await log.until(lambda: session.state is PlayerState.PLAYING)
    assert session.toggle_vocal() and session.vocal is VocalMode.ACCOMPANIMENT
    assert session.shift_key(+2) and session.key == 2
    assert not session.set_key(7) and session.key == 2
    assert log.errors()[-1].message("zh").startswith("升降调")
    assert session.shift_tempo(+1) and session.tempo == 1.05
    session.set_volume(150)
    assert session.volume == 100
    assert not session.set_lyric_offset_ms(9000) and session.lyric_offset_ms == 120
    session.set_clip_mode(True)
    session.enqueue(provider.song("b"))
    await session.next()
    # Per song: the key and tempo start as recorded; the vocal preference is kept.
    assert session.key == 0 and session.tempo == 1.0
    await log.until(lambda: session.vocal is VocalMode.ACCOMPANIMENT)
    assert provider.resolved[-1] == ("b", True)
    now = session.now_playing
    assert now is not None and now.source.clip is not None and now.duration_ms == 900


async def test_failing_song_is_skipped_and_the_queue_kept(
    make_session: Make, provider: MemoryProvider
) -> None:
    provider.failures["b"] = RightsError("no rights", user_message=NO_RIGHTS, code="Status2")
    session, log = make_session(autoplay=False)
    session.enqueue(provider.song("b"))
    session.enqueue(provider.song("a", duration_ms=60_000))
    session.enqueue(provider.song("c"))
    await session.play()
    assert session.now_playing is not None and session.now_playing.song.id == "a"
    assert titles(session) == ["c"]
    assert [e.message("en") for e in log.errors()] == ["No rights for this song."]


async def test_provider_down_reports_and_stays_idle(make_session: Make, provider: MemoryProvider) -> None:
    provider.failures["a"] = NetworkError(
        "connection refused", user_message=UserMessage("网络不通。", "The network is down.")
    )
    session, log = make_session(autoplay=False)
    session.enqueue(provider.song("a"))
    await session.play()
    assert session.now_playing is None
    assert [e.message("zh") for e in log.errors()] == ["网络不通。"]


async def test_lyrics_failure_still_plays(make_session: Make, provider: MemoryProvider) -> None:
    provider.lyrics_failures["a"] = LyricsError(
        "bad lrc", user_message=UserMessage("歌词文件已损坏。", "The lyric file is damaged.")
    )
    session, log = make_session(autoplay=False)
    session.enqueue(provider.song("a", duration_ms=60_000))
    await session.play()
    await log.until(lambda: bool(log.errors()))
    assert session.now_playing is not None and session.lyrics is None
    assert log.errors()[0].message("en") == "The lyric file is damaged."


async def test_unknown_provider_and_empty_queue_have_messages(
    make_session: Make, provider: MemoryProvider
) -> None:
    session, log = make_session(autoplay=False)
    await session.play()
    session.enqueue(provider.song("a").model_copy(update={"provider": "zego"}))
    await session.play()
    assert [e.message("en") for e in log.errors()] == [
        "The queue is empty. Add a song first.",
        "The catalog this song comes from is not enabled.",
    ]


async def test_preview_plays_a_clip_outside_the_queue(make_session: Make, provider: MemoryProvider) -> None:
    session, log = make_session(autoplay=False)
    session.enqueue(provider.song("b"))
    await session.preview(provider.song("a"))
    now = session.now_playing
    assert now is not None and now.preview and now.source.clip is not None
    assert titles(session) == ["b"]
    await log.until(lambda: session.now_playing is None)
    assert titles(session) == ["b"]  # the preview's end does not start the queue


async def test_injected_resolver_is_the_seam(make_session: Make, provider: MemoryProvider) -> None:
    calls: list[str] = []

    async def resolve(song, request):  # type: ignore[no-untyped-def]
        calls.append(song.id)
        return await provider.resolve_media(song, request)

    session, _ = make_session(autoplay=False, resolve=resolve)
    session.enqueue(provider.song("a", duration_ms=60_000))
    await session.play()
    assert calls == ["a"]

    later: list[str] = []

    async def fresh(song, request):  # type: ignore[no-untyped-def]
        later.append(song.id)
        return await provider.resolve_media(song, request)

    session.use_resolver(fresh)  # swapped in after construction (what a scheduler does)
    session.enqueue(provider.song("b"))
    await session.next()
    assert later == ["b"] and calls == ["a"]


async def test_without_a_player_every_transport_call_explains(provider: MemoryProvider) -> None:
    session = KaraokeSession({provider.name: provider}, None)
    log = SessionLog(session)
    session.enqueue(provider.song("a"))
    await session.play()
    assert session.now_playing is None and session.now_ms() == 0
    assert log.errors()[0].message("en") == "Playback is not available: VLC was not found."
    await session.aclose()


async def test_unplayable_media_is_reported_once_and_the_next_song_plays(
    make_session: Make, provider: MemoryProvider, tmp_path: Path
) -> None:
    provider.media["x"] = tmp_path / "gone" / "missing.wav"  # the file vanished after indexing
    session, log = make_session(autoplay=False)
    session.enqueue(provider.song("x"))
    session.enqueue(provider.song("a", duration_ms=60_000))
    await session.play()
    await log.until(lambda: session.now_playing is not None and session.now_playing.song.id == "a")
    await log.until(lambda: bool(log.errors()))
    assert [e.message("en") for e in log.errors()] == ["The song stopped playing; moved on to the next one."]
    assert session.queue.history[-1].item.id == "x" and not session.queue.history[-1].completed
