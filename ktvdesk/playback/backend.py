"""The contract between the engine and a media player (libVLC in `vlc_backend`).

Kept free of `vlc` so the engine and its tests can be read, typed and reasoned about
without libVLC; `VlcBackend` is the one implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from ktvdesk.models import Channel


class BackendEvent(StrEnum):
    OPENING = "opening"
    BUFFERING = "buffering"
    PLAYING = "playing"
    PAUSED = "paused"
    STOPPED = "stopped"
    END = "end"
    ERROR = "error"
    TIME = "time"  # value: the newly published media time, ms
    LENGTH = "length"  # value: the media length, ms


# Called on libVLC's own threads: implementations must only hand the event over.
EventSink = Callable[[BackendEvent, int], None]


class Picture(Protocol):
    """A picture the player decodes into memory (CD+G graphics) for the views to paint:
    RGB32 rows (B, G, R, X per pixel), `count` goes up with every new picture."""

    width: int
    height: int
    count: int

    def rgb32(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class MediaOptions:
    start_ms: int = 0
    stop_ms: int | None = None
    user_agent: str | None = None
    network_caching_ms: int | None = None
    file_caching_ms: int | None = None
    audio_track_index: int | None = None  # which audio track to start with (0-based)
    slave_audio_url: str | None = None  # an extra audio track (separate accompaniment)
    slave_video_url: str | None = None  # a picture over the audio: CD+G graphics, UltraStar video
    video_gap_ms: int = 0  # the video runs this far ahead of the audio (`video_gap.video_time_ms`)


@dataclass(frozen=True, slots=True)
class AudioFilters:
    karaoke: bool = False  # centre-channel vocal reduction
    pitch_semitones: int = 0
    normalize: bool = False  # normvol

    def chain(self) -> tuple[str, ...]:
        """libVLC filter module names, in processing order."""
        names: list[str] = []
        if self.karaoke:
            names.append("karaoke")  # on the original stereo image, before anything mixes it
        if self.pitch_semitones:
            names.append("scaletempo_pitch")
        if self.normalize:
            names.append("normvol")
        return tuple(names)


@dataclass(frozen=True, slots=True)
class FadeEnvelope:
    """Gain over media time: silent at `begin_ms`, full after `fade_ms`, silent again at `end_ms`."""

    begin_ms: int
    end_ms: int
    fade_ms: int

    def gain(self, media_ms: float) -> float:
        if self.fade_ms <= 0:
            return 1.0
        fade_in = (media_ms - self.begin_ms) / self.fade_ms
        fade_out = (self.end_ms - media_ms) / self.fade_ms
        return max(0.0, min(1.0, fade_in, fade_out))


@runtime_checkable
class FollowsPicture(Protocol):
    """A backend that plays a video at a gap from its audio on a player of its own: it
    needs the audio's media time (the lyric clock) now and then to stay in step."""

    def sync_picture(self, media_ms: int) -> None: ...


class PlayerBackend(Protocol):
    def set_event_sink(self, sink: EventSink) -> None: ...

    def open(self, url: str, options: MediaOptions) -> None: ...

    def play(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self) -> None: ...

    def seek(self, ms: int) -> None: ...

    def get_time(self) -> int: ...

    def is_playing(self) -> bool: ...

    def get_length(self) -> int: ...

    def set_volume(self, percent: int) -> None: ...

    def set_fade(self, envelope: FadeEnvelope | None) -> bool:
        """Apply `envelope` sample-accurately; False: the caller must fade with the volume."""
        ...

    def set_mute(self, muted: bool) -> None: ...

    def set_rate(self, rate: float) -> None: ...

    def audio_track_ids(self) -> list[int]: ...

    def set_audio_track(self, track_id: int) -> None: ...

    def set_stereo_channel(self, channel: Channel | None) -> None: ...

    def set_audio_filters(self, filters: AudioFilters) -> None: ...

    def set_window(self, handle: int | None) -> None: ...

    def close(self) -> None: ...
