"""Scoring beside a real KaraokeSession (libVLC, dummy audio output) and its clock.

The microphone is a `FileMicrophone`: the singer WAV delivered in real time from the
song's current position, as a singer joining in would; the PulseAudio/PipeWire path of
the same pipeline is tested in test_live_microphone.py.
"""

from __future__ import annotations

from pathlib import Path

from ktvdesk.scoring import FinalScore, ScoringState, SingingController
from ktvdesk.singing.audio import write_wav
from ktvdesk.singing.microphone import FileMicrophone
from ktvdesk.singing.pipeline import LineDone, MicLost, SungFrame
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.storage import UserDatabase
from ktvdesk.storage.scores import SOLO
from tests.integration.singing.conftest import Karaoke, keeper
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


def _controller(karaoke: Karaoke, tmp_path: Path, db: UserDatabase, **mic: object) -> SingingController:
    karaoke.provider.notes = SONG
    wav = tmp_path / "singer.wav"
    write_wav(wav, voice(karaoke.melody))
    session = karaoke.session
    singer = FileMicrophone(wav, start_at_ms=session.now_ms, **mic)  # type: ignore[arg-type]
    return SingingController(
        session,
        ReferenceFinder(),
        lambda: singer,  # decoded before the song starts: the singer is ready when it begins
        record_score=keeper(db),
        enabled=True,
    )


async def test_a_sung_song_gets_line_ratings_a_final_score_and_a_best(
    karaoke: Karaoke, tmp_path: Path
) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    controller = _controller(karaoke, tmp_path, db)
    try:
        events = await karaoke.sing(controller)
        final = next(e for e in events if isinstance(e, FinalScore))
        assert final.reference == "notes" and final.duet == ()
        assert final.result.score >= 70, final.result  # the dummy output clock drifts a little
        assert [e.result.line for e in events if isinstance(e, LineDone)][:1] == [0]
        assert any(isinstance(e, SungFrame) and e.frame.credit > 0 for e in events)
        best = db.scores.best_for_song("mem:1")
        assert best is not None and best.score == final.result.score and best.part == SOLO
    finally:
        controller.close()
        db.close()


async def test_unplugged_microphone_pauses_scoring_and_the_song_plays_on(
    karaoke: Karaoke, tmp_path: Path
) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    controller = _controller(karaoke, tmp_path, db, stop_after_ms=2900)
    try:
        events = await karaoke.sing(controller)  # (it asserts the song still plays past 4.3 s)
        lost = [e for e in events if isinstance(e, MicLost)]
        assert lost and "microphone" in lost[0].message
        final = next(e for e in events if isinstance(e, FinalScore))
        assert final.result.score < 85  # the second line was not heard
    finally:
        controller.close()
        db.close()


async def test_no_microphone_greys_the_switch_with_the_reason(karaoke: Karaoke) -> None:
    states: list[ScoringState] = []
    controller = SingingController(
        karaoke.session,
        ReferenceFinder(),
        lambda: FileMicrophone("unused"),
        no_microphone_reason="no capture device found",
    )
    controller.subscribe(lambda e: states.append(e) if isinstance(e, ScoringState) else None)
    assert controller.set_enabled(True) is False
    assert states[-1] == ScoringState(available=False, enabled=False, reason="no capture device found")
    controller.close()
