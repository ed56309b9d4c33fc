"""A video that runs beside the audio at a fixed gap (UltraStar `#VIDEOGAP`).

The sign rule, `video_ms = audio_ms + gap_ms`: a positive gap skips the first `gap_ms`
of the video, a negative one shows nothing for the first `-gap_ms` of the song and then
starts the video at its 0 s. This is what the players that songs are timed with do:
UltraStar Deluxe draws `GetFrame(CurrentSong.VideoGAP + LyricsState.GetCurrentTime())`
(src/screens/UScreenSingController.pas) and seeks its video to `VideoGAP + Start`,
Performous renders `time += m_videoGap` (game/video.cc), UltraStar Play targets
`VideoGapInMillis + positionInAudioInMillis` and waits while a negative gap has not
elapsed (SongVideoPlayer.cs). The prose of the format documents
(github.com/UltraStar-Deluxe/format, v1 appendix A.4: "the background video will be
delayed ... negative values ... skipped at the beginning of the video") reads the other
way round; the files in the wild were synchronised by eye in those players, so their
rule wins here.

libVLC 3 runs an input slave on its master's clock with no per-input offset, so the
video is played by a second, muted media player and kept in step here: the engine hands
over its lyric clock's media time (`follow`) several times a second; a small disagreement
is absorbed by playing the video a little faster or slower, a large one by seeking.
Pure logic over a small player protocol: `vlc_backend` supplies the libVLC player.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

# Beyond this the video seeks to where it should be; below it the rate slews it there.
SEEK_BEYOND_MS = 300
# Disagreements this small are left alone: a frame lasts 33-40 ms, readings jitter more.
DEAD_BAND_MS = 25
# The slew: the rate moves by error / SLEW_MS (100 ms off → 10 % for about a second),
# never more than MAX_SLEW either way.
SLEW_MS = 1000
MAX_SLEW = 0.1
# After a seek or a (re)start the player reports stale times for a moment: no verdicts.
SETTLE_MS = 600


def video_time_ms(audio_ms: int, gap_ms: int) -> int:
    """Where in the video the picture for `audio_ms` of the song is (see the module doc)."""
    return audio_ms + gap_ms


class FollowedPlayer(Protocol):
    """What the follower drives; a python-vlc `MediaPlayer` qualifies."""

    def is_playing(self) -> bool: ...

    def play(self) -> int: ...

    def stop(self) -> None: ...

    def set_pause(self, do_pause: int) -> None: ...

    def set_time(self, ms: int) -> int: ...

    def set_rate(self, rate: float) -> int: ...


Player = TypeVar("Player", bound=FollowedPlayer)


def _monotonic_ms() -> float:
    return time.monotonic_ns() / 1_000_000


class PictureFollower(Generic[Player]):
    """Keeps `player`'s video at `video_time_ms(audio, gap_ms)` of the audio it follows.

    `start(video_ms)` opens the video there (libVLC's `:start-time`) and `blank()` clears
    the picture when the video is stopped: both given by the backend.
    """

    def __init__(
        self,
        player: Player,
        gap_ms: int,
        start: Callable[[int], None],
        *,
        blank: Callable[[], None] = lambda: None,
        time_fn: Callable[[], float] = _monotonic_ms,
    ) -> None:
        self.player = player
        self.gap_ms = gap_ms
        self._start = start
        self._blank = blank
        self._time_fn = time_fn
        # The video's time as libVLC last published it (every ~250 ms) and when: the
        # position now is that plus the time since, at the rate it plays.
        self._published: tuple[int, float] | None = None
        self._running = False  # the video was started and has not been stopped since
        self._paused = False
        self._tempo = 1.0
        self._rate = 1.0
        self._settle_until = 0.0
        self.seeks = 0  # corrections by seeking, for diagnostics and the benchmark
        self.last_error_ms: int | None = None

    # ---- transport, mirrored from the audio player ----------------------------------

    def pause(self) -> None:
        self._paused = True
        if self._running:
            self.player.set_pause(1)

    def resume(self) -> None:
        self._paused = False
        if self._running:
            self.player.set_pause(0)
            self._settle()

    def seek(self, audio_ms: int) -> None:
        target = video_time_ms(audio_ms, self.gap_ms)
        if target < 0:
            self.stop()  # before the video begins: black until the song gets there
            return
        if self._running:
            self._jump(target)

    def stop(self) -> None:
        if self._running:
            self.player.stop()
            self._blank()  # a window goes black by itself; a picture in memory must be told
        self._running = False

    def set_tempo(self, tempo: float) -> None:
        self._tempo = tempo
        self._apply_rate(tempo)

    def published(self, video_ms: int) -> None:
        """libVLC published the video's time (its TimeChanged event; any thread)."""
        self._published = (video_ms, self._time_fn())

    def position_ms(self) -> int | None:
        """Where the video is now, from its last published time; None: nothing yet."""
        published = self._published
        if published is None:
            return None
        video_ms, at = published
        return round(video_ms + (self._time_fn() - at) * self._rate)

    # ---- following -------------------------------------------------------------------

    def follow(self, audio_ms: int) -> None:
        """The audio is at `audio_ms` and playing: start, slew or seek the video to match."""
        target = video_time_ms(audio_ms, self.gap_ms)
        if target < 0 or self._paused:
            return
        if not self._running:
            self._running = True
            self._start(target)
            self._settle()
            return
        position = self.position_ms()
        if self._time_fn() < self._settle_until or position is None:
            return
        if not self.player.is_playing():
            return  # the video is shorter than the song and has ended: its last picture stays
        error = position - target
        self.last_error_ms = error
        if abs(error) > SEEK_BEYOND_MS:
            self._jump(target)
        elif abs(error) > DEAD_BAND_MS:
            slew = max(-MAX_SLEW, min(MAX_SLEW, -error / SLEW_MS))
            self._apply_rate(self._tempo * (1 + slew))
        else:
            self._apply_rate(self._tempo)

    def _jump(self, target: int) -> None:
        self.seeks += 1
        if self._paused or self.player.is_playing():
            self.player.set_time(target)
        else:
            self._start(target)  # an ended player does not seek: open the video there again
        self._apply_rate(self._tempo)
        self._settle()

    def _apply_rate(self, rate: float) -> None:
        if abs(rate - self._rate) < 1e-3:
            return
        self._rate = rate
        self.player.set_rate(rate)
        self._published = None  # measured at the old rate

    def _settle(self) -> None:
        self._published = None
        self._settle_until = self._time_fn() + SETTLE_MS
