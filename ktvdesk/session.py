"""`KaraokeSession`: the one controller behind every karaoke screen (desktop and kiosk).

It ties the catalog providers, the queue of `Song`s, the playback engine and the lyrics
together, and is pure asyncio (no Qt) so the same object serves the main window, the
kiosk shell and the tests. Views subscribe to `SessionEvent`s and read the state back
from the session; they never talk to providers or to the engine directly.

Seams: a `MediaFreshness` (issue 8's `FreshMedia`) puts itself between the session and
the providers: media and lyrics come through it, it hears every queue change (to prefetch
the next song and keep queued links alive), a stream error asks it for a freshly refreshed
link rather than the cached broken one, and a resume after a long pause goes through it so
the song continues on a live URL. The session knows nothing of schedulers or expiries.
`resolve` and `fetch_lyrics` alone remain injectable for simpler stand-ins;
`on_song_finished` lets persistent history (issue 10) record plays without the session
depending on storage.

Errors never escape into the caller's UI loop: every `KtvError` becomes an ERROR event
whose user message exists in zh and en, and a song that cannot be played is skipped
while the rest of the queue stays as it was.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol, cast

from ktvdesk.catalog.base import CatalogProvider, MediaRequest, PlaybackReporter
from ktvdesk.errors import KtvError, PlaybackError, ProviderError, UserMessage
from ktvdesk.lyrics import Lyrics
from ktvdesk.models import MediaSource, Song, VocalLayout
from ktvdesk.playback import (
    EndReason,
    EventKind,
    PlaybackEngine,
    PlaybackEvent,
    PlayerBackend,
    PlayerState,
    PlayQueue,
    QueueEntry,
    RecoveryPolicy,
    VocalMode,
)
from ktvdesk.playback.backend import Picture
from ktvdesk.playback.engine import KEY_RANGE, TEMPO_MAX, TEMPO_MIN
from ktvdesk.session_singers import SingerBook
from ktvdesk.tasks import TaskRegistry

log = logging.getLogger(__name__)

# Used for start-time estimates when neither the song nor its media says how long it is.
DEFAULT_SONG_MS = 240_000
LYRIC_OFFSET_LIMIT_MS = 5000
TEMPO_STEP = 0.05

Resolve = Callable[[Song, MediaRequest], Awaitable[MediaSource]]
FetchLyrics = Callable[[Song], Awaitable[Lyrics | None]]
RecoveryResolver = Callable[[MediaSource], Awaitable[MediaSource]]


class MediaFreshness(Protocol):
    """What keeps the session's links alive (`ktvdesk.refresh.media.FreshMedia`).

    `request` is what queued songs are prepared as (clip or whole song); the session keeps
    it in step with its clip mode.
    """

    request: MediaRequest

    async def resolve(self, song: Song, request: MediaRequest | None = None) -> MediaSource: ...

    async def fetch_lyrics(self, song: Song) -> Lyrics | None: ...

    def recovery_resolver(self, song: Song, request: MediaRequest | None = None) -> RecoveryResolver: ...

    async def resume(
        self, engine: PlaybackEngine, song: Song, request: MediaRequest | None = None
    ) -> bool: ...

    def on_queue_changed(self, current: Song | None, upcoming: Sequence[Song]) -> None: ...


class FavoriteStore(Protocol):
    """The host's favourites, kept by storage on its own thread (`storage.service`)."""

    async def add(self, song: Song) -> bool: ...

    async def remove(self, key: str) -> bool: ...

    async def songs(self, limit: int) -> list[Song]: ...


_NO_FAVORITES = UserMessage("收藏功能现在不可用。", "Favourites are not available right now.")
_NO_PROVIDER = UserMessage("这首歌所在的曲库未启用。", "The catalog this song comes from is not enabled.")
_NO_PLAYER = UserMessage("播放功能不可用：未找到 VLC。", "Playback is not available: VLC was not found.")
_EMPTY_QUEUE = UserMessage("已点列表是空的，请先点歌。", "The queue is empty. Add a song first.")
_PREVIEW_BUSY = UserMessage(
    "正在演唱已点歌曲时不能试听，请先停止。",
    "A queued song is on. Stop it before previewing another one.",
)
_BAD_OFFSET = UserMessage(
    "歌词校准范围是 -5 到 +5 秒。", "Lyric calibration must be between -5 and +5 seconds."
)
_NO_CHORUS = UserMessage("这首歌没有副歌片段，无法试听。", "This song has no chorus clip to preview.")
_NOTHING_PLAYING = UserMessage("现在没有在播放的歌曲。", "Nothing is playing right now.")


class SessionEventKind(StrEnum):
    STATE = "state"  # play / pause / loading… (read `session.state`)
    QUEUE = "queue"  # the upcoming entries changed (read `session.queue`)
    NOW_PLAYING = "now_playing"  # another song started or nothing plays (`session.now_playing`)
    LYRICS = "lyrics"  # lyrics of the current song arrived (`session.lyrics`)
    SETTINGS = "settings"  # vocal mode, key, tempo, volume, clip mode or lyric offset
    POSITION = "position"  # the engine published a new position (~4 per second)
    ERROR = "error"  # `event.error` carries the user message
    CHEER = "cheer"  # a 气氛 sound for the room (`event.detail` names it)
    FAVORITES = "favorites"  # the host's favourites changed through the session (a phone's ★)


@dataclass(frozen=True, slots=True)
class SessionEvent:
    kind: SessionEventKind
    error: KtvError | None = None
    detail: str | None = None


Listener = Callable[[SessionEvent], None]


@dataclass(frozen=True, slots=True)
class NowPlaying:
    entry_id: int
    song: Song
    source: MediaSource
    preview: bool = False

    @property
    def duration_ms(self) -> int | None:
        """How long this play lasts: the clip when there is one, else the whole song."""
        if self.source.clip is not None:
            return self.source.clip.duration_ms
        return self.source.duration_ms or self.song.duration_ms


class KaraokeSession:
    def __init__(
        self,
        providers: Mapping[str, CatalogProvider],
        backend: PlayerBackend | None,
        *,
        resolve: Resolve | None = None,
        fetch_lyrics: FetchLyrics | None = None,
        freshness: MediaFreshness | None = None,
        on_song_finished: Callable[[Song, EndReason, VocalMode], None] | None = None,
        autoplay: bool = True,
        clip_mode: bool = False,
        lyric_offset_ms: int = 0,
        volume: int = 80,
        recovery: RecoveryPolicy | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.providers: dict[str, CatalogProvider] = dict(providers)
        self.queue: PlayQueue[Song] = PlayQueue()
        # Who sings each entry, the turn order and each singer's last key per song.
        self.singers = SingerBook()
        self.autoplay = autoplay
        self._resolve = resolve or self._resolve_with_provider
        self._fetch_lyrics = fetch_lyrics or self._lyrics_from_provider
        self._freshness: MediaFreshness | None = None
        self._on_song_finished = on_song_finished
        # Told about a queued song whose media could not be resolved (storage flags it
        # unavailable); the session skips the song either way.
        self.on_unplayable: Callable[[Song, BaseException], None] | None = None
        # The host's favourites for the phones (`add_favorite`); plugged in by the app.
        self.favorites: FavoriteStore | None = None
        self._listeners: list[Listener] = []
        self._tasks = TaskRegistry()
        self._switch = asyncio.Lock()
        self._generation = 0  # bumped per started song: late lyrics of an old song are dropped
        self._now: NowPlaying | None = None
        self._lyrics: Lyrics | None = None
        self._clip_mode = clip_mode
        self._preferred_vocal = VocalMode.ORIGINAL
        self._lyric_offset_ms = 0
        self._volume = max(0, min(100, volume))
        self._key = 0
        self._tempo = 1.0
        self._starting = False  # a start from an empty player is under way
        self._engine_error: KtvError | None = None
        self._failure: KtvError | None = None  # why the current song failed, for `on_unplayable`
        self.engine: PlaybackEngine | None = None
        # The player starts after the session (the app's staged start-up): until
        # `attach_backend`, a play request waits for it instead of reporting "no player".
        self.engine_pending = False
        self._backend = backend
        self._audio_device: str | None = None
        self._recovery, self._loop = recovery, loop
        if backend is not None:
            self.attach_backend(backend)
        self.set_lyric_offset_ms(lyric_offset_ms)
        if freshness is not None:
            self.use_freshness(freshness)

    def attach_backend(self, backend: PlayerBackend) -> PlaybackEngine:
        """Give the session its player. Songs queued before it came start now."""
        if self.engine is not None:
            raise RuntimeError("the session has a player already")
        self._backend, self.engine_pending = backend, False
        engine = PlaybackEngine(
            backend,
            resolver=self._recover_source,
            next_source=self._next_source,
            recovery=self._recovery,
            loop=self._loop,
        )
        self.engine = engine
        engine.subscribe(self._on_engine)
        engine.set_volume(self._volume)
        engine.clock.offset_ms = self._lyric_offset_ms
        self._emit(SessionEventKind.STATE)  # the views: playback is possible now
        if self.autoplay and self.queue.upcoming and self._now is None and not self._starting:
            self._tasks.spawn(self.play(), name="session-autoplay")
        return engine

    # ---- observing -----------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, kind: SessionEventKind, error: KtvError | None = None, detail: str | None = None) -> None:
        if kind is SessionEventKind.QUEUE or kind is SessionEventKind.NOW_PLAYING:
            self._tell_freshness()
        event = SessionEvent(kind, error, detail)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("session listener failed")

    def _report(self, error: KtvError) -> None:
        log.warning("%s (code %s, request %s)", error.detail, error.code, error.request_id)
        self._emit(SessionEventKind.ERROR, error)

    # ---- state ---------------------------------------------------------------------

    @property
    def can_play(self) -> bool:
        return self.engine is not None

    @property
    def state(self) -> PlayerState:
        return self.engine.state if self.engine is not None else PlayerState.IDLE

    @property
    def is_playing(self) -> bool:
        return self.state in (PlayerState.PLAYING, PlayerState.LOADING, PlayerState.RECOVERING)

    @property
    def now_playing(self) -> NowPlaying | None:
        return self._now

    @property
    def lyrics(self) -> Lyrics | None:
        return self._lyrics

    @property
    def upcoming(self) -> tuple[QueueEntry[Song], ...]:
        return self.queue.upcoming

    @property
    def played_tonight(self) -> tuple[Song, ...]:
        """The queued songs that ended this run, most recent first (history without storage)."""
        return tuple(entry.item for entry in reversed(self.queue.history))

    @property
    def vocal(self) -> VocalMode:
        return self.engine.vocal if self.engine is not None else self._preferred_vocal

    @property
    def key(self) -> int:
        return self._key

    @property
    def tempo(self) -> float:
        return self._tempo

    @property
    def volume(self) -> int:
        return self._volume

    @property
    def clip_mode(self) -> bool:
        return self._clip_mode

    @property
    def lyric_offset_ms(self) -> int:
        return self._lyric_offset_ms

    def now_ms(self) -> int:
        """Lyric time: the interpolated media time plus the calibration offset."""
        return self.engine.clock.now_ms() if self.engine is not None else 0

    def position_ms(self) -> int:
        """Media time without the calibration offset (progress bar, seeking)."""
        return self.engine.position_ms if self.engine is not None else 0

    def duration_ms(self) -> int | None:
        now = self._now
        if now is None:
            return None
        if now.source.clip is not None:
            return now.source.clip.end_ms
        return now.duration_ms

    def listened_ms(self, *, finished: bool = False) -> int:
        """How far the current song got (from its clip's start in clip mode); still valid
        inside the `on_song_finished` hook, before the next song opens. libVLC's last time
        report comes a few hundred ms before the end: a `finished` song counts to its end."""
        now, engine = self._now, self.engine
        if now is None or engine is None:
            return 0
        clip = now.source.clip
        start_ms = max(0, clip.begin_ms - now.source.prelude_ms) if clip is not None else 0
        reached_ms = engine.reached_ms
        end_ms = self.duration_ms()
        if finished and end_ms is not None:
            reached_ms = max(reached_ms, end_ms)
        return max(0, reached_ms - start_ms)

    def start_estimates_ms(self) -> dict[int, int]:
        """Entry id → ms from now until that queued song starts (an estimate)."""
        remaining = 0
        now = self._now
        if now is not None:
            total = self.duration_ms() or DEFAULT_SONG_MS
            remaining = max(0, total - self.position_ms())
        estimates: dict[int, int] = {}
        for entry in self.queue.upcoming:
            estimates[entry.entry_id] = remaining
            remaining += entry.item.duration_ms or DEFAULT_SONG_MS
        return estimates

    # ---- queue edits ---------------------------------------------------------------

    def enqueue(self, song: Song, *, singer: str | None = None) -> int:
        """点歌 at the end (`singer`: who sings it, e.g. a restored queue's entry)."""
        entry_id = self.queue.add(song)
        if singer:
            self.singers.assign(entry_id, singer)
        self._queue_changed()
        return entry_id

    def enqueue_for(self, song: Song, singer: str) -> int:
        """点歌 for a named singer (the phones): placed by the turn order; entries already
        queued keep their places, so the host's drags stand."""
        now = self._now
        on_stage = now.entry_id if now is not None and not now.preview else None
        index = self.singers.place(singer, [e.entry_id for e in self.queue.upcoming], on_stage)
        entry_id = self.queue.add(song)
        self.singers.assign(entry_id, singer)
        if index is not None:
            self.queue.move(entry_id, index)
        # The queue's current entry too: it may be resolving, not yet on stage.
        current = self.queue.current
        live = [e.entry_id for e in self.queue.upcoming]
        self.singers.keep_only([*live, on_stage or 0, current.entry_id if current else 0])
        self._queue_changed()
        return entry_id

    async def add_favorite(self, song: Song) -> bool:
        """Star `song` in the host's favourites (stored off this loop's thread); True when
        it was not one yet. Without a store (no user database) a `KtvError` says why."""
        added = await self._favorite_store().add(song)
        if added:
            self._emit(SessionEventKind.FAVORITES)
        return added

    async def remove_favorite(self, key: str) -> bool:
        """Un-star the song with this key ("provider:id"); True when it was a favourite."""
        removed = await self._favorite_store().remove(key)
        if removed:
            self._emit(SessionEventKind.FAVORITES)
        return removed

    async def favorite_songs(self, *, limit: int = 100) -> list[Song]:
        """The host's favourites, newest first."""
        return await self._favorite_store().songs(limit)

    def _favorite_store(self) -> FavoriteStore:
        if self.favorites is None:
            raise KtvError("no favourites store", user_message=_NO_FAVORITES, code="no_favorites")
        return self.favorites

    def cheer(self, sound: str) -> None:
        """气氛: tell whoever plays room sounds (the UI) to play `sound` over the music."""
        self._emit(SessionEventKind.CHEER, detail=sound)

    def enqueue_next(self, song: Song) -> int:
        """优先: sing it right after the current song."""
        entry_id = self.queue.add_next(song)
        self._queue_changed()
        return entry_id

    def move_to_top(self, entry_id: int) -> None:
        self.queue.move_to_top(entry_id)
        self._emit(SessionEventKind.QUEUE)

    def move(self, entry_id: int, index: int) -> None:
        self.queue.move(entry_id, index)
        self._emit(SessionEventKind.QUEUE)

    def remove(self, entry_id: int) -> Song:
        song = self.queue.remove(entry_id)
        self._emit(SessionEventKind.QUEUE)
        return song

    def clear(self) -> None:
        self.queue.clear()
        self._emit(SessionEventKind.QUEUE)

    def _queue_changed(self) -> None:
        self._emit(SessionEventKind.QUEUE)
        if self.autoplay and self._now is None and self.engine is not None and not self._starting:
            self._tasks.spawn(self.play(), name="session-autoplay")

    # ---- transport -----------------------------------------------------------------

    async def play(self) -> None:
        """Start the queue, resume after a pause, or carry on playing."""
        engine = self._require_engine()
        if engine is None:
            return
        if self._now is None:
            if self._starting:
                return
            if not self.queue.upcoming:
                self._report(KtvError("play with an empty queue", user_message=_EMPTY_QUEUE, code="empty"))
                return
            self._starting = True
            try:
                await engine.next()  # nothing loaded: the engine asks `_next_source` for the first song
            finally:
                self._starting = False
        elif engine.state is PlayerState.PAUSED:
            await self._resume(engine)
        else:
            engine.play()

    async def _resume(self, engine: PlaybackEngine) -> None:
        """Resume a pause; through the freshness keeper, which swaps in a new link when the
        old one died (or is about to) during a long break, at the same position."""
        now, freshness = self._now, self._freshness
        if freshness is None or now is None:
            engine.resume()
            return
        try:
            await freshness.resume(
                engine, now.song, replace(freshness.request, clip=now.source.clip is not None)
            )
        except KtvError as exc:
            # No fresh link right now: resume on the old one; if it is dead the engine's
            # recovery asks again and reports if it gives up.
            log.warning("no fresh link to resume %s on: %s", now.song.key, exc.detail)
            engine.resume()
            return
        fresh = engine.source
        if fresh is not None and fresh is not now.source and self._now is now:
            self._now = NowPlaying(now.entry_id, now.song, fresh, now.preview)

    def pause(self) -> None:
        if self.engine is not None:
            self.engine.pause()

    async def toggle_play(self) -> None:
        if self.is_playing:
            self.pause()
        else:
            await self.play()

    async def next(self) -> None:
        """切歌."""
        engine = self._require_engine()
        if engine is not None:
            await engine.next()

    def restart(self) -> None:
        """重唱."""
        if self.engine is not None and self._now is not None:
            self.engine.restart()
        else:
            self._report(KtvError("restart with nothing playing", user_message=_NOTHING_PLAYING))

    def seek(self, ms: int) -> None:
        if self.engine is not None and self._now is not None:
            self.engine.seek(ms)

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()

    async def reload_current(self) -> bool:
        """Reopen the song that is on, from a freshly resolved link (the kiosk watchdog,
        when the engine stopped reporting): like a recovery it goes through the freshness
        keeper, never the link that may have expired meanwhile. False when nothing is on
        or no link came (reported)."""
        engine = self.engine
        if engine is None or self._now is None:
            return False
        async with self._switch:  # the song cannot change under the reload
            now = self._now
            if now is None:
                return False
            try:
                fresh = await self._recover_source(now.source)
            except KtvError as exc:
                self._report(exc)
                return False
            engine.stop()
            engine.load(fresh)
            self._apply_vocal_for(fresh)
        return True

    def set_video_window(self, handle: int | None) -> None:
        """Where libVLC draws the video (a stage window's native id), None for no window."""
        if self.engine is not None:
            self.engine.set_window(handle)

    def set_mute(self, muted: bool) -> None:
        if self.engine is not None:
            self.engine.set_mute(muted)

    async def preview(self, song: Song) -> None:
        """Play a song's chorus clip outside the queue (only while nothing else plays)."""
        engine = self._require_engine()
        if engine is None:
            return
        if self._now is not None and not self._now.preview:
            self._report(KtvError("preview while a song plays", user_message=_PREVIEW_BUSY))
            return
        async with self._switch:
            try:
                source = await self._resolve(song, MediaRequest(clip=True))
            except KtvError as exc:
                self._report(exc)
                return
            if source.clip is None:
                # Never the whole song from 0:00 under the name of a chorus preview.
                self._report(
                    KtvError(f"{song.key} has no chorus clip", user_message=_NO_CHORUS, code="no_chorus")
                )
                return
            self._start(NowPlaying(0, song, source, preview=True), engine)

    # ---- audio ---------------------------------------------------------------------

    def toggle_vocal(self) -> bool:
        """原唱/伴唱; False (and an ERROR event) when the song has no original vocal."""
        mode = VocalMode.ACCOMPANIMENT if self.vocal is VocalMode.ORIGINAL else VocalMode.ORIGINAL
        return self.set_vocal(mode)

    def set_vocal(self, mode: VocalMode) -> bool:
        if self.engine is None:
            self._preferred_vocal = mode
            self._emit(SessionEventKind.SETTINGS)
            return True
        try:
            self.engine.set_vocal(mode)
        except KtvError as exc:
            self._report(exc)
            return False
        self._preferred_vocal = mode
        self._emit(SessionEventKind.SETTINGS)
        return True

    def shift_key(self, delta: int) -> bool:
        return self.set_key(self.key + delta)

    def set_key(self, semitones: int) -> bool:
        if self.engine is None:
            return False
        try:
            self.engine.set_key(semitones)
        except KtvError as exc:
            self._report(exc)
            return False
        self._key = semitones
        if self._now is not None:
            self.singers.remember_key(self._now.entry_id, self._now.song.key, semitones)
        self._emit(SessionEventKind.SETTINGS)
        return True

    def set_tempo(self, rate: float) -> bool:
        if self.engine is None:
            return False
        try:
            self.engine.set_tempo(round(rate, 2))
        except KtvError as exc:
            self._report(exc)
            return False
        self._tempo = round(rate, 2)
        self._emit(SessionEventKind.SETTINGS)
        return True

    def shift_tempo(self, steps: int) -> bool:
        return self.set_tempo(self.tempo + steps * TEMPO_STEP)

    def set_volume(self, percent: int) -> None:
        self._volume = max(0, min(100, int(percent)))
        if self.engine is not None:
            self.engine.set_volume(self._volume)
        self._emit(SessionEventKind.SETTINGS)

    def audio_devices(self) -> list[tuple[str, str]]:
        """(id, description) of the outputs the player can use; empty: no choice here."""
        enumerate_devices = getattr(self._backend, "audio_devices", None)
        return list(enumerate_devices()) if callable(enumerate_devices) else []

    def graphics_picture(self) -> Picture | None:
        """The CD+G picture of the song that is on, for the views to paint (issue 18)."""
        frames = getattr(self._backend, "graphics_frames", None)
        return cast("Picture | None", frames()) if callable(frames) else None

    @property
    def audio_device(self) -> str | None:
        return self._audio_device

    def set_audio_device(self, device_id: str | None) -> bool:
        """Play through `device_id` (None: the system's default, from the next start)."""
        choose = getattr(self._backend, "set_audio_device", None)
        if not callable(choose):
            return False
        if device_id is not None:
            choose(device_id)
        self._audio_device = device_id
        self._emit(SessionEventKind.SETTINGS)
        return True

    def set_clip_mode(self, enabled: bool) -> None:
        """Play chorus clips instead of whole songs, from the next song on."""
        self._clip_mode = enabled
        if self._freshness is not None:
            self._freshness.request = replace(self._freshness.request, clip=enabled)
            self._tell_freshness()  # queued songs are now wanted in the other form
        self._emit(SessionEventKind.SETTINGS)

    def set_lyric_offset_ms(self, offset_ms: int) -> bool:
        """Calibration: a positive offset shows the lyrics earlier."""
        if not -LYRIC_OFFSET_LIMIT_MS <= offset_ms <= LYRIC_OFFSET_LIMIT_MS:
            self._report(KtvError(f"lyric offset {offset_ms} out of range", user_message=_BAD_OFFSET))
            return False
        self._lyric_offset_ms = int(offset_ms)
        if self.engine is not None:
            self.engine.clock.offset_ms = self._lyric_offset_ms
        self._emit(SessionEventKind.SETTINGS)
        return True

    # ---- providers -----------------------------------------------------------------

    def use_resolver(self, resolve: Resolve, fetch_lyrics: FetchLyrics | None = None) -> None:
        """The seam for a refresh scheduler / prefetcher: from now on media (and lyrics)
        come through these instead of straight from the providers."""
        self._resolve = resolve
        if fetch_lyrics is not None:
            self._fetch_lyrics = fetch_lyrics

    def use_freshness(self, freshness: MediaFreshness) -> None:
        """From now on media and lyrics come through `freshness`, which hears every queue
        change and serves the engine's recovery and the resume after a pause."""
        self._freshness = freshness
        self.use_resolver(freshness.resolve, freshness.fetch_lyrics)
        freshness.request = replace(freshness.request, clip=self._clip_mode)
        self._tell_freshness()

    def _tell_freshness(self) -> None:
        freshness = self._freshness
        if freshness is None:
            return
        # The queue's current entry, not `_now`: right after the queue advanced the next song
        # is current but not yet opened, and its prefetched link must not be released. A
        # preview (a clip outside the queue) is resolved on demand and needs no planning.
        now, entry = self._now, self.queue.current
        preview = now is not None and now.preview
        current = entry.item if entry is not None and not preview else None
        try:
            freshness.on_queue_changed(current, [e.item for e in self.queue.upcoming])
        except Exception:  # a prefetch problem must not break a queue edit
            log.exception("refresh planning failed")

    def provider_for(self, song: Song) -> CatalogProvider:
        provider = self.providers.get(song.provider)
        if provider is None:
            raise ProviderError(
                f"provider {song.provider!r} is not configured", user_message=_NO_PROVIDER, code="no_provider"
            )
        return provider

    async def _resolve_with_provider(self, song: Song, request: MediaRequest) -> MediaSource:
        return await self.provider_for(song).resolve_media(song, request)

    async def _lyrics_from_provider(self, song: Song) -> Lyrics | None:
        return await self.provider_for(song).fetch_lyrics(song)

    # ---- advancing (called by the engine) ------------------------------------------

    async def _next_source(self, reason: EndReason) -> MediaSource | None:
        async with self._switch:
            return await self._take_next(reason)

    async def _take_next(self, reason: EndReason) -> MediaSource | None:
        finished, failure, self._failure = self._now, self._failure, None
        if finished is not None and reason is EndReason.FAILED and failure is not None:
            self._unplayable(finished.song, failure)
        if finished is not None and not finished.preview and self._on_song_finished is not None:
            try:
                self._on_song_finished(finished.song, reason, self.vocal)
            except Exception:
                log.exception("song-finished hook failed")
        if finished is not None and not finished.preview:
            self._report_played(finished, reason)
        completed = reason is EndReason.FINISHED
        skip = reason is not EndReason.FINISHED
        if finished is not None and finished.preview:
            # Ending a preview (切歌 or its natural end) hands over to the songs queued
            # meanwhile; the preview itself is no queue entry, so nothing is skipped.
            if not self.queue.upcoming or not (self.autoplay or reason is EndReason.SKIPPED):
                self._set_now(None)
                return None
            completed, skip = True, False
        # Each failing song is skipped once; the bound stops a RepeatPlaylist of dead links.
        for _ in range(len(self.queue) + 1):
            entry = self.queue.advance(completed=completed, skip=skip)
            self._emit(SessionEventKind.QUEUE)
            if entry is None:
                break
            try:
                source = await self._resolve(entry.item, MediaRequest(clip=self._clip_mode))
            except KtvError as exc:
                self._report(exc)
                self._unplayable(entry.item, exc)
                completed, skip = False, True
                continue
            except Exception as exc:  # a provider bug must not stop the party
                log.exception("resolving %s failed", entry.item.key)
                self._report(PlaybackError(f"resolve failed: {exc!r}", code="resolve"))
                completed, skip = False, True
                continue
            self._prepare(NowPlaying(entry.entry_id, entry.item, source))
            return source
        self._set_now(None)
        return None

    def _unplayable(self, song: Song, error: BaseException) -> None:
        if self.on_unplayable is not None:
            try:
                self.on_unplayable(song, error)
            except Exception:
                log.exception("unplayable hook failed")

    def _report_played(self, finished: NowPlaying, reason: EndReason) -> None:
        """Tell a provider that wants play reports (rights holders count plays), in the
        background: a slow or failing report never holds up the next song."""
        provider = self.providers.get(finished.song.provider)
        if not isinstance(provider, PlaybackReporter) or reason is EndReason.STOPPED:
            return
        listened_ms = self.listened_ms(finished=reason is EndReason.FINISHED)
        if reason is EndReason.FAILED and listened_ms == 0:
            return  # never heard: not a play
        report = _quietly(
            provider.report_played(
                finished.song,
                url=finished.source.url,
                listened_ms=listened_ms,
                completed=reason is not EndReason.SKIPPED,  # a failure is no user's skip
                play_mode=self.queue.mode,
            ),
            finished.song.key,
        )
        try:
            self._tasks.spawn(report, name="session-play-report")
        except RuntimeError:  # shutting down
            report.close()

    def _start(self, now: NowPlaying, engine: PlaybackEngine) -> None:
        self._prepare(now)
        engine.load(now.source)
        self._apply_vocal_for(now.source)

    def _prepare(self, now: NowPlaying) -> None:
        """Everything a song needs before the engine opens it; the engine loads it next."""
        engine = self.engine
        if engine is not None:
            # Key and tempo are per song in a KTV room: each song starts as recorded.
            engine.set_key(0)
            engine.set_tempo(1.0)
            self._key, self._tempo = 0, 1.0
            remembered = self.singers.key_for(now.entry_id, now.song.key)
            if remembered is not None:
                try:  # this singer's key for this song, last time
                    engine.set_key(remembered)
                    self._key = remembered
                except KtvError as exc:
                    log.warning("remembered key %s not applied: %s", remembered, exc.detail)
        self._set_now(now)
        if engine is not None:
            # After the engine loaded the source (same loop turn), not before: the
            # engine checks the vocal mode against the media it holds.
            asyncio.get_running_loop().call_soon(self._apply_vocal_for, now.source)

    def _apply_vocal_for(self, source: MediaSource) -> None:
        engine = self.engine
        if engine is None or engine.source is not source:
            return
        wanted = (
            VocalMode.ACCOMPANIMENT
            if source.layout is VocalLayout.ACCOMPANIMENT_ONLY
            else self._preferred_vocal
        )
        if engine.vocal is not wanted:
            engine.set_vocal(wanted)
            self._emit(SessionEventKind.SETTINGS)

    def _set_now(self, now: NowPlaying | None) -> None:
        self._generation += 1
        self._now = now
        self._lyrics = None
        self._emit(SessionEventKind.NOW_PLAYING)
        self._emit(SessionEventKind.LYRICS)
        self._emit(SessionEventKind.SETTINGS)
        if now is not None:
            self._tasks.spawn(self._load_lyrics(now.song, self._generation), name="session-lyrics")

    async def _load_lyrics(self, song: Song, generation: int) -> None:
        try:
            lyrics = await self._fetch_lyrics(song)
        except KtvError as exc:
            if generation == self._generation:
                self._report(exc)  # the song still plays, without lyrics
            return
        except Exception:
            log.exception("lyrics of %s failed", song.key)
            return
        if generation == self._generation:
            self._lyrics = lyrics
            self._emit(SessionEventKind.LYRICS)

    async def _recover_source(self, stale: MediaSource) -> MediaSource:
        """The engine's resolver: the current song's media again, with a fresh link."""
        now = self._now
        if now is None:
            raise PlaybackError("nothing to recover", code="no_current")
        clip = stale.clip is not None
        if self._freshness is not None:
            # Not `resolve`: that hands back the cached link the stream just refused.
            request = replace(self._freshness.request, clip=clip)
            fresh = await self._freshness.recovery_resolver(now.song, request)(stale)
        else:
            fresh = await self._resolve(now.song, MediaRequest(clip=clip))
        self._now = NowPlaying(now.entry_id, now.song, fresh, now.preview)
        return fresh

    # ---- engine reports ------------------------------------------------------------

    def _on_engine(self, event: PlaybackEvent) -> None:
        if event.kind is EventKind.STATE:
            self._emit(SessionEventKind.STATE)
        elif event.kind is EventKind.POSITION:
            self._emit(SessionEventKind.POSITION)
        elif event.kind is EventKind.ERROR and event.error is not None and not event.will_retry:
            # A failure the engine gives up on arrives twice in one turn: the raw cause,
            # then the summary with the user message. Report once, the last word.
            first = self._engine_error is None
            self._engine_error = event.error
            if self._failure is None:
                self._failure = event.error  # the cause, not the "moved on" summary
            if first:
                asyncio.get_running_loop().call_soon(self._flush_engine_error)

    def _flush_engine_error(self) -> None:
        error, self._engine_error = self._engine_error, None
        if error is not None:
            self._report(error)

    def _require_engine(self) -> PlaybackEngine | None:
        if self.engine is None and not self.engine_pending:
            self._report(PlaybackError("no playback engine", user_message=_NO_PLAYER, code="no_engine"))
        return self.engine

    # ---- lifetime ------------------------------------------------------------------

    async def aclose(self) -> None:
        await self._tasks.aclose()
        if self.engine is not None:
            await self.engine.aclose()


async def _quietly(report: Coroutine[Any, Any, None], key: str) -> None:
    try:
        await report
    except KtvError as exc:
        log.warning("play report for %s failed: %s", key, exc.detail)


__all__ = [
    "DEFAULT_SONG_MS",
    "KEY_RANGE",
    "TEMPO_MAX",
    "TEMPO_MIN",
    "FetchLyrics",
    "KaraokeSession",
    "MediaFreshness",
    "NowPlaying",
    "Resolve",
    "SessionEvent",
    "SessionEventKind",
]
