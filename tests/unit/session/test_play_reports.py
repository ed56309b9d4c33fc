"""What the session tells others when a song ends: play reports to a provider that wants
them (issue 7), history rows and unavailable flags in the user database (issue 10).

Real libVLC (dummy audio) on generated tones; the in-memory provider of conftest gets a
`report_played` here (the Xiaowei one is tested against cloudsim in
tests/integration/xiaowei/test_session_reports.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from ktvdesk.catalog.base import PlaybackReporter
from ktvdesk.config import Settings
from ktvdesk.errors import RightsError
from ktvdesk.models import PlayMode, Song
from ktvdesk.services import AppServices, VlcStatus
from ktvdesk.session import KaraokeSession
from ktvdesk.storage import PlayOutcome, Unavailable, UserDatabase
from tests.unit.session.conftest import MemoryProvider, SessionLog, needs_vlc

Make = Callable[..., tuple[KaraokeSession, SessionLog]]

pytestmark = needs_vlc


class ReportingProvider(MemoryProvider):
    """Reports are held until the test releases them: a slow report must not hold up songs."""

    def __init__(self, media: dict[str, Path]) -> None:
        super().__init__(media)
        self.reports: list[tuple[str, int, bool, PlayMode]] = []
        self.release = asyncio.Event()

    async def report_played(
        self, song: Song, *, url: str, listened_ms: int, completed: bool, play_mode: PlayMode
    ) -> None:
        await self.release.wait()
        assert url == str(self.media[song.id])
        self.reports.append((song.id, listened_ms, completed, play_mode))


async def test_end_and_skip_are_reported_in_the_background(tones: dict[str, Path]) -> None:
    from ktvdesk.playback.vlc_backend import VlcBackend

    provider = ReportingProvider(dict(tones))
    assert isinstance(provider, PlaybackReporter)
    backend = VlcBackend(aout="dummy")
    session = KaraokeSession({provider.name: provider}, backend)
    log = SessionLog(session)
    try:
        for song_id in ("a", "b", "c"):
            session.enqueue(provider.song(song_id))
        # "a" ends by itself, "b" is skipped once it has played a little: neither waits
        # for its (held) report
        await log.until(lambda: session.now_playing is not None and session.now_playing.song.id == "b")
        await log.until(lambda: session.position_ms() > 300)
        await session.next()
        await log.until(lambda: session.now_playing is not None and session.now_playing.song.id == "c")
        assert provider.reports == []
        session.stop()  # a stop is not a play: no report
        provider.release.set()
        await log.until(lambda: len(provider.reports) == 2)
    finally:
        await session.aclose()
        backend.close()
    (a, a_ms, a_done, mode), (b, b_ms, b_done, _) = sorted(provider.reports)
    assert (a, a_done, b, b_done, mode) == ("a", True, "b", False, PlayMode.ORDER)
    assert a_ms >= 1000 and 300 <= b_ms < 1500  # the tones are 1.5 s long


async def test_history_rows_and_unavailable_flags(
    make_session: Make, provider: MemoryProvider, tmp_path: Path
) -> None:
    """The composition root's hooks (`record_play`, `mark_unplayable`) on a real session."""
    services = AppServices(settings=Settings(), language="en", vlc=VlcStatus(True, "test"))
    db = services.user_db = UserDatabase(tmp_path / "user.sqlite3")
    try:
        session, log = make_session(on_song_finished=services.record_play)
        services.session = session
        session.on_unplayable = services.mark_unplayable
        provider.failures["b"] = RightsError("no rights", code="rights")
        db.favorites.add(provider.song("b"))  # flags apply to the songs the user keeps
        for song_id in ("a", "b", "c"):
            session.enqueue(provider.song(song_id))
        await log.until(lambda: session.now_playing is not None and session.now_playing.song.id == "c")
        await log.until(lambda: session.position_ms() > 300)
        await session.next()  # skip "c"
        await log.until(lambda: session.now_playing is None)
        plays = {play.song.id: play for play in db.history.page().items}
        assert set(plays) == {"a", "c"}  # "b" never played
        assert plays["a"].outcome is PlayOutcome.COMPLETED and plays["a"].listened_ms >= 1000
        assert plays["c"].outcome is PlayOutcome.SKIPPED and 300 <= plays["c"].listened_ms < 1500
        assert plays["a"].vocal_mode == "original"
        [flagged] = [favorite.entry for favorite in db.favorites.entries()]
        assert flagged.unavailable is Unavailable.NO_RIGHTS  # still listed, with the reason
    finally:
        db.close()
