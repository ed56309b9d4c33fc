"""The composition root: builds the core services once and hands them to the UI.

No Qt here: the same object serves the GUI, the kiosk shell and the tests, and it is the
one place that decides which implementation of each service the app runs with.
"""

from __future__ import annotations

import asyncio
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
from ktvdesk.language import pick_language
from ktvdesk.models import Song
from ktvdesk.tasks import TaskRegistry

if TYPE_CHECKING:
    from ktvdesk.catalog.base import CatalogProvider
    from ktvdesk.catalog.local import LocalLibraryProvider
    from ktvdesk.catalog.local.index import ScanReport
    from ktvdesk.catalog.venue import VenueRoom
    from ktvdesk.playback import EndReason, VocalMode
    from ktvdesk.playback.sound_effects import SoundEffects
    from ktvdesk.queue_mirror import QueueMirror
    from ktvdesk.refresh import RefreshScheduler
    from ktvdesk.refresh.media import FreshMedia
    from ktvdesk.remote.server import RemoteServer
    from ktvdesk.session import KaraokeSession
    from ktvdesk.storage import QueueSnapshot, UserDatabase
    from ktvdesk.storage.service import UserDataService
    from ktvdesk.venue.room import RoomAgent

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
    (add/remove/contains/keys), so issue 10 swaps the in-memory placeholder for the database."""

    def add(self, song: Song) -> bool: ...

    def remove(self, ref: Song | str) -> bool: ...

    def contains(self, ref: Song | str) -> bool: ...

    def keys(self) -> set[str]:
        """Every favourite's song key (a list marks its rows from one read)."""
        ...


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

    def keys(self) -> set[str]:
        return set(self._songs)

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
    # Everything each disabled cloud still needs (the switcher's tooltip lists it all).
    provider_missing: dict[str, list[str]] = field(default_factory=dict)
    active_provider: str = "local"
    session: KaraokeSession | None = None
    # Keeps every queued song's links (and Yinsuda PlayTokens) alive; the session plugs it in.
    refresh: RefreshScheduler | None = None
    fresh_media: FreshMedia | None = None
    library: LocalLibraryProvider | None = None
    library_roots: list[Path] = field(default_factory=list)
    demo_root: Path | None = None  # the bundled demo library among `library_roots`
    extra_library_dirs: list[Path] = field(default_factory=list)  # `--library DIR` of this run
    config_path: Path | None = None  # the config.toml the Settings page writes back
    scan_report: ScanReport | None = None  # the last library scan (the Settings page shows it)
    # The database's favorites once `user_db` is open; in memory without it.
    favorites: FavoritesHook = field(default_factory=MemoryFavorites)
    # The user's songs (favorites, history, my playlists, the queue); None when the file
    # cannot be opened (the app still runs, it only forgets).
    user_db: UserDatabase | None = None
    # The same database behind its one writer thread: what the views and the hooks use,
    # so no read or write of it runs on the GUI thread.
    user_data: UserDataService | None = None
    queue_mirror: QueueMirror | None = None  # tonight's queue, saved on every change
    remote: RemoteServer | None = None  # the phone remote (--remote), bound by `open_remote`
    room_agent: RoomAgent | None = None  # a venue room terminal (--venue/--room)
    # What the previous run left in the queue, until restored or declined.
    saved_queue: QueueSnapshot | None = None
    device: DevicePrefs = field(default_factory=DevicePrefs)
    device_path: Path | None = None
    demo_cloud: Any = None  # the in-process cloudsim handle of --demo-cloud
    backend: Any = None  # the VlcBackend, closed last
    sound_effects: SoundEffects | None = None  # 气氛 sounds over the song (a second player)
    library_listeners: list[Callable[[], None]] = field(default_factory=list)
    # Told when the staged start's second step is done (`start_engine`, `check_keyring`).
    started_listeners: list[Callable[[], None]] = field(default_factory=list)
    aout: str | None = None  # libVLC's audio output ("dummy" in tests)
    # Worker threads of `asyncio.to_thread` (library scans and queries): drained before the
    # library's SQLite connections are closed, which must never happen under a running query.
    executor: ThreadPoolExecutor | None = None
    closed: bool = False

    async def start(self) -> None:
        """Background start-up work: index the library folders (the demo on first start).

        Unchanged files cost one stat each, so this runs at every start; the window is
        already interactive and refreshes its views when the scan reports back.
        """
        if self.library is None or self.closed:
            return
        try:
            # Folders removed from the settings (and an old install's demo) leave first.
            pruned, report = await self.library.prune_and_scan(self.library_roots, demo=self.demo_root)
        except KtvError as exc:
            log.warning("library scan failed: %s", exc.detail)
            return
        except Exception:
            if self.closed:  # shut down under the scan (a signal at start-up): nothing to report
                log.info("library scan stopped by the shutdown")
                return
            raise
        if pruned:
            log.info("library: %d songs under no configured folder removed", pruned)
        log.info("library scanned: %s", report)
        self.scan_report = report
        for listener in list(self.library_listeners):
            listener()

    async def start_engine(self) -> None:
        """The staged start's second step: libVLC starts (a plugin scan, ~150 ms of CPU) on a
        worker thread once the window shows. Songs queued meanwhile play as soon as it is up."""
        session = self.session
        if session is None or session.engine is not None or self.closed:
            return

        def start() -> tuple[VlcStatus, Any]:
            status = probe_vlc_status()
            return status, _open_backend(status, aout=self.aout, video=False)

        try:
            self.vlc, backend = await asyncio.to_thread(start)
        finally:
            session.engine_pending = False
        if self.closed:  # shut down meanwhile: the player is not needed any more
            if backend is not None and not isinstance(backend, KtvError):
                backend.close()
            return
        if isinstance(backend, KtvError):
            self.vlc = VlcStatus(False, backend.detail)
        elif backend is not None:
            session.attach_backend(backend)
            _configure_engine(self, backend)
        self._tell_started()

    async def check_keyring(self) -> None:
        """The staged start's keyring look-up (its backend detection scans every installed
        package's entry points): what each cloud still needs, secrets included, for the
        catalog switcher's tooltips."""
        from ktvdesk.cloud_requirements import missing_settings

        names = list(self.provider_missing)

        def look_up() -> dict[str, list[str]]:
            return {name: missing_settings(name, self.settings) for name in names}

        self.provider_missing.update(await asyncio.to_thread(look_up))
        self._tell_started()

    def _tell_started(self) -> None:
        for listener in list(self.started_listeners):
            listener()

    async def rescan_library(
        self, *, progress: Callable[[int, int], None] | None = None
    ) -> ScanReport | None:
        """The Settings page's rescan, after its folders changed: the roots follow the
        settings (folders, demo switch), songs under no folder leave, each folder is
        scanned in turn (`progress(done, total)` after each). Listeners hear the end."""
        from ktvdesk.catalog.local import bundled_demo_dir
        from ktvdesk.catalog.local.index import ScanReport

        if self.library is None:
            return None
        library = self.settings.library
        demo = bundled_demo_dir() if library.include_demo else None
        roots = [Path(p) for p in library.folders] + self.extra_library_dirs + ([demo] if demo else [])
        self.library_roots, self.demo_root = roots, demo
        self.library.roots = roots
        await self.library.prune(roots, demo=demo)
        reports: list[ScanReport] = []
        for done, root in enumerate(roots, start=1):
            reports.append(await self.library.scan([root]))
            if progress is not None:
                progress(done, len(roots))
        self.scan_report = ScanReport(
            added=sum(r.added for r in reports),
            updated=sum(r.updated for r in reports),
            unchanged=sum(r.unchanged for r in reports),
            removed=sum(r.removed for r in reports),
            skipped=tuple(item for r in reports for item in r.skipped),
            unplayable=tuple(item for r in reports for item in r.unplayable),
        )
        for listener in list(self.library_listeners):
            listener()
        return self.scan_report

    def restore_queue(self, accept: bool = True) -> list[Song]:
        """The one queue restore ("continue where we left off"): the kiosk calls it at
        start-up with `accept=True`, the desktop with the user's answer to its question.

        Returns the songs queued (playback starts by itself; see `QueueMirror.restore`
        for where they go and when the song that was on resumes). Declined, the stored
        queue is replaced by tonight's (empty, or what was queued before the answer).
        """
        snapshot, self.saved_queue = self.saved_queue, None
        if snapshot is None or self.user_db is None or self.session is None:
            return []
        mirror = self._mirror_queue()
        if not accept:
            mirror.save()
            return []
        return mirror.restore(snapshot)

    def _mirror_queue(self) -> QueueMirror:
        """Start saving the queue on every change. With a stored queue waiting for its
        restore question this starts only once it is answered: a song queued before the
        answer must not overwrite what the user may still want back."""
        from ktvdesk.queue_mirror import QueueMirror

        assert self.user_db is not None and self.session is not None
        if self.queue_mirror is None:
            self.queue_mirror = QueueMirror(self.session, self.user_db.queue, write=self._write_user_data)
        return self.queue_mirror

    def record_play(self, song: Song, reason: EndReason, vocal: VocalMode) -> None:
        """The session's `on_song_finished`, the one place a play is recorded: a history
        row (most-sung, recently-sung, the kiosk's charts) and, for a local song that was
        sung, the library's play count that search ranks by. Measured now, before the
        next song opens; written on the user-data thread."""
        from ktvdesk.playback import EndReason
        from ktvdesk.storage import PlayOutcome
        from ktvdesk.storage.history import counts_as_sung

        session = self.session
        if session is None:
            return
        listened_ms = session.listened_ms(finished=reason is EndReason.FINISHED)
        if reason is EndReason.FAILED and listened_ms == 0:
            return  # never heard: not a play
        outcome = PlayOutcome.COMPLETED if reason is EndReason.FINISHED else PlayOutcome.SKIPPED
        db = self.user_db
        library = self.library if self.library is not None and song.provider == self.library.name else None

        def write() -> None:
            if db is not None:
                with db.transaction():  # one commit for both
                    db.history.record(
                        song, listened_ms=listened_ms, outcome=outcome, vocal_mode=str(vocal.value)
                    )
                    if listened_ms > 0:
                        db.songs.mark_available(song)  # it played: whatever flagged it is over
            if library is not None and counts_as_sung(outcome, listened_ms):
                library.index.record_play(song.id)

        self._write_user_data(write, f"play of {song.key}")

    def _write_user_data(self, job: Callable[[], object], what: str) -> None:
        """On the user-data writer thread (in order, errors logged); inline without it."""
        if self.user_data is not None and not self.user_data.closed:
            self.user_data.submit(lambda _db: job(), what=what)
            return
        try:
            job()
        except (KtvError, ValueError) as exc:
            log.error("%s failed: %s", what, exc)

    def mark_unplayable(self, song: Song, error: BaseException) -> None:
        """A song that could not be resolved stays in every list, flagged with the reason."""
        db = self.user_db
        if db is not None:
            self._write_user_data(lambda: db.songs.mark_unresolvable(song, error), f"flag of {song.key}")

    def open_remote(
        self, *, host: str | None, port: int | None, url_file: Path | None, kiosk: bool
    ) -> RemoteServer:
        """Bind the phone remote (a `ConfigError` says why not); `remote.start()` serves it.
        In kiosk mode phones see the kiosk's catalogs and its volume ceiling."""
        from ktvdesk.remote.setup import create_remote

        assert self.session is not None
        self.remote = create_remote(
            self.session,
            self.settings.remote,
            host=host,
            port=port,
            url_file=url_file,
            providers=self.settings.kiosk.providers if kiosk else None,
            volume_max=self.settings.kiosk.volume_max if kiosk else 100,
        )
        return self.remote

    def save_device_prefs(self) -> None:
        if self.device_path is not None:
            self.device.save(self.device_path)

    async def aclose(self) -> None:
        if self.closed:
            return
        self.closed = True
        await self.tasks.aclose()
        if self.remote is not None:
            await self.remote.aclose()  # phones first: nothing may reach a closing session
        if self.room_agent is not None:
            await self.room_agent.stop()
        if self.session is not None:
            self.save_device_prefs()
            await self.session.aclose()
        if self.fresh_media is not None:
            await self.fresh_media.aclose()
        if self.refresh is not None:
            await self.refresh.aclose()
        if self.queue_mirror is not None:
            self.queue_mirror.close()
        if self.user_data is not None:
            await self.user_data.aclose()  # after the queued writes; closes the database
        elif self.user_db is not None:
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
        if self.sound_effects is not None:
            self.sound_effects.close()
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


def probe_vlc_status() -> VlcStatus:
    from ktvdesk.playback.vlc_backend import probe_vlc

    available, reason = probe_vlc(start=False)  # the backend's own start-up is the real test
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
    venue: VenueRoom | None = None,
    staged: bool = False,
) -> AppServices:
    """Everything the app runs with. Call with the (qasync) event loop installed.

    `video` asks libVLC to decode video (only when a stage window shows it); `aout`
    picks libVLC's audio output ("dummy" in tests). `staged` leaves libVLC and the
    keyring for `start_engine` and `check_keyring`, once the window shows.
    """
    for problem in loaded.problems:
        log.warning("config: %s", problem)
    settings = loaded.settings
    services = AppServices(
        settings=settings,
        language=pick_language(lang, settings.language),
        vlc=VlcStatus(True, "libVLC starting") if staged else probe_vlc_status(),
        config_problems=list(loaded.problems),
        config_path=loaded.path,
        aout=aout,
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
    _add_clouds(services, sim_endpoint, use_keyring=not staged)
    if venue is not None:
        _add_venue(services, venue)
    wanted = "venue" if venue is not None else provider or settings.provider
    services.active_provider = wanted if wanted in services.providers else "local"
    if wanted not in services.providers:
        log.warning("provider %s is not available: using the local library", wanted)
    services.session = _build_session(services, video=video, loop=loop, staged=staged)
    if venue is not None:
        _start_room_agent(services)
    _keep_links_fresh(services)
    if services.backend is not None:
        _configure_engine(services, services.backend)
    open_user_data(services)
    return services


def _add_venue(services: AppServices, room: VenueRoom) -> None:
    """A room terminal: the venue's shared library is this kiosk's catalog (its songs are
    copied to the room's cache ahead of time, so the room sings on without the server)."""
    from ktvdesk.catalog.venue import VenueProvider

    services.providers["venue"] = VenueProvider(room, paths.cache_dir() / "venue" / room.room)
    kiosk = services.settings.kiosk.model_copy(update={"providers": ["venue"]})
    services.settings = services.settings.model_copy(update={"kiosk": kiosk})


def _start_room_agent(services: AppServices) -> None:
    from ktvdesk.catalog.venue import VenueProvider
    from ktvdesk.venue.room import RoomAgent

    venue, session = services.providers["venue"], services.session
    assert isinstance(venue, VenueProvider) and session is not None
    services.room_agent = RoomAgent(
        session,
        venue,
        data_dir=paths.data_dir() / "venue" / venue.room.room,
        singer_of=session.singers.singer_of,
    )


def _play_room_sounds(services: AppServices) -> None:
    """气氛 from a phone or the kiosk: a second libVLC player, made on the first sound."""
    from ktvdesk.playback.sound_effects import SoundEffects
    from ktvdesk.session import SessionEvent, SessionEventKind

    session = services.session
    if session is None or services.backend is None:
        return
    aout = services.aout

    def make_backend() -> Any:
        from ktvdesk.playback.vlc_backend import VlcBackend

        return VlcBackend(aout=aout)

    effects = SoundEffects(make_backend, paths.resources_dir() / "sounds")
    services.sound_effects = effects

    def on_session(event: SessionEvent) -> None:
        if event.kind is SessionEventKind.CHEER and event.detail:
            effects.play(event.detail)

    session.subscribe(on_session)


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
    from ktvdesk.storage.service import ServiceFavorites, UserDataService

    try:
        db = UserDatabase(paths.data_dir() / DEFAULT_FILE_NAME)
    except KtvError as exc:
        log.error("user data unavailable (favorites and history are kept for this run only): %s", exc.detail)
        return
    user_data = UserDataService(db)
    try:
        # On the writer thread, which owns the database from now on (no loop runs yet).
        saved = user_data.run_blocking(lambda db: db.queue.load())
    except KtvError as exc:
        log.error("user data unavailable (favorites and history are kept for this run only): %s", exc.detail)
        user_data.close()
        return
    services.user_db = db
    services.user_data = user_data
    services.favorites = db.favorites
    services.saved_queue = saved if saved.entries else None
    if services.session is not None:
        services.session.on_unplayable = services.mark_unplayable
        services.session.favorites = ServiceFavorites(user_data)  # the phones' stars
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
    services.demo_root = demo if demo is not None and demo in roots else None
    services.extra_library_dirs = [Path(p) for p in library_dirs]
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


def _add_clouds(services: AppServices, sim_endpoint: str | None, *, use_keyring: bool = True) -> None:
    from ktvdesk.cloud_requirements import missing_settings

    settings = services.settings
    for name in PROVIDER_NAMES[1:]:
        missing = _not_configured(name, settings, sim_endpoint)
        if missing is not None:
            services.provider_problems[name] = missing
            services.provider_missing[name] = missing_settings(name, settings, use_keyring=use_keyring)
            continue
        try:
            services.providers[name] = _open_cloud(name, settings, sim_endpoint)
        except KtvError as exc:
            services.provider_problems[name] = exc
            services.provider_missing[name] = missing_settings(name, settings)
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


def _open_backend(status: VlcStatus, *, aout: str | None, video: bool) -> Any:
    """libVLC's instance and player; None without libVLC, the error when it refused to start."""
    if not status.available:
        return None
    from ktvdesk.playback.vlc_backend import VlcBackend

    try:
        return VlcBackend(aout=aout, video=video)
    except KtvError as exc:
        log.error("playback disabled: %s", exc.detail)
        return exc


def _configure_engine(services: AppServices, backend: Any) -> None:
    """What the player needs from the settings once the session has it."""
    services.backend = backend
    session = services.session
    if session is None or session.engine is None:
        return
    session.engine.set_normalize(services.settings.playback.normalize)
    session.engine.set_network_caching_ms(services.settings.playback.network_caching_ms)
    if services.device.audio_device is not None:
        session.set_audio_device(services.device.audio_device)  # chosen on the Settings page
    _play_room_sounds(services)


def _build_session(
    services: AppServices, *, video: bool, loop: asyncio.AbstractEventLoop | None, staged: bool
) -> KaraokeSession:
    from ktvdesk.session import KaraokeSession

    backend = None if staged else _open_backend(services.vlc, aout=services.aout, video=video)
    if isinstance(backend, KtvError):
        services.vlc, backend = VlcStatus(False, backend.detail), None
    services.backend = backend
    device = services.device
    session = KaraokeSession(
        services.providers,
        backend,
        # This device's calibration wins; the config's offset is the default before one.
        lyric_offset_ms=(
            device.lyric_offset_ms
            if device.lyric_offset_ms is not None
            else services.settings.playback.lyric_offset_ms
        ),
        volume=device.volume if device.volume is not None else services.settings.playback.volume,
        clip_mode=device.clip_mode,
        on_song_finished=services.record_play,
        loop=loop or asyncio.get_event_loop(),
    )
    session.engine_pending = staged
    return session
