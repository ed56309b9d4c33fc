"""`FreshMedia`: every queued song's media link (and token) kept alive by the scheduler.

The seam between the catalog providers and whoever plays songs (the session, the `play`
CLI, the soak test). It wraps any `CatalogProvider.resolve_media` in `RefreshScheduler`
registrations keyed by song, driven by the queue:

- `on_queue_changed(current, upcoming)` applies `PrefetchPolicy`: the song playing and the
  next one are resolved (media *and* lyrics) ahead, so "next" starts at once; a few more are
  kept fresh once resolved; everything further down is left alone until it comes near, and
  songs that left the queue are released (their refreshes cancelled).
- `resolve(song)` hands out the current link, refreshed first when it is about to die.
- `recovery_resolver(song)` is the engine's resolver: a stream error means the link is
  broken, so it forces an out-of-band refresh (`scheduler.invalidate`) and returns the new one.
- `resume(engine, song)` resumes a paused song, on a fresh link when the old one expired
  (or is about to) during the pause, at the same position, through the engine's recovery.

This is the one place media links are kept: providers hand out a fresh link on every
`resolve_media` call (their caches hold only song details, rights and tokens), so a
refresh asks the provider again and gets a new link.

A singer waiting for a song must not see a network blip: `resolve` and the recovery resolver
keep retrying retryable failures for up to `patience_ms` (the engine gives up after a few
quick attempts, which a 15-second outage would exhaust). Non-retryable errors (no rights,
unknown song) surface at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, cast

from ktvdesk.catalog.base import CatalogProvider, MediaRequest
from ktvdesk.clock import SYSTEM_CLOCK, SleepMs, ms_between
from ktvdesk.errors import KtvError, ProviderError, UserMessage
from ktvdesk.models import MediaSource, Song
from ktvdesk.refresh.prefetch import PrefetchPolicy
from ktvdesk.refresh.scheduler import EntrySnapshot, Priority, Refreshed, RefreshScheduler, format_entries

if TYPE_CHECKING:
    from ktvdesk.lyrics import Lyrics
    from ktvdesk.playback import PlaybackEngine

log = logging.getLogger(__name__)

# A source without an expiry (a local file) is registered as valid this long: it never
# comes due in practice, and one code path serves every provider.
STATIC_LIFETIME = timedelta(days=1)

Resolver = Callable[[MediaSource], Awaitable[MediaSource]]
LyricsFetch = Callable[[Song], Awaitable["Lyrics | None"]]

_NO_PROVIDER = UserMessage("这首歌所在的曲库未启用。", "The catalog this song comes from is not enabled.")


class TokenSource(Protocol):
    """A per-song token that expires apart from the media link (Yinsuda's PlayToken)."""

    async def __call__(self, song: Song) -> Refreshed[str] | None: ...


class _DetailWithToken(Protocol):
    play_token: str | None
    play_token_expires_at: datetime | None


class _DetailProvider(Protocol):
    async def detail(self, song_id: str, *, fresh: bool = False) -> _DetailWithToken: ...


def play_token_source(provider: object) -> TokenSource:
    """Yinsuda-style PlayTokens: `provider.detail(id, fresh=True)` carries the token and its expiry.

    The token is only usable by Tencent's native SDK, but whoever holds it (a chorus, the
    robot) needs it alive, so it is kept fresh for the song playing and the next one.
    """
    detailed = cast(_DetailProvider, provider)

    async def fetch(song: Song) -> Refreshed[str] | None:
        info = await detailed.detail(song.id, fresh=True)
        if not info.play_token or info.play_token_expires_at is None:
            return None
        return Refreshed(info.play_token, info.play_token_expires_at)

    return fetch


def media_key(song: Song, request: MediaRequest | None = None) -> str:
    request = request or MediaRequest()
    suffix = ("|clip" if request.clip else "") + ("|vip" if request.vip else "")
    return f"media:{song.key}{suffix}"


def token_key(song: Song) -> str:
    return f"token:{song.key}"


class FreshMedia:
    def __init__(
        self,
        providers: Mapping[str, CatalogProvider],
        scheduler: RefreshScheduler,
        *,
        prefetch: PrefetchPolicy | None = None,
        request: MediaRequest | None = None,
        tokens: Mapping[str, TokenSource] | None = None,
        lyrics: bool = True,
        resume_margin_ms: int = 5_000,
        patience_ms: int = 30_000,
        retry_ms: int = 500,
        sleep: SleepMs | None = None,
    ) -> None:
        self.providers = dict(providers)
        self.scheduler = scheduler
        self.prefetch = prefetch or PrefetchPolicy()
        self.request = request or MediaRequest()
        self._tokens = dict(tokens or {})
        self._want_lyrics = lyrics
        self.resume_margin_ms = resume_margin_ms
        self.patience_ms = patience_ms
        self.retry_ms = retry_ms
        self._sleep: SleepMs = sleep or SYSTEM_CLOCK.sleep_ms
        self._songs: dict[str, Song] = {}  # registered media key → its song
        self._lyrics: dict[str, asyncio.Task[Lyrics | None]] = {}  # song.key → fetch
        self.resolves = 0  # provider calls, for tests and the soak summary
        self.fresh_resumes = 0

    # -- the API the session / CLI plug in ----------------------------------------------------

    async def resolve(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        """The song's media with at least `serve_margin_ms` of life left (refreshed if not).

        Matches the session's `resolve` seam: `KaraokeSession(resolve=fresh.resolve)`.
        """
        key = self._ensure(song, request, Priority.PLAYING)
        return await self._patiently(key, invalidate=False)

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        """Lyrics, from the prefetch when there was one (`KaraokeSession(fetch_lyrics=…)`)."""
        task = self._lyrics.get(song.key)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = self._start_lyrics(song)
        return await asyncio.shield(task)

    def recovery_resolver(self, song: Song, request: MediaRequest | None = None) -> Resolver:
        """The engine's resolver for `song`: an out-of-band refresh, then the fresh link."""

        async def resolver(stale: MediaSource) -> MediaSource:
            wanted = request or MediaRequest(clip=stale.clip is not None, vip=self.request.vip)
            key = self._ensure(song, wanted, Priority.PLAYING)
            log.info("recovering %s: refreshing its link out of band", song.key)
            return await self._patiently(key, invalidate=True)

        return resolver

    async def fresh_for_resume(
        self, song: Song, current: MediaSource, request: MediaRequest | None = None
    ) -> MediaSource | None:
        """A fresh link for a paused song whose own link will not outlive `resume_margin_ms`.

        None when the current link is fine (or is a local file). The paused song's entry is
        PLAYING, so the scheduler kept it fresh during the pause: usually no request at all.
        """
        if not current.is_network or current.expires_at is None:
            return None
        if ms_between(self.scheduler.clock.now(), current.expires_at) > self.resume_margin_ms:
            return None
        wanted = request or MediaRequest(clip=current.clip is not None, vip=self.request.vip)
        key = self._ensure(song, wanted, Priority.PLAYING)
        fresh = await self._patiently(key, invalidate=False, min_valid_ms=self.resume_margin_ms)
        return None if fresh.url == current.url else fresh

    async def resume(self, engine: PlaybackEngine, song: Song, request: MediaRequest | None = None) -> bool:
        """Resume a paused song; on a fresh link when its own one will not outlive the margin.

        Returns True when the link was replaced. The swap goes through the engine's recovery
        (`PlaybackEngine.resume_on`): same position, the lyric clock holds until caught up.
        """
        current = engine.source
        fresh = None if current is None else await self.fresh_for_resume(song, current, request)
        if fresh is None:
            engine.resume()
            return False
        self.fresh_resumes += 1
        log.info(
            "resuming %s on a fresh link (the old one expires within %d ms)", song.key, self.resume_margin_ms
        )
        engine.resume_on(fresh)
        return True

    def on_queue_changed(self, current: Song | None, upcoming: Sequence[Song]) -> None:
        """The queue changed (a song started, was added, moved or removed): re-plan the work."""
        songs: dict[str, Song] = {}
        current_key = None
        if current is not None:
            current_key = media_key(current, self.request)
            songs[current_key] = current
        upcoming_keys: list[str] = []
        for song in upcoming:
            key = media_key(song, self.request)
            songs.setdefault(key, song)
            upcoming_keys.append(key)
        resolved = [key for key in self._songs if key in self.scheduler]
        plan = self.prefetch.plan(current_key, upcoming_keys, resolved)
        for key in plan.release:
            self._release(key)
        for key, priority in plan.keep_fresh.items():
            song = songs[key]
            if key in self.scheduler:
                self.scheduler.set_priority(key, priority)
            else:
                self._register(key, song, self.request, priority)
            if priority <= Priority.NEXT:
                if self._want_lyrics and song.key not in self._lyrics:
                    self._start_lyrics(song)
                self._keep_token(song, priority)
        wanted_tokens = {token_key(songs[k]) for k, p in plan.keep_fresh.items() if p <= Priority.NEXT}
        registered = self.scheduler.keys()
        for key in [k for k in registered if k.startswith("token:") and k not in wanted_tokens]:
            self.scheduler.unregister(key)
        live = {song.key for song in songs.values()}
        for song_key in [k for k in self._lyrics if k not in live]:
            self._lyrics.pop(song_key).cancel()

    # -- observability -------------------------------------------------------------------------

    def entries(self) -> list[EntrySnapshot]:
        return self.scheduler.entries()

    def debug_table(self) -> str:
        """Scheduled refreshes, times to expiry, redacted links: for logs and the debug view."""
        return format_entries(self.scheduler.entries())

    def log_schedule(self, level: int = logging.DEBUG) -> None:
        if log.isEnabledFor(level):
            log.log(level, "scheduled refreshes:\n%s", self.debug_table())

    async def aclose(self) -> None:
        for task in self._lyrics.values():
            task.cancel()
        self._lyrics.clear()
        for key in list(self._songs):
            self._release(key)

    # -- internals -----------------------------------------------------------------------------

    def _provider(self, song: Song) -> CatalogProvider:
        provider = self.providers.get(song.provider)
        if provider is None:
            raise ProviderError(
                f"provider {song.provider!r} is not configured", user_message=_NO_PROVIDER, code="no_provider"
            )
        return provider

    def _ensure(self, song: Song, request: MediaRequest | None, priority: Priority) -> str:
        request = request or self.request
        key = media_key(song, request)
        if key in self.scheduler:
            self.scheduler.set_priority(key, priority)
        else:
            self._register(key, song, request, priority)
        return key

    def _register(self, key: str, song: Song, request: MediaRequest, priority: Priority) -> None:
        provider = self._provider(song)

        async def refresh() -> Refreshed[MediaSource]:
            self.resolves += 1
            source = await provider.resolve_media(song, request)
            expires = source.expires_at or self.scheduler.clock.now() + STATIC_LIFETIME
            return Refreshed(source, expires)

        self._songs[key] = song
        self.scheduler.register(key, refresh, priority=priority, describe=_describe)
        log.debug("media %s registered (%s)", key, priority.name)

    def _release(self, key: str) -> None:
        self._songs.pop(key, None)
        self.scheduler.unregister(key)

    def _keep_token(self, song: Song, priority: Priority) -> None:
        source = self._tokens.get(song.provider)
        if source is None:
            return
        key = token_key(song)
        if key in self.scheduler:
            self.scheduler.set_priority(key, priority)
            return

        async def refresh() -> Refreshed[str]:
            token = await source(song)
            if token is None:  # this song has no token: keep the entry quiet for a day
                return Refreshed("", self.scheduler.clock.now() + STATIC_LIFETIME)
            return token

        self.scheduler.register(key, refresh, priority=priority, describe=lambda _: "token")

    def _start_lyrics(self, song: Song) -> asyncio.Task[Lyrics | None]:
        provider = self._provider(song)
        task = asyncio.get_running_loop().create_task(
            self._lyrics_patiently(provider, song), name=f"lyrics:{song.key}"
        )
        task.add_done_callback(_lyrics_done)
        self._lyrics[song.key] = task
        return task

    async def _lyrics_patiently(self, provider: CatalogProvider, song: Song) -> Lyrics | None:
        deadline = self.scheduler.clock.monotonic_ms() + self.patience_ms
        while True:
            try:
                return await provider.fetch_lyrics(song)
            except KtvError as exc:
                left = deadline - self.scheduler.clock.monotonic_ms()
                if not exc.retryable or left <= 0:
                    raise
                await self._sleep(min(self.retry_ms, left))

    async def _patiently(self, key: str, *, invalidate: bool, min_valid_ms: int | None = None) -> MediaSource:
        """The value for `key`, retrying retryable failures for up to `patience_ms`."""
        clock = self.scheduler.clock
        deadline = clock.monotonic_ms() + self.patience_ms
        attempt = 0
        while True:
            attempt += 1
            try:
                if invalidate:
                    value = await self.scheduler.invalidate(key)
                else:
                    value = await self.scheduler.get(key, min_valid_ms=min_valid_ms)
                return cast(MediaSource, value)
            except KtvError as exc:
                left = deadline - clock.monotonic_ms()
                if not exc.retryable or key not in self.scheduler or left <= 0:
                    raise
                log.info(
                    "media %s unavailable (attempt %d, %s); retrying", key, attempt, exc.code or exc.detail
                )
                await self._sleep(min(self.retry_ms, left))


def _lyrics_done(task: asyncio.Task[Lyrics | None]) -> None:
    # A prefetch may fail before anybody awaits it: whoever asks later gets a new attempt.
    if not task.cancelled() and task.exception() is not None:
        log.info("lyrics prefetch %s failed: %s", task.get_name(), task.exception())


def _describe(source: MediaSource) -> str:
    return source.url
