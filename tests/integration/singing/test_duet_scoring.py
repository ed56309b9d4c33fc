"""Duets beside a real KaraokeSession (libVLC, dummy audio output): with two microphones
each player is scored against its own part, with one only player 1 is, and the controller
says so. The microphones are `FileMicrophone`s (each singer's WAV in real time from the
song's position); the PulseAudio path of the same pipeline is in test_live_microphone.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import MediaSource, Song
from ktvdesk.playback.vlc_backend import VlcBackend
from ktvdesk.scoring import DUET_ONE_MIC, ControllerEvent, FinalScore, ScoringState, SingingController
from ktvdesk.session import KaraokeSession
from ktvdesk.singing.audio import write_wav
from ktvdesk.singing.microphone import FileMicrophone
from ktvdesk.singing.pipeline import SungFrame
from ktvdesk.singing.reference import ReferenceFinder
from tests.unit.singing.voices import voice

DUET = """#TITLE:Two Voices
#ARTIST:ktvdesk tests
#MP3:x.wav
#BPM:120
#GAP:1500
P1
: 0 4 0 la
: 4 4 4 la
- 10
P2
: 12 4 7 lu
: 16 4 5 lu
E
"""


class DuetSong:
    name = "mem"

    def __init__(self, media: Path) -> None:
        self.media = media

    async def resolve_media(self, song: Song, request: object = None) -> MediaSource:
        return MediaSource(url=str(self.media), duration_ms=6000)

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        return parse_lyrics(DUET.encode())

    async def aclose(self) -> None:
        pass


@pytest.fixture
async def session(tmp_path: Path) -> AsyncIterator[KaraokeSession]:
    backing = tmp_path / "backing.wav"
    t = np.arange(6 * 16000) / 16000
    write_wav(backing, (0.05 * np.sin(2 * np.pi * 110 * t)).astype(np.float32))
    backend = VlcBackend(aout="dummy")
    made = KaraokeSession({"mem": DuetSong(backing)}, backend)  # type: ignore[dict-item]
    yield made
    await made.aclose()
    backend.close()


async def _sing(
    session: KaraokeSession, tmp_path: Path, *, two_microphones: bool
) -> tuple[list[ControllerEvent], SingingController]:
    melody = parse_lyrics(DUET.encode()).melody
    assert melody is not None and melody.players == (1, 2)
    one, two = tmp_path / "p1.wav", tmp_path / "p2.wav"
    write_wav(one, voice(melody.for_player(1)))  # player 1 on pitch
    write_wav(two, voice(melody.for_player(2), semitones=3.0, seed=2))  # player 2 3 semitones off
    controller = SingingController(
        session,
        ReferenceFinder(),
        lambda: FileMicrophone(one, start_at_ms=session.now_ms),
        second_microphone=(lambda: FileMicrophone(two, start_at_ms=session.now_ms))
        if two_microphones
        else None,
        enabled=True,
    )
    events: list[ControllerEvent] = []
    changed = asyncio.Event()

    def listen(event: ControllerEvent) -> None:
        events.append(event)
        changed.set()

    async def until(done: object) -> None:
        async def wait() -> None:
            while not done():  # type: ignore[operator]
                changed.clear()
                await changed.wait()

        await asyncio.wait_for(wait(), 30)

    controller.subscribe(listen)
    session.subscribe(lambda _: changed.set())
    session.enqueue(Song(provider="mem", id="1", title="Two Voices", duration_ms=6000))
    await session.play()
    await until(lambda: session.position_ms() > 4300)  # both parts end by 4.0 s
    session.stop()
    await until(lambda: any(isinstance(e, FinalScore) for e in events))
    return events, controller


async def test_two_microphones_score_each_part(session: KaraokeSession, tmp_path: Path) -> None:
    events, controller = await _sing(session, tmp_path, two_microphones=True)
    try:
        final = next(e for e in events if isinstance(e, FinalScore))
        assert len(final.duet) == 2
        first, second = final.duet
        # Player 1 against its own part: 100 on a quiet machine; a one-second part loses much to
        # a hiccup of the dummy output's clock under load, hence the margin.
        assert first.score >= 60, first.score
        assert second.score <= 30, second.score  # player 2, 3 semitones off its part
        assert final.result is first
        players = {e.player for e in events if isinstance(e, SungFrame) and e.frame.pitch is not None}
        assert players == {1, 2}  # two traces in the lane
        assert not any(isinstance(e, ScoringState) and e.notice for e in events)
    finally:
        controller.close()


async def test_one_microphone_scores_player_one_and_says_so(session: KaraokeSession, tmp_path: Path) -> None:
    events, controller = await _sing(session, tmp_path, two_microphones=False)
    try:
        final = next(e for e in events if isinstance(e, FinalScore))
        assert final.duet == ()
        # Player 2's part (not sung on this microphone) costs player 1 nothing.
        assert final.result.score >= 60, final.result.score
        assert any(isinstance(e, ScoringState) and e.notice == DUET_ONE_MIC for e in events)
        assert {e.player for e in events if isinstance(e, SungFrame)} == {1}
    finally:
        controller.close()
