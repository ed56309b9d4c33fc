"""The video-gap follower's decisions, on a scripted player and a hand-moved clock (the
real libVLC behaviour is proved in tests/integration/formats/test_video_gap.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ktvdesk.playback.video_gap import (
    DEAD_BAND_MS,
    MAX_SLEW,
    SEEK_BEYOND_MS,
    SETTLE_MS,
    PictureFollower,
    video_time_ms,
)


@dataclass
class ScriptedVideo:
    calls: list[tuple[str, float]] = field(default_factory=list)
    playing: bool = False

    def is_playing(self) -> bool:
        return self.playing

    def play(self) -> int:
        self.playing = True
        return 0

    def stop(self) -> None:
        self.playing = False
        self.calls.append(("stop", 0))

    def set_pause(self, do_pause: int) -> None:
        self.playing = not do_pause
        self.calls.append(("pause", do_pause))

    def set_time(self, ms: int) -> int:
        self.calls.append(("seek", ms))
        return 0

    def set_rate(self, rate: float) -> int:
        self.calls.append(("rate", rate))
        return 0


class Rig:
    def __init__(self, gap_ms: int) -> None:
        self.now = 1000.0
        self.video = ScriptedVideo()
        self.starts: list[int] = []
        self.blanks = 0
        self.follower = PictureFollower(
            self.video, gap_ms, self._start, blank=self._blank, time_fn=lambda: self.now
        )

    def _start(self, video_ms: int) -> None:
        self.starts.append(video_ms)
        self.video.play()

    def _blank(self) -> None:
        self.blanks += 1

    def settle(self) -> None:
        self.now += SETTLE_MS + 1

    def last(self, kind: str) -> float | None:
        found = [value for name, value in self.video.calls if name == kind]
        return found[-1] if found else None


def test_the_sign_rule_is_the_players_video_equals_audio_plus_gap() -> None:
    assert video_time_ms(10_000, 1500) == 11_500  # positive: the video's start is skipped
    assert video_time_ms(1000, -2000) == -1000  # negative: the video has not begun


def test_a_positive_gap_starts_the_video_that_far_in() -> None:
    rig = Rig(1500)
    rig.follower.follow(200)
    assert rig.starts == [1700]


def test_a_negative_gap_waits_until_the_song_reaches_it() -> None:
    rig = Rig(-2000)
    for audio_ms in (0, 500, 1999):
        rig.follower.follow(audio_ms)
    assert rig.starts == []
    rig.follower.follow(2040)
    assert rig.starts == [40]


def test_nothing_is_judged_before_a_fresh_published_time() -> None:
    rig = Rig(0)
    rig.follower.follow(1000)
    rig.settle()
    rig.follower.follow(1700)  # no published time yet: no verdict, no correction
    assert rig.last("seek") is None and rig.last("rate") is None


@pytest.mark.parametrize("behind_ms", [DEAD_BAND_MS + 20, SEEK_BEYOND_MS - 10])
def test_a_small_lag_is_slewed_away_faster(behind_ms: int) -> None:
    rig = Rig(0)
    rig.follower.follow(1000)
    rig.settle()
    rig.follower.published(5000 - behind_ms)
    rig.follower.follow(5000)
    rate = rig.last("rate")
    assert rate is not None and 1.0 < rate <= 1.0 + MAX_SLEW
    assert rig.last("seek") is None


def test_a_small_lead_is_slewed_away_slower_and_tempo_is_kept() -> None:
    rig = Rig(0)
    rig.follower.set_tempo(0.8)
    rig.follower.follow(1000)
    rig.settle()
    rig.follower.published(5000 + DEAD_BAND_MS + 40)
    rig.follower.follow(5000)
    rate = rig.last("rate")
    assert rate is not None and 0.8 * (1 - MAX_SLEW) <= rate < 0.8


def test_within_the_dead_band_the_rate_is_the_tempo() -> None:
    rig = Rig(0)
    rig.follower.follow(1000)
    rig.settle()
    rig.follower.published(5000 + DEAD_BAND_MS + 40)
    rig.follower.follow(5000)
    rig.now += 100
    rig.follower.published(5100)
    rig.follower.follow(5100)
    assert rig.last("rate") == 1.0


def test_a_large_error_seeks_and_waits_before_judging_again() -> None:
    rig = Rig(1000)
    rig.follower.follow(0)
    rig.settle()
    rig.follower.published(4000)  # the video is 2 s late (slow start, a stall...)
    rig.follower.follow(5000)
    assert rig.last("seek") == 6000 and rig.follower.seeks == 1
    rig.follower.published(3000)  # stale, from before the seek
    rig.follower.follow(5050)
    assert rig.follower.seeks == 1


def test_the_published_time_is_extrapolated_at_the_playing_rate() -> None:
    rig = Rig(0)
    rig.follower.published(2000)
    rig.now += 500
    assert rig.follower.position_ms() == 2500


def test_pause_resume_and_stop_follow_the_audio() -> None:
    rig = Rig(500)
    rig.follower.follow(100)
    rig.follower.pause()
    assert not rig.video.playing
    rig.follower.follow(300)  # paused: the video is not restarted or corrected
    assert rig.starts == [600]
    rig.follower.resume()
    assert rig.video.playing
    rig.follower.stop()
    assert not rig.video.playing and rig.blanks == 1


def test_a_seek_before_a_negative_gap_blanks_and_starts_over() -> None:
    rig = Rig(-2000)
    rig.follower.follow(3000)
    assert rig.starts == [1000]
    rig.follower.seek(500)  # before the video's 0 s
    assert rig.blanks == 1 and not rig.video.playing
    rig.follower.follow(1000)
    assert rig.starts == [1000]
    rig.follower.follow(2100)
    assert rig.starts == [1000, 100]


def test_a_seek_inside_the_video_jumps_there() -> None:
    rig = Rig(-2000)
    rig.follower.follow(3000)
    rig.follower.seek(9000)
    assert rig.last("seek") == 7000


def test_an_ended_video_is_left_alone_and_a_seek_back_reopens_it() -> None:
    rig = Rig(0)
    rig.follower.follow(1000)
    rig.settle()
    rig.video.playing = False  # the video is shorter than the song: it ended at 30 s
    rig.follower.published(30_000)
    rig.follower.follow(45_000)
    assert rig.follower.seeks == 0
    rig.follower.seek(10_000)
    assert rig.starts == [1000, 10_000]
