"""The one play-recording path feeds the library's play count, and search ranks by it:
the app's real services on the bundled demo library, real libVLC (dummy audio output),
real SQLite. Nothing calls `record_play` by hand: the song plays to its end."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ktvdesk.config import LoadedSettings, Settings
from ktvdesk.playback import PlayerState
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.services import AppServices, build_services
from ktvdesk.session import SessionEvent
from ktvdesk.storage import PlayOutcome

_available, _reason = probe_vlc()
needs_vlc = pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return tmp_path / "data"


async def titles(services: AppServices, query: str) -> list[str]:
    assert services.library is not None
    return [song.title for song in (await services.library.search(query)).items]


async def until(services: AppServices, predicate: object) -> None:
    """Wait for the session's events until `predicate()` holds (no guessed delays)."""
    assert services.session is not None and callable(predicate)
    changed = asyncio.Event()

    def poke(_event: SessionEvent) -> None:
        changed.set()

    unsubscribe = services.session.subscribe(poke)
    try:
        async with asyncio.timeout(30):
            while not predicate():
                changed.clear()
                await changed.wait()
    finally:
        unsubscribe()


@needs_vlc
async def test_a_song_sung_to_its_end_ranks_higher_in_search(tmp_path: Path) -> None:
    services = build_services(LoadedSettings(Settings(), tmp_path / "config.toml"), aout="dummy")
    session = services.session
    try:
        assert session is not None and services.user_data is not None and services.library is not None
        await services.start()  # indexes the demo library
        # "an": two songs in one tier, ties broken by play count, then by title.
        assert await titles(services, "an") == ["Auld Lang Syne", "Twinkle Twinkle Little Star"]
        [twinkle] = (await services.library.search("twinkle")).items
        session.enqueue(twinkle)
        await until(services, lambda: session.state is PlayerState.PLAYING)
        end_ms = session.duration_ms()
        assert end_ms is not None
        session.seek(end_ms - 1500)  # sing the last bars
        await until(services, lambda: session.now_playing is None)
        await services.user_data.flush()  # the play was written on the user-data thread
        assert await titles(services, "an") == ["Twinkle Twinkle Little Star", "Auld Lang Syne"]
        [play] = (await services.user_data.run(lambda db: db.history.page())).items
        assert play.song.key == twinkle.key and play.outcome is PlayOutcome.COMPLETED
    finally:
        await services.aclose()


@needs_vlc
async def test_a_skipped_song_is_history_but_not_popularity(tmp_path: Path) -> None:
    services = build_services(LoadedSettings(Settings(), tmp_path / "config.toml"), aout="dummy")
    session = services.session
    try:
        assert session is not None and services.user_data is not None and services.library is not None
        await services.start()
        [twinkle] = (await services.library.search("twinkle")).items
        session.enqueue(twinkle)
        await until(services, lambda: session.state is PlayerState.PLAYING)
        await session.next()  # 切歌 after a moment: a skip, not a song sung
        await until(services, lambda: session.now_playing is None)
        await services.user_data.flush()
        [play] = (await services.user_data.run(lambda db: db.history.page())).items
        assert play.outcome is PlayOutcome.SKIPPED
        assert await titles(services, "an") == ["Auld Lang Syne", "Twinkle Twinkle Little Star"]
    finally:
        await services.aclose()
