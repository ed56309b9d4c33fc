"""Duets beside a real KaraokeSession (libVLC, dummy audio output): with two microphones
each player is scored against its own part and both parts go to the history, with one
only player 1 is, and the controller says so. The microphones are `FileMicrophone`s
(each singer's WAV in real time from the song's position); the PulseAudio/PipeWire path of
the same pipeline is in test_live_microphone.py."""

from __future__ import annotations

from pathlib import Path

from ktvdesk.scoring import DUET_ONE_MIC, FinalScore, ScoringState, SingingController
from ktvdesk.singing.audio import write_wav
from ktvdesk.singing.microphone import FileMicrophone
from ktvdesk.singing.pipeline import SungFrame
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.storage import UserDatabase
from tests.integration.singing.conftest import Karaoke, keeper
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


def _controller(
    karaoke: Karaoke, tmp_path: Path, db: UserDatabase, *, two_microphones: bool
) -> SingingController:
    karaoke.provider.notes = DUET
    melody = karaoke.melody
    assert melody.players == (1, 2)
    one, two = tmp_path / "p1.wav", tmp_path / "p2.wav"
    write_wav(one, voice(melody.for_player(1)))  # player 1 on pitch
    write_wav(two, voice(melody.for_player(2), semitones=3.0, seed=2))  # player 2 3 semitones off
    session = karaoke.session
    # Decoded before the song starts (decoding, PyAV's first import above all, takes seconds
    # under load): the singers are ready when it begins, and the event loop is not held up.
    first, second = (FileMicrophone(wav, start_at_ms=session.now_ms) for wav in (one, two))
    return SingingController(
        session,
        ReferenceFinder(),
        lambda: first,
        second_microphone=(lambda: second) if two_microphones else None,
        record_score=keeper(db),
        enabled=True,
    )


async def test_two_microphones_score_and_keep_each_part(karaoke: Karaoke, tmp_path: Path) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    controller = _controller(karaoke, tmp_path, db, two_microphones=True)
    try:
        events = await karaoke.sing(controller)
        final = next(e for e in events if isinstance(e, FinalScore))
        first, second = final.duet
        assert (first.player, second.player) == (1, 2)
        assert first.result.score >= 90, first.result.score  # player 1, on pitch
        assert second.result.score <= 30, second.result.score  # player 2, 3 semitones off its part
        assert final.result is first.result and first.best_before is None
        players = {e.player for e in events if isinstance(e, SungFrame) and e.frame.pitch is not None}
        assert players == {1, 2}  # two traces in the lane
        assert not any(isinstance(e, ScoringState) and e.notice for e in events)
        kept = [db.scores.best_for_song("mem:1", part=part) for part in (1, 2)]
        assert [(k.part, k.score) for k in kept if k] == [(1, first.result.score), (2, second.result.score)]
    finally:
        controller.close()
        db.close()


async def test_one_microphone_scores_player_one_and_says_so(karaoke: Karaoke, tmp_path: Path) -> None:
    db = UserDatabase(tmp_path / "user.sqlite3")
    controller = _controller(karaoke, tmp_path, db, two_microphones=False)
    try:
        events = await karaoke.sing(controller)
        final = next(e for e in events if isinstance(e, FinalScore))
        assert final.duet == ()
        # Player 2's part (not sung on this microphone) costs player 1 nothing.
        assert final.result.score >= 90, final.result.score
        assert any(isinstance(e, ScoringState) and e.notice == DUET_ONE_MIC for e in events)
        assert {e.player for e in events if isinstance(e, SungFrame)} == {1}
        kept = db.scores.best_for_song("mem:1")
        assert kept is not None and kept.part == 1 and db.scores.best_for_song("mem:1", part=2) is None
    finally:
        controller.close()
        db.close()
