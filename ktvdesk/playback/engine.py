"""The playback engine: one song at a time on a `PlayerBackend`, driven from asyncio.

Threading: libVLC reports on its own threads; the engine only ever touches those
reports on the asyncio loop thread (`call_soon_threadsafe`), and every subscriber is
called there too. Each load/recovery bumps a generation number so late reports from a
media that was already replaced are dropped instead of confusing the new one.

Recovery: a network source that errors, stalls, or ends well before its known end (what
libVLC 3 does when a cut stream's reconnect is refused) is resolved again through the
caller's resolver and resumed where it stopped, with bounded retries and backoff; when
that fails the song ends as FAILED and the engine moves on to the next source.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ktvdesk.errors import DamagedMediaError, KtvError, PlaybackError, UserMessage
from ktvdesk.models import Channel, MediaSource, VocalLayout
from ktvdesk.playback.backend import (
    AudioFilters,
    BackendEvent,
    FadeEnvelope,
    FollowsPicture,
    MediaOptions,
    PlayerBackend,
)
from ktvdesk.playback.clock import PlaybackClock
from ktvdesk.tasks import TaskRegistry

log = logging.getLogger(__name__)

KEY_RANGE = range(-6, 7)
LOCAL_CACHING_MS = 300
TEMPO_MIN, TEMPO_MAX = 0.75, 1.25


class VocalMode(StrEnum):
    ORIGINAL = "original"  # 原唱
    ACCOMPANIMENT = "accompaniment"  # 伴唱


class PlayerState(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    PLAYING = "playing"
    PAUSED = "paused"
    RECOVERING = "recovering"
    STOPPED = "stopped"
    ENDED = "ended"


class EventKind(StrEnum):
    STATE = "state"
    POSITION = "position"
    END = "end"
    ERROR = "error"
    RECOVERED = "recovered"


class EndReason(StrEnum):
    FINISHED = "finished"
    STOPPED = "stopped"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PlaybackEvent:
    kind: EventKind
    state: PlayerState | None = None
    position_ms: int | None = None
    reason: EndReason | None = None
    error: KtvError | None = None
    attempt: int = 0
    will_retry: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for `ktvdesk play --report json` and logs."""
        out: dict[str, Any] = {"event": self.kind.value}
        if self.state is not None:
            out["state"] = self.state.value
        if self.position_ms is not None:
            out["position_ms"] = self.position_ms
        if self.reason is not None:
            out["reason"] = self.reason.value
        if self.error is not None:
            out["error"] = self.error.detail
            out["code"] = self.error.code
        if self.attempt:
            out["attempt"] = self.attempt
        if self.kind is EventKind.ERROR:
            out["will_retry"] = self.will_retry
        return out


Resolver = Callable[[MediaSource], Awaitable[MediaSource]]
NextSource = Callable[[EndReason], Awaitable[MediaSource | None]]
Listener = Callable[[PlaybackEvent], None]


@dataclass(frozen=True, slots=True)
class RecoveryPolicy:
    max_attempts: int = 3
    backoff_ms: tuple[int, ...] = (250, 1000, 3000)
    stall_timeout_ms: int = 8000
    # An end this far before the known end is a failure. Not smaller: outputs that do
    # not block (dummy, memory) flush the last ~1.3 s of buffered audio at once, so
    # libVLC's last published time is that far before the end even on a good run.
    early_end_tolerance_ms: int = 2500

    def delay_ms(self, attempt: int) -> int:
        return self.backoff_ms[min(attempt, len(self.backoff_ms)) - 1] if self.backoff_ms else 0


_NO_ORIGINAL = UserMessage("这首歌没有原唱。", "This song has no original vocal track.")
_BAD_KEY = UserMessage("升降调范围是 -6 到 +6。", "Key change must be between -6 and +6 semitones.")
_BAD_TEMPO = UserMessage("速度范围是 0.75 到 1.25 倍。", "Tempo must be between 0.75× and 1.25×.")
# The file itself is bad (not a link that expired): the session marks the song unplayable.
UNPLAYABLE_MEDIA = "unplayable_media"
_UNPLAYABLE_FILE = UserMessage(
    "这个文件无法播放：它已损坏，或不是音视频文件。",
    "This file cannot be played: it is damaged or not an audio/video file.",
)
_STREAM_FAILED = UserMessage(
    "歌曲播放中断，已跳到下一首。", "The song stopped playing; moved on to the next one."
)


class PlaybackEngine:
    def __init__(
        self,
        backend: PlayerBackend,
        *,
        resolver: Resolver | None = None,
        next_source: NextSource | None = None,
        recovery: RecoveryPolicy | None = None,
        fade_ms: int = 300,
        position_interval_ms: int = 250,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._backend = backend
        self._loop = loop or asyncio.get_running_loop()
        self._resolver = resolver
        self._next_source = next_source
        self._policy = recovery or RecoveryPolicy()
        self._fade_ms = fade_ms
        self._interval_ms = position_interval_ms
        self.clock = PlaybackClock(backend)
        self._listeners: list[Listener] = []
        self._tasks = TaskRegistry()
        self._ticker: asyncio.Task[None] | None = None
        self._generation = 0
        self._state = PlayerState.IDLE
        self._source: MediaSource | None = None
        self._vocal = VocalMode.ORIGINAL
        self._key = 0
        self._tempo = 1.0
        self._normalize = False
        self._network_caching_ms: int | None = None  # None: libVLC's own default
        self._volume = 100
        self._muted = False
        self._applied_volume = -1
        self._envelope: FadeEnvelope | None = None
        self._tracks_pending = False
        self._advancing = False
        self._fade_by_backend = False
        self._length_ms = 0
        self._last_time_ms = 0
        self._reached_ms = 0
        self._last_progress_at = 0.0
        self._watch_stall = False
        self._attempts = 0
        self._resume_ms: int | None = None
        self._last_position_sent: int | None = None
        backend.set_event_sink(self._from_backend_thread)

    # ---- subscription --------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: PlaybackEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("playback listener failed")

    # ---- properties ----------------------------------------------------------------

    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def source(self) -> MediaSource | None:
        return self._source

    @property
    def position_ms(self) -> int:
        return self.clock.now_ms() - self.clock.offset_ms

    @property
    def reached_ms(self) -> int:
        """The furthest media time libVLC reported for the current song (since the last seek)."""
        return self._reached_ms

    @property
    def vocal(self) -> VocalMode:
        return self._vocal

    # ---- transport -----------------------------------------------------------------

    def load(self, source: MediaSource, *, autoplay: bool = True) -> None:
        """Replace whatever plays with `source` (from its clip's start, when it has one)."""
        self._source = source
        self._attempts = 0
        self._resume_ms = None
        self._length_ms = source.duration_ms or 0
        self._reached_ms = 0
        self.clock.reset()
        self._open(self._start_ms(source), autoplay=autoplay)

    def play(self) -> None:
        if self._source is None:
            return
        if self._state in (PlayerState.STOPPED, PlayerState.ENDED):
            self.load(self._source)
        elif self._state is PlayerState.PAUSED:
            self.resume()
        else:
            self._backend.play()

    def pause(self) -> None:
        if self._state in (PlayerState.PLAYING, PlayerState.LOADING):
            self._backend.pause()
            self._watch_stall = False

    def resume(self) -> None:
        if self._state is PlayerState.PAUSED:
            self._backend.resume()
            self._watch_from_now()

    def resume_on(self, fresh: MediaSource) -> None:
        """Resume a paused song on a fresh link (the old one expired during the pause).

        The same path as a recovery: reopen at the paused position, the clock holds there
        until the new media catches up, and RECOVERED is emitted when it does.
        """
        source = self._source
        if source is None or self._state is not PlayerState.PAUSED:
            return
        resume_ms = max(self._last_time_ms, self._start_ms(source))
        self._source = fresh
        self._resume_ms = resume_ms
        self._open(resume_ms)

    def stop(self) -> None:
        self._end(EndReason.STOPPED, advance=False)

    def seek(self, ms: int) -> None:
        if self._source is None:
            return
        ms = self._clamp_to_clip(ms)
        self._backend.seek(ms)
        self.clock.seek(ms)
        self._last_time_ms = ms
        self._reached_ms = ms  # "furthest" counts from the new position on
        self._watch_from_now()
        self._send_position(force=True)

    def restart(self) -> None:
        """重唱: from the top (of the clip) again."""
        if self._source is None:
            return
        if self._state in (PlayerState.STOPPED, PlayerState.ENDED):
            self.load(self._source)
            return
        self.seek(self._start_ms(self._source))
        self.resume()

    async def next(self) -> None:
        """切歌: end this song now and move on (unless the engine is already moving on)."""
        if self._advancing:
            return
        self._end(EndReason.SKIPPED, advance=False)
        await self._advance(EndReason.SKIPPED)

    # ---- audio ---------------------------------------------------------------------

    def set_volume(self, percent: int) -> None:
        self._volume = max(0, min(100, int(percent)))
        self._apply_volume()

    @property
    def volume(self) -> int:
        return self._volume

    def set_mute(self, muted: bool) -> None:
        self._muted = muted
        self._backend.set_mute(muted)

    def set_vocal(self, mode: VocalMode) -> None:
        """原唱/伴唱, switched in place: no reload, playback continues."""
        if (
            mode is VocalMode.ORIGINAL
            and self._source is not None
            and self._source.layout is VocalLayout.ACCOMPANIMENT_ONLY
        ):
            raise PlaybackError("source has no original vocal", user_message=_NO_ORIGINAL, code="no_original")
        self._vocal = mode
        if self._source is not None:
            self._apply_vocal(self._source)

    def set_key(self, semitones: int) -> None:
        if semitones not in KEY_RANGE:
            raise PlaybackError(f"key {semitones} out of range", user_message=_BAD_KEY, code="bad_key")
        self._key = semitones
        self._apply_filters()

    def set_tempo(self, rate: float) -> None:
        if not (TEMPO_MIN <= rate <= TEMPO_MAX) or math.isnan(rate):
            raise PlaybackError(f"tempo {rate} out of range", user_message=_BAD_TEMPO, code="bad_tempo")
        self._tempo = rate
        self._backend.set_rate(rate)
        self.clock.set_rate(rate)

    def set_normalize(self, enabled: bool) -> None:
        """Loudness normalisation: ReplayGain when the source carries it, else normvol."""
        self._normalize = enabled
        self._apply_filters()
        self._apply_volume()

    def set_network_caching_ms(self, caching_ms: int | None) -> None:
        """How far ahead libVLC buffers a network stream (config `playback.network_caching_ms`):
        more rides out a slow link, less starts sooner. From the next song (or recovery) on."""
        self._network_caching_ms = caching_ms

    def set_window(self, handle: int | None) -> None:
        self._backend.set_window(handle)

    async def aclose(self) -> None:
        self._generation += 1
        await self._tasks.aclose()
        self._backend.stop()

    # ---- opening -------------------------------------------------------------------

    def _start_ms(self, source: MediaSource) -> int:
        if source.clip is None:
            return 0
        return max(0, source.clip.begin_ms - source.prelude_ms)

    def _clamp_to_clip(self, ms: int) -> int:
        ms = max(0, int(ms))
        source = self._source
        if source is not None and source.clip is not None:
            ms = max(self._start_ms(source), min(ms, source.clip.end_ms))
        return ms

    def _open(self, start_ms: int, *, autoplay: bool = True) -> None:
        source = self._source
        assert source is not None
        self._backend.stop()
        self._generation += 1  # after stop(): its reports belong to the old media
        self._last_time_ms = start_ms
        self._last_position_sent = None
        self._tracks_pending = False
        if start_ms and self._resume_ms is None:
            self.clock.seek(start_ms)  # a recovery keeps the clock: it holds until caught up
        options = MediaOptions(
            start_ms=start_ms,
            stop_ms=source.clip.end_ms if source.clip is not None else None,
            user_agent=source.user_agent,
            # libVLC decodes this far ahead of what is heard, and a live switch (vocal
            # mode, key) only reaches audio decoded after it: keep it short for files.
            file_caching_ms=None if source.is_network else LOCAL_CACHING_MS,
            network_caching_ms=self._network_caching_ms if source.is_network else None,
            audio_track_index=self._track_index(source),
            slave_audio_url=source.accompaniment_url if source.layout is VocalLayout.SEPARATE_FILE else None,
            slave_video_url=source.video_url,
            video_gap_ms=source.video_gap_ms if source.video_url else 0,
        )
        if source.layout is VocalLayout.LEFT_RIGHT or source.layout is VocalLayout.MIXED:
            self._apply_vocal(source)  # before the output starts: the first sample is right
        else:
            self._backend.set_stereo_channel(None)
        self._apply_filters()
        self._backend.set_rate(self._tempo)
        self._envelope = (
            FadeEnvelope(self._start_ms(source), source.clip.end_ms, self._fade_ms)
            if source.clip is not None
            else None
        )
        self._fade_by_backend = self._backend.set_fade(self._envelope)
        self._applied_volume = -1
        self._apply_volume()
        self._backend.open(source.url, options)
        self._set_state(PlayerState.LOADING)
        self._ensure_ticker()
        if autoplay:
            self._backend.play()
            self._watch_from_now()

    def _track_index(self, source: MediaSource) -> int | None:
        """The audio track the media must start on, so the first sample is the right one.

        Choosing it only after libVLC reports Playing (on this loop, which may be busy)
        let the original vocal be heard for as long as the loop was late. `:audio-track`
        counts the input's audio tracks in the order libVLC creates them: the media's
        own first, then an added slave's (the separate accompaniment: index 1).
        """
        original = self._vocal is VocalMode.ORIGINAL
        if source.layout is VocalLayout.TWO_TRACKS:
            return source.original_track if original else source.accompaniment_track
        if source.layout is VocalLayout.SEPARATE_FILE:
            return 0 if original else 1
        return None

    # ---- applying settings ---------------------------------------------------------

    def _apply_vocal(self, source: MediaSource) -> None:
        original = self._vocal is VocalMode.ORIGINAL
        if source.layout is VocalLayout.MIXED:
            self._apply_filters()
        elif source.layout is VocalLayout.LEFT_RIGHT:
            other = Channel.RIGHT if source.vocal_channel is Channel.LEFT else Channel.LEFT
            self._backend.set_stereo_channel(source.vocal_channel if original else other)
        elif source.layout in (VocalLayout.TWO_TRACKS, VocalLayout.SEPARATE_FILE):
            ids = self._backend.audio_track_ids()
            if source.layout is VocalLayout.TWO_TRACKS:
                index = source.original_track if original else source.accompaniment_track
            else:
                index = 0 if original else len(ids) - 1
            # A slave track appears a little after the media starts: until both tracks
            # are listed, try again on every published time.
            self._tracks_pending = not (len(ids) >= 2 and 0 <= index < len(ids))
            if not self._tracks_pending:
                self._backend.set_audio_track(ids[index])

    def _apply_filters(self) -> None:
        source = self._source
        karaoke = (
            source is not None
            and source.layout is VocalLayout.MIXED
            and self._vocal is VocalMode.ACCOMPANIMENT
        )
        use_normvol = self._normalize and (source is None or source.replaygain_db is None)
        self._backend.set_audio_filters(
            AudioFilters(karaoke=karaoke, pitch_semitones=self._key, normalize=use_normvol)
        )

    def _gain(self) -> float:
        """Amplitude factor from ReplayGain and the clip fades."""
        gain = 1.0
        source = self._source
        if source is None:
            return gain
        if self._normalize and source.replaygain_db is not None:
            gain *= 10 ** (source.replaygain_db / 20)
        if self._envelope is not None and not self._fade_by_backend:
            gain *= self._envelope.gain(self.position_ms)
        return gain

    def _apply_volume(self) -> None:
        # libVLC's volume is perceptual (amplitude = (percent/100)³): take the cube root.
        percent = round(self._volume * self._gain() ** (1 / 3))
        percent = max(0, min(200, percent))
        if percent != self._applied_volume:
            self._applied_volume = percent
            self._backend.set_volume(percent)

    # ---- libVLC reports ------------------------------------------------------------

    def _from_backend_thread(self, kind: BackendEvent, value: int) -> None:
        generation = self._generation
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is listening any more
            self._loop.call_soon_threadsafe(self._on_backend, generation, kind, value)

    def _on_backend(self, generation: int, kind: BackendEvent, value: int) -> None:
        if generation != self._generation or self._source is None:
            return
        if kind is BackendEvent.PLAYING:
            self._set_state(PlayerState.PLAYING)
            self._watch_from_now()
            self._follow_picture()
            if self._source.layout in (VocalLayout.TWO_TRACKS, VocalLayout.SEPARATE_FILE):
                self._apply_vocal(self._source)
        elif kind is BackendEvent.PAUSED:
            self._set_state(PlayerState.PAUSED)
            self._watch_stall = False
        elif kind is BackendEvent.TIME:
            self._on_time(value)
        elif kind is BackendEvent.LENGTH:
            if value > 0:
                self._length_ms = max(self._length_ms, value) if self._source.duration_ms else value
        elif kind is BackendEvent.END:
            self._on_end()
        elif kind is BackendEvent.ERROR:
            self._fail(PlaybackError("libVLC could not play the media", code="vlc_error"))

    def _on_time(self, value: int) -> None:
        if self._tracks_pending and self._source is not None:
            self._apply_vocal(self._source)
        if value > self._last_time_ms:
            self._last_progress_at = self._loop.time()
        self._last_time_ms = value
        self._reached_ms = max(self._reached_ms, value)
        if self._resume_ms is not None and value > self._resume_ms:
            self._resume_ms = None
            attempt, self._attempts = self._attempts, 0
            self._emit(PlaybackEvent(EventKind.RECOVERED, position_ms=value, attempt=attempt))

    def _expected_end_ms(self) -> int | None:
        source = self._source
        if source is None:
            return None
        if source.clip is not None:
            return source.clip.end_ms
        return self._length_ms or source.duration_ms

    def _on_end(self) -> None:
        source = self._source
        assert source is not None
        expected = self._expected_end_ms()
        reached = max(self._reached_ms, self._last_time_ms)
        if source.is_network and expected and reached < expected - self._policy.early_end_tolerance_ms:
            self._fail(
                PlaybackError(f"stream ended at {reached} ms of {expected} ms", code="early_end"),
            )
            return
        if (
            not source.is_network
            and reached == 0
            and (not expected or expected > self._policy.early_end_tolerance_ms)
        ):
            # libVLC "ends" a file it cannot demux or decode (random bytes, a truncated
            # download) at 0 ms without an error event: nothing was ever played.
            self._fail(
                DamagedMediaError(
                    f"{source.url}: ended at 0 ms of {expected or 'unknown'} ms without playing",
                    user_message=_UNPLAYABLE_FILE,
                    code=UNPLAYABLE_MEDIA,
                )
            )
            return
        self._end(EndReason.FINISHED, advance=True)

    # ---- failure and recovery ------------------------------------------------------

    def _fail(self, error: KtvError) -> None:
        source = self._source
        assert source is not None
        self._generation += 1  # the dead media may still report; ignore it
        self._watch_stall = False
        resume_ms = max(self._last_time_ms, self._start_ms(source))
        can_retry = (
            source.is_network and self._resolver is not None and self._attempts < self._policy.max_attempts
        )
        log.warning("playback failed (attempt %d): %s", self._attempts, error.detail)
        self._emit(
            PlaybackEvent(
                EventKind.ERROR,
                position_ms=resume_ms,
                error=error,
                attempt=self._attempts,
                will_retry=can_retry,
            )
        )
        if not can_retry:
            self._resume_ms = None
            if not isinstance(error, DamagedMediaError):  # that one already says what is wrong
                final = PlaybackError(
                    f"gave up after {self._attempts} recovery attempts: {error.detail}",
                    user_message=_STREAM_FAILED,
                    code=error.code,
                )
                self._emit(PlaybackEvent(EventKind.ERROR, position_ms=resume_ms, error=final))
            self._end(EndReason.FAILED, advance=True)
            return
        self._attempts += 1
        self._resume_ms = resume_ms
        self._set_state(PlayerState.RECOVERING)
        self._tasks.spawn(self._retry(self._attempts, resume_ms, self._generation), name="playback-retry")

    async def _retry(self, attempt: int, resume_ms: int, generation: int) -> None:
        await asyncio.sleep(self._policy.delay_ms(attempt) / 1000)
        if generation != self._generation or self._source is None or self._resolver is None:
            return
        try:
            fresh = await self._resolver(self._source)
        except KtvError as exc:
            if generation == self._generation:
                self._fail(exc)
            return
        except Exception as exc:
            if generation == self._generation:
                self._fail(PlaybackError(f"resolver failed: {exc!r}", code="resolver"))
            return
        if generation != self._generation:
            return
        log.info("recovering at %d ms with a fresh source (attempt %d)", resume_ms, attempt)
        self._source = fresh
        self._open(resume_ms)

    # ---- ending --------------------------------------------------------------------

    def _end(self, reason: EndReason, *, advance: bool) -> None:
        if self._state in (PlayerState.ENDED, PlayerState.STOPPED, PlayerState.IDLE):
            return
        self._generation += 1
        self._watch_stall = False
        self._resume_ms = None
        position = max(self._reached_ms, self._last_time_ms)
        source = self._source
        # A finished song's player has stopped by itself; a video at a gap from the audio
        # plays on a player of its own, which must be told.
        if reason is not EndReason.FINISHED or (source is not None and source.video_gap_ms):
            self._backend.stop()
        self._set_state(PlayerState.STOPPED if reason is EndReason.STOPPED else PlayerState.ENDED)
        self._emit(PlaybackEvent(EventKind.END, position_ms=position, reason=reason))
        if advance and self._next_source is not None:
            self._tasks.spawn(self._advance(reason), name="playback-advance")

    async def _advance(self, reason: EndReason) -> None:
        if self._next_source is None or self._advancing:
            return
        self._advancing = True
        try:
            following = await self._next_source(reason)
        finally:
            self._advancing = False
        if following is not None:
            self.load(following)

    # ---- periodic work -------------------------------------------------------------

    def _set_state(self, state: PlayerState) -> None:
        if state is not self._state:
            self._state = state
            self._emit(PlaybackEvent(EventKind.STATE, state=state, position_ms=self._last_time_ms))

    def _watch_from_now(self) -> None:
        self._watch_stall = True
        self._last_progress_at = self._loop.time()

    def _ensure_ticker(self) -> None:
        if self._ticker is None or self._ticker.done():
            self._ticker = self._tasks.spawn(self._tick_forever(), name="playback-ticker")

    async def _tick_forever(self) -> None:
        next_position_at = 0.0
        while True:
            fading = self._in_fade_window()
            await asyncio.sleep(0.02 if fading else min(self._interval_ms, 100) / 1000)
            if self._source is None:
                continue
            if self._state is PlayerState.PLAYING:
                self._apply_volume()
                self._follow_picture()
                now = self._loop.time()
                if now >= next_position_at:
                    next_position_at = now + self._interval_ms / 1000
                    self._send_position()
            self._check_stall()

    def _follow_picture(self) -> None:
        """A video at a gap from its audio plays on its own player: keep it on the lyric clock."""
        source = self._source
        if source is not None and source.video_gap_ms and isinstance(self._backend, FollowsPicture):
            self._backend.sync_picture(self.position_ms)

    def _in_fade_window(self) -> bool:
        envelope = self._envelope
        if envelope is None or self._fade_by_backend or self._state is not PlayerState.PLAYING:
            return False
        position = self.position_ms
        margin = envelope.fade_ms + 200
        return position < envelope.begin_ms + margin or position > envelope.end_ms - margin

    def _send_position(self, *, force: bool = False) -> None:
        position = self.position_ms
        if force or position != self._last_position_sent:
            self._last_position_sent = position
            self._emit(PlaybackEvent(EventKind.POSITION, position_ms=position))

    def _check_stall(self) -> None:
        if not self._watch_stall or self._state not in (PlayerState.LOADING, PlayerState.PLAYING):
            return
        silent_ms = (self._loop.time() - self._last_progress_at) * 1000
        if silent_ms > self._policy.stall_timeout_ms:
            self._fail(PlaybackError(f"no progress for {silent_ms:.0f} ms", code="stall"))
