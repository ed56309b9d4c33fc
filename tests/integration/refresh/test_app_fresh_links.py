"""The app's own wiring, end to end: a song paused past its link's life resumes and ends.

Real parts: `build_services` (the composition root the GUI runs), its `RefreshScheduler` +
`FreshMedia` plugged into the `KaraokeSession`, the Yinsuda provider over loopback HTTP
against cloudsim (the soak emulator in-process: second-precise links with a short TTL, no
injected faults), and the engine on real libVLC with the dummy audio output.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ktvdesk.config import LoadedSettings, Settings
from ktvdesk.models import Song
from ktvdesk.playback import EndReason, EventKind, PlaybackEvent, PlayerState
from ktvdesk.playback.vlc_backend import probe_vlc
from ktvdesk.services import build_services
from ktvdesk.session import SessionEvent, SessionEventKind
from tests.support.soak_sim import SoakSim, start_soak_sim

_available, _reason = probe_vlc()
pytestmark = [
    pytest.mark.vlc,
    pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}"),
    pytest.mark.timeout(90),
]

URL_TTL_S = 4


@pytest.fixture
def sim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoakSim]:
    sim = start_soak_sim(url_ttl_s=URL_TTL_S, token_ttl_s=30, error_rate=0.0, fault_seed=None)
    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KTVDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    # How a user points the app at the emulator (`--demo-cloud` does the same in-process).
    for name, value in sim.handle.yinsuda_env().items():
        monkeypatch.setenv(name, value)
    try:
        yield sim
    finally:
        sim.stop()


async def test_a_song_paused_past_its_link_ttl_resumes_and_reaches_its_end(
    sim: SoakSim, tmp_path: Path
) -> None:
    services = build_services(
        LoadedSettings(Settings(), tmp_path / "config.toml"),
        provider="yinsuda",
        aout="dummy",
        loop=asyncio.get_running_loop(),
    )
    try:
        session, fresh = services.session, services.fresh_media
        assert session is not None and session.engine is not None and fresh is not None
        engine = session.engine
        playback: list[PlaybackEvent] = []
        errors: list[SessionEvent] = []
        changed = asyncio.Event()

        def on_playback(event: PlaybackEvent) -> None:
            playback.append(event)
            changed.set()

        def on_session(event: SessionEvent) -> None:
            if event.kind is SessionEventKind.ERROR:
                errors.append(event)
            changed.set()

        engine.subscribe(on_playback)
        session.subscribe(on_session)

        async def until(predicate: object) -> None:
            assert callable(predicate)
            while not predicate():
                changed.clear()
                await asyncio.wait_for(changed.wait(), 30)  # guards a hang only

        song_id = sim.songs(1)["yinsuda"][0]
        session.set_clip_mode(True)  # the accompaniment clip: a few seconds of the tone
        session.enqueue(Song(provider="yinsuda", id=song_id, title="fresh links"))
        await until(lambda: session.state is PlayerState.PLAYING)
        now = session.now_playing
        assert now is not None and now.source.expires_at is not None
        # A Yinsuda segment is a file of its own: it plays from its 0 ms (song time SegmentBegin).
        assert now.source.clip is None and now.source.song_offset_ms > 0
        start_ms = 0
        await until(lambda: engine.position_ms > start_ms + 500)

        session.pause()
        await until(lambda: session.state is PlayerState.PAUSED)
        paused_url, expires_at = now.source.url, now.source.expires_at
        assert services.fresh_media is not None
        assert f"media:yinsuda:{song_id}|clip" in services.fresh_media.debug_table()  # the debug view
        # The pause itself is the scenario: it lasts until the link has expired.
        await asyncio.sleep(max(0.0, (expires_at - datetime.now(UTC) + timedelta(seconds=1)).total_seconds()))
        assert datetime.now(UTC) > expires_at

        await session.play()
        await until(lambda: any(e.kind is EventKind.END for e in playback))

        ends = [e.reason for e in playback if e.kind is EventKind.END]
        assert ends == [EndReason.FINISHED]
        assert errors == [] and [e for e in playback if e.kind is EventKind.ERROR] == []
        assert fresh.fresh_resumes == 1  # resumed on a new link, not the dead one
        assert engine.source is not None and engine.source.url != paused_url
        uses = [u for u in sim.handle.access_log.uses() if u.path.endswith(".wav")]
        assert uses and all(u.status in (200, 206) for u in uses)  # no link was refused
    finally:
        await services.aclose()
