"""Scoring beside a real KaraokeSession (libVLC, dummy audio output) and its clock.

The microphone is a `FileMicrophone`: the singer WAV delivered in real time from the
song's current position, as a singer joining in would; the PulseAudio path of the same
pipeline is tested in test_live_microphone.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import numpy as np
import pytest

from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import MediaSource, Song
from ktvdesk.playback.vlc_backend import VlcBackend
from ktvdesk.scoring import ControllerEvent, FinalScore, ScoringState, SingingController
from ktvdesk.session import KaraokeSession
from ktvdesk.singing.audio import write_wav
from ktvdesk.singing.microphone import FileMicrophone
from ktvdesk.singing.pipeline import LineDone, MicLost, SungFrame
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.singing.scorer import ScoreResult
from ktvdesk.storage import UserDatabase
from tests.unit.singing.voices import voice

SONG = """#TITLE:Four Steps
#ARTIST:ktvdesk tests
#MP3:x.wav
#BPM:120
#GAP:1500
: 0 4 0 one
: 4 4 4 two
- 10
: 12 4 7 three
* 16 4 5 four
E
"""


class OneSong:
    name = "mem"

    def __init__(self, media: Path) -> None:
        self.media = media

    async def resolve_media(self, song: Song, request: object = None) -> MediaSource:
        return MediaSource(url=str(self.media), duration_ms=6000)

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        return parse_lyrics(SONG.encode())

    async def aclose(self) -> None:
        pass


@pytest.fixture
async def session(tmp_path: Path) -> AsyncIterator[KaraokeSession]:
    backing = tmp_path / "backing.wav"
    t = np.arange(6 * 16000) / 16000
    write_wav(backing, (0.05 * np.sin(2 * np.pi * 110 * t)).astype(np.float32))
    backend = VlcBackend(aout="dummy")
    made = KaraokeSession({"mem": OneSong(backing)}, backend)  # type: ignore[dict-item]
    yield made
    await made.aclose()
    backend.close()


async def _until(events: list[ControllerEvent], done: Callable[[], bool], changed: asyncio.Event) -> None:
    async def wait() -> None:
        while not done():
            changed.clear()
            await changed.wait()

    await asyncio.wait_for(wait(), 30)


async def _sing(
    session: KaraokeSession, tmp_path: Path, **mic: object
) -> tuple[list[ControllerEvent], SingingController, UserDatabase]:
    melody = parse_lyrics(SONG.encode()).melody
    assert melody is not None
    wav = tmp_path / "singer.wav"
    write_wav(wav, voice(melody))
    db = UserDatabase(tmp_path / "user.sqlite3")

    def record(song: Song, result: ScoreResult, difficulty: str, reference: str) -> float | None:
        best = db.scores.best_for_song(song)
        db.scores.record(
            song, score=result.score, grade=result.grade, difficulty=difficulty, reference=reference
        )
        return None if best is None else best.score

    controller = SingingController(
        session,
        ReferenceFinder(),
        lambda: FileMicrophone(wav, start_at_ms=session.now_ms, **mic),  # type: ignore[arg-type]
        record_score=record,
        enabled=True,
    )
    events: list[ControllerEvent] = []
    changed = asyncio.Event()

    def listen(event: ControllerEvent) -> None:
        events.append(event)
        changed.set()

    controller.subscribe(listen)
    session.subscribe(lambda _: changed.set())  # positions arrive ~4 per second
    session.enqueue(Song(provider="mem", id="1", title="Four Steps", duration_ms=6000))
    await session.play()
    # Both lines end by 4.0 s; past 4.3 s the song is still playing, whatever the microphone did.
    await _until(events, lambda: session.position_ms() > 4300, changed)
    assert session.is_playing
    session.stop()
    await _until(events, lambda: any(isinstance(e, FinalScore) for e in events), changed)
    return events, controller, db


async def test_a_sung_song_gets_line_ratings_a_final_score_and_a_best(
    session: KaraokeSession, tmp_path: Path
) -> None:
    events, controller, db = await _sing(session, tmp_path)
    try:
        final = next(e for e in events if isinstance(e, FinalScore))
        assert final.reference == "notes"
        assert final.result.score >= 70, final.result  # the dummy output clock drifts a little
        assert [e.result.line for e in events if isinstance(e, LineDone)][:1] == [0]
        assert any(isinstance(e, SungFrame) and e.frame.credit > 0 for e in events)
        best = db.scores.best_for_song("mem:1")
        assert best is not None and best.score == final.result.score
    finally:
        controller.close()
        db.close()


async def test_unplugged_microphone_pauses_scoring_and_the_song_plays_on(
    session: KaraokeSession, tmp_path: Path
) -> None:
    events, controller, db = await _sing(session, tmp_path, stop_after_ms=2900)
    try:
        lost = [e for e in events if isinstance(e, MicLost)]
        assert lost and "microphone" in lost[0].message
        final = next(e for e in events if isinstance(e, FinalScore))
        assert final.result.score < 85  # the second line was not heard
    finally:
        controller.close()
        db.close()


async def test_no_microphone_greys_the_switch_with_the_reason(session: KaraokeSession) -> None:
    states: list[ScoringState] = []
    controller = SingingController(
        session,
        ReferenceFinder(),
        lambda: FileMicrophone("unused"),
        no_microphone_reason="no capture device found",
    )
    controller.subscribe(lambda e: states.append(e) if isinstance(e, ScoringState) else None)
    assert controller.set_enabled(True) is False
    assert states[-1] == ScoringState(available=False, enabled=False, reason="no capture device found")
    controller.close()
