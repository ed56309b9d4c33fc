"""The composition root: builds the core services once and hands them to the UI.

No Qt here: the same object serves the GUI, the kiosk shell and the tests, and it is the
one place that decides which implementation of each service the app runs with.
"""

from __future__ import annotations

import asyncio
import locale
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ktvdesk import paths
from ktvdesk.config import LoadedSettings, Settings
from ktvdesk.device_prefs import FILE_NAME as DEVICE_PREFS_FILE
from ktvdesk.device_prefs import DevicePrefs
from ktvdesk.errors import ConfigError, KtvError, UserMessage
from ktvdesk.models import Song
from ktvdesk.tasks import TaskRegistry

if TYPE_CHECKING:
    from ktvdesk.catalog.base import CatalogProvider
    from ktvdesk.catalog.local import LocalLibraryProvider
    from ktvdesk.kiosk.queue_mirror import QueueMirror
    from ktvdesk.playback import EndReason, VocalMode
    from ktvdesk.refresh import RefreshScheduler
    from ktvdesk.refresh.media import FreshMedia
    from ktvdesk.session import KaraokeSession
    from ktvdesk.storage import QueueSnapshot, UserDatabase

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class VlcStatus:
    available: bool
    reason: str


PROVIDER_NAMES = ("local", "yinsuda", "xiaowei", "zego")
LIBRARY_DB = "library.sqlite3"
DEMO_APP_NAME = "ktvdesk-demo"
DEMO_USER_ID = "demo-user"


class FavoritesHook(Protocol):
    """What the views need from favorites; `ktvdesk.storage.Favorites` has the same calls
    (add/remove/contains), so issue 10 swaps the in-memory placeholder for the database."""

    def add(self, song: Song) -> bool: ...

    def remove(self, ref: Song | str) -> bool: ...

    def contains(self, ref: Song | str) -> bool: ...


class MemoryFavorites:
    """Placeholder until the persistent store is wired in: favorites for this run only."""

    def __init__(self) -> None:
        self._songs: dict[str, Song] = {}

    def add(self, song: Song) -> bool:
        added = song.key not in self._songs
        self._songs[song.key] = song
        return added

    def remove(self, ref: Song | str) -> bool:
        return self._songs.pop(ref if isinstance(ref, str) else ref.key, None) is not None

    def contains(self, ref: Song | str) -> bool:
        return (ref if isinstance(ref, str) else ref.key) in self._songs

    def songs(self) -> list[Song]:
        return list(reversed(self._songs.values()))


@dataclass(slots=True)
class AppServices:
    settings: Settings
    language: str
    vlc: VlcStatus
    config_problems: list[str] = field(default_factory=list)
    tasks: TaskRegistry = field(default_factory=TaskRegistry)
    providers: dict[str, CatalogProvider] = field(default_factory=dict)
    # Providers that are not enabled, with why (shown as the switcher's tooltip).
    provider_problems: dict[str, KtvError] = field(default_factory=dict)
    active_provider: str = "local"
    session: KaraokeSession | None = None
    # Keeps every queued song's links (and Yinsuda PlayTokens) alive; the session plugs it in.
    refresh: RefreshScheduler | None = None
    fresh_media: FreshMedia | None = None
    library: LocalLibraryProvider | None = None
    library_roots: list[Path] = field(default_factory=list)
    # The database's favorites once `user_db` is open; in memory without it.
    favorites: FavoritesHook = field(default_factory=MemoryFavorites)
    # The user's songs (favorites, history, my playlists, the queue); None when the file
    # cannot be opened (the app still runs, it only forgets).
    user_db: UserDatabase | None = None
    queue_mirror: QueueMirror | None = None  # tonight's queue, saved on every change
    # What the previous run left in the queue, until restored or declined.
    saved_queue: QueueSnapshot | None = None
    device: DevicePrefs = field(default_factory=DevicePrefs)
    device_path: Path | None = None
    demo_cloud: Any = None  # the in-process cloudsim handle of --demo-cloud
    backend: Any = None  # the VlcBackend, closed last
    library_listeners: list[Callable[[], None]] = field(default_factory=list)
    # Worker threads of `asyncio.to_thread` (library scans and queries): drained before the
    # library's SQLite connections are closed, which must never happen under a running query.
    executor: ThreadPoolExecutor | None = None
    closed: bool = False

    async def start(self) -> None:
        """Background start-up work: index the library folders (the demo on first start).

        Unchanged files cost one stat each, so this runs at every start; the window is
        already interactive and refreshes its views when the scan reports back.
        """
        if self.library is None or not self.library_roots:
            return
        try:
            report = await self.library.scan(self.library_roots)
        except KtvError as exc:
            log.warning("library scan failed: %s", exc.detail)
            return
        log.info("library scanned: %s", report)
        for listener in list(self.library_listeners):
            listener()

    def restore_queue(
        self, *, prompt: bool = False, ask: Callable[[QueueSnapshot], bool] | None = None
    ) -> list[Song]:
        """Queue again what the previous run left ("continue where we left off").

        Kiosk: `restore_queue(prompt=False)` restores without asking. Desktop: `prompt=True`
        with `ask(snapshot)` answering the question; a "no" forgets the stored queue.
        Returns the songs queued (playback starts by itself, the song that was on resumes
        near where it stopped).
        """
        snapshot, self.saved_queue = self.saved_queue, None
        if snapshot is None or self.user_db is None or self.session is None:
            return []
        if prompt and (ask is None or not ask(snapshot)):
            self._mirror_queue()
            if not self.session.upcoming and self.session.now_playing is None:
                self.user_db.queue.clear()  # declined: tonight starts empty
            return []
        mirror = self._mirror_queue()
        session = self.session
        if session.now_playing is None and not session.upcoming:
            return mirror.restore()  # resumes the song that was on where it stopped
        # Songs were queued before the answer: add the saved ones after them (no resume
        # position: another song is on).
        start = snapshot.current_index or 0
        songs = list(snapshot.songs[start:])
        for song in songs:
            session.enqueue(song)
        return songs

    def _mirror_queue(self) -> QueueMirror:
        """Start saving the queue on every change. With a stored queue waiting for its
        restore question this starts only once it is answered: a song queued before the
        answer must not overwrite what the user may still want back."""
        from ktvdesk.kiosk.queue_mirror import QueueMirror

        assert self.user_db is not None and self.session is not None
        if self.queue_mirror is None:
            # History comes from `record_play` (the session's end reason), not the mirror.
            self.queue_mirror = QueueMirror(self.session, self.user_db.queue, history=None)
        return self.queue_mirror

    def record_play(self, song: Song, reason: EndReason, vocal: VocalMode) -> None:
        """The session's `on_song_finished`: one history row per queued song that ended."""
        from ktvdesk.playback import EndReason
        from ktvdesk.storage import PlayOutcome

        db, session = self.user_db, self.session
        if db is None or session is None:
            return
        listened_ms = session.listened_ms(finished=reason is EndReason.FINISHED)
        if reason is EndReason.FAILED and listened_ms == 0:
            return  # never heard: not a play
        outcome = PlayOutcome.COMPLETED if reason is EndReason.FINISHED else PlayOutcome.SKIPPED
        try:
            with db.transaction():  # one commit for both
                db.history.record(song, listened_ms=listened_ms, outcome=outcome, vocal_mode=str(vocal.value))
                if listened_ms > 0:
                    db.songs.mark_available(song)  # it played: whatever flagged it is over
        except KtvError as exc:
            log.error("play of %s not recorded: %s", song.key, exc.detail)

    def mark_unplayable(self, song: Song, error: BaseException) -> None:
        """A song that could not be resolved stays in every list, flagged with the reason."""
        if self.user_db is None:
            return
        try:
            self.user_db.songs.mark_unresolvable(song, error)
        except KtvError as exc:
            log.error("could not flag %s: %s", song.key, exc.detail)

    def link_refresh_table(self) -> str:
        """The scheduled link refreshes with times to expiry (links redacted): the debug view."""
        return self.fresh_media.debug_table() if self.fresh_media is not None else ""

    def save_device_prefs(self) -> None:
        if self.device_path is not None:
            self.device.save(self.device_path)

    async def aclose(self) -> None:
        if self.closed:
            return
        self.closed = True
        await self.tasks.aclose()
        if self.session is not None:
            self.save_device_prefs()
            await self.session.aclose()
        if self.fresh_media is not None:
            await self.fresh_media.aclose()
        if self.refresh is not None:
            await self.refresh.aclose()
        if self.queue_mirror is not None:
            self.queue_mirror.close()
        if self.user_db is not None:
            self.user_db.close()
        clouds = [p for p in self.providers.values() if p is not self.library]
        for provider in clouds:
            await _close_quietly(provider)
        if self.demo_cloud is not None:
            await asyncio.to_thread(self.demo_cloud.stop)
        if self.executor is not None:
            # A cancelled task does not stop its worker thread: wait for the threads.
            await _drain(self.executor)
        if self.library is not None:
            await _close_quietly(self.library)
        if self.backend is not None:
            self.backend.close()


async def _close_quietly(provider: CatalogProvider) -> None:
    try:
        await provider.aclose()
    except Exception:
        log.exception("closing provider %s failed", provider.name)


async def _drain(executor: ThreadPoolExecutor) -> None:
    """Shut the executor down and wait for its running jobs without blocking the loop."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def finish() -> None:
        if not done.done():
            done.set_result(None)

    def shutdown() -> None:
        executor.shutdown(wait=True)
        loop.call_soon_threadsafe(finish)

    threading.Thread(target=shutdown, name="executor-drain", daemon=True).start()
    await done


def pick_language(requested: str | None, configured: str | None) -> str:
    """`--lang`, then the config file, then the system locale; Chinese locales get zh_CN."""
    choice = requested or configured
    if choice:
        return choice
    system = (locale.getlocale()[0] or "").lower()
    return "zh_CN" if system.startswith("zh") else "en"


def probe_vlc_status() -> VlcStatus:
    from ktvdesk.playback.vlc_backend import probe_vlc

    available, reason = probe_vlc()
    if not available:
        log.warning("playback disabled: %s", reason)
    return VlcStatus(available, reason)


def build_services(
    loaded: LoadedSettings,
    *,
    lang: str | None = None,
    provider: str | None = None,
    library_dirs: Sequence[str | Path] = (),
    demo_cloud: bool = False,
    video: bool = False,
    aout: str | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
) -> AppServices:
    """Everything the app runs with. Call with the (qasync) event loop installed.

    `video` asks libVLC to decode video (only when a stage window shows it); `aout`
    picks libVLC's audio output ("dummy" in tests).
    """
    for problem in loaded.problems:
        log.warning("config: %s", problem)
    settings = loaded.settings
    services = AppServices(
        settings=settings,
        language=pick_language(lang, settings.language),
        vlc=probe_vlc_status(),
        config_problems=list(loaded.problems),
    )
    loop = loop or asyncio.get_event_loop()
    services.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ktvdesk-io")
    loop.set_default_executor(services.executor)
    services.device_path = paths.data_dir() / DEVICE_PREFS_FILE
    services.device = DevicePrefs.load(services.device_path)
    _add_local(services, library_dirs)
    sim_endpoint = None
    if demo_cloud:
        from ktvdesk.cloudsim import start_in_thread

        services.demo_cloud = start_in_thread()
        sim_endpoint = services.demo_cloud.base_url
        log.info("demo cloud (cloudsim) at %s", sim_endpoint)
    _add_clouds(services, sim_endpoint)
    wanted = provider or settings.provider
    services.active_provider = wanted if wanted in services.providers else "local"
    if wanted not in services.providers:
        log.warning("provider %s is not available: using the local library", wanted)
    services.session = _build_session(services, video=video, aout=aout, loop=loop)
    _keep_links_fresh(services)
    open_user_data(services)
    return services


def _keep_links_fresh(services: AppServices) -> None:
    """One `RefreshScheduler` + `FreshMedia` over the enabled providers, plugged into the
    session: prefetch of the next song, links refreshed ahead of expiry, a fresh link for
    recovery and for a resume after a long pause."""
    from ktvdesk.refresh import RefreshScheduler
    from ktvdesk.refresh.media import FreshMedia, TokenSource, play_token_source
    from ktvdesk.session import SessionEvent, SessionEventKind

    session = services.session
    if session is None:
        return
    scheduler = RefreshScheduler()
    tokens: dict[str, TokenSource] = {}
    if "yinsuda" in services.providers:
        tokens["yinsuda"] = play_token_source(services.providers["yinsuda"])
    fresh = FreshMedia(services.providers, scheduler, tokens=tokens)
    services.refresh, services.fresh_media = scheduler, fresh
    session.use_freshness(fresh)

    started = False

    def on_session(event: SessionEvent) -> None:
        nonlocal started
        if event.kind is not SessionEventKind.QUEUE and event.kind is not SessionEventKind.NOW_PLAYING:
            return
        # The scheduler's loop is a task: started with the first queued song, from inside
        # the running event loop (nothing is worth refreshing before that).
        if not started and not services.closed and _loop_running():
            scheduler.start()
            started = True
        if event.kind is SessionEventKind.NOW_PLAYING:
            fresh.log_schedule(logging.INFO)

    session.subscribe(on_session)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def open_user_data(services: AppServices) -> None:
    """The user's database in the data dir: favorites, history, playlists, the queue."""
    from ktvdesk.storage import DEFAULT_FILE_NAME, UserDatabase

    try:
        db = UserDatabase(paths.data_dir() / DEFAULT_FILE_NAME)
        saved = db.queue.load()
    except KtvError as exc:
        log.error("user data unavailable (favorites and history are kept for this run only): %s", exc.detail)
        return
    services.user_db = db
    services.favorites = db.favorites
    services.saved_queue = saved if saved.entries else None
    if services.session is not None:
        services.session.on_unplayable = services.mark_unplayable
        if services.saved_queue is None:
            services._mirror_queue()


def _add_local(services: AppServices, library_dirs: Sequence[str | Path]) -> None:
    from ktvdesk.catalog.local import LocalLibraryProvider, bundled_demo_dir

    roots = [Path(p) for p in services.settings.library.folders] + [Path(p) for p in library_dirs]
    demo = bundled_demo_dir()
    if services.settings.library.include_demo and demo is not None:
        roots.append(demo)
    elif demo is None:
        log.info("no bundled demo library found")
    try:
        library = LocalLibraryProvider(paths.data_dir() / LIBRARY_DB, roots=roots)
    except KtvError as exc:
        services.provider_problems["local"] = exc
        log.error("local library unavailable: %s", exc.detail)
        return
    services.library = library
    services.library_roots = roots
    services.providers["local"] = library


# The one setting each cloud cannot work without and that never lives in the keyring: when
# neither the config file nor the environment has it, the provider's modules (and their
# HTTP stack) are not even imported. Start-up pays only for the clouds that are set up.
_IDENTITY = {"yinsuda": "app_name", "xiaowei": "device_id", "zego": "app_id"}


def _not_configured(name: str, settings: Settings, sim_endpoint: str | None) -> ConfigError | None:
    if name == "yinsuda" and sim_endpoint is not None:
        return None
    key = _IDENTITY[name]
    if getattr(getattr(settings, name), key, None) or os.environ.get(f"KTVDESK_{name.upper()}_{key.upper()}"):
        return None
    return ConfigError(
        f"{name}: no {key} in the config file or KTVDESK_{name.upper()}_{key.upper()}",
        user_message=UserMessage(
            f"未配置这个云曲库（缺少 {key}）。", f"This cloud catalog is not configured (no {key})."
        ),
        code="not_configured",
    )


def _add_clouds(services: AppServices, sim_endpoint: str | None) -> None:
    settings = services.settings
    for name in PROVIDER_NAMES[1:]:
        missing = _not_configured(name, settings, sim_endpoint)
        if missing is not None:
            services.provider_problems[name] = missing
            continue
        try:
            services.providers[name] = _open_cloud(name, settings, sim_endpoint)
        except KtvError as exc:
            services.provider_problems[name] = exc
            log.info("provider %s not enabled: %s", name, exc.detail)


def _open_cloud(name: str, settings: Settings, sim_endpoint: str | None) -> CatalogProvider:
    """The provider, or the ConfigError saying what is missing. Settings are read before
    the provider module is imported: an unconfigured cloud costs no HTTP stack at start-up."""
    if name == "yinsuda":
        from ktvdesk.catalog.yinsuda.settings import load_yinsuda_settings

        section = settings.yinsuda
        if sim_endpoint is not None:
            from ktvdesk.cloudsim.server import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

            yinsuda = load_yinsuda_settings(
                {},
                endpoint=sim_endpoint,
                use_keyring=False,
                secret_id=DEFAULT_SECRET_ID,
                secret_key=DEFAULT_SECRET_KEY,
                app_name=section.app_name or DEMO_APP_NAME,
                user_id=section.user_id or DEMO_USER_ID,
            )
        else:
            yinsuda = load_yinsuda_settings(
                endpoint=section.endpoint,
                app_name=section.app_name,
                user_id=section.user_id,
                play_scene=section.play_scene,
                room_id=section.room_id,
            )
        from ktvdesk.catalog.yinsuda.provider import YinsudaProvider

        provider: CatalogProvider = YinsudaProvider(yinsuda)
        return provider
    if name == "xiaowei":
        from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings

        xiaowei = load_xiaowei_settings(section=settings.xiaowei)
        from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider

        return XiaoweiProvider(xiaowei)  # type: ignore[no-any-return]
    from ktvdesk.catalog.zego.settings import load_zego_settings

    zego = load_zego_settings(section=settings.zego)
    from ktvdesk.catalog.zego.provider import ZegoProvider

    return ZegoProvider(zego)  # type: ignore[no-any-return]


def _build_session(
    services: AppServices, *, video: bool, aout: str | None, loop: asyncio.AbstractEventLoop | None
) -> KaraokeSession:
    from ktvdesk.session import KaraokeSession

    backend = None
    if services.vlc.available:
        from ktvdesk.playback.vlc_backend import VlcBackend

        try:
            backend = VlcBackend(aout=aout, video=video)
        except KtvError as exc:
            log.error("playback disabled: %s", exc.detail)
            services.vlc = VlcStatus(False, exc.detail)
    services.backend = backend
    device = services.device
    session = KaraokeSession(
        services.providers,
        backend,
        lyric_offset_ms=device.lyric_offset_ms,
        volume=device.volume if device.volume is not None else services.settings.playback.volume,
        clip_mode=device.clip_mode,
        on_song_finished=services.record_play,
        loop=loop or asyncio.get_event_loop(),
    )
    if session.engine is not None:
        session.engine.set_normalize(services.settings.playback.normalize)
    return session
