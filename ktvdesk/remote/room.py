"""The room as the phones see it: guests, limits, the host's rules, and the session.

Every phone action lands here and becomes one call on `KaraokeSession`; the room adds
only what a shared remote needs on top: who may do what, how often, and whose songs are
whose. State goes out as one snapshot per change (`state_text`), coalesced over
`FLUSH_DELAY_S`, to every connected phone through the `EventHub`.

Two threads (see `bridge`): the room's own bookkeeping (guests, rate limits, caches, the
hub, JSON) lives on the server's loop; the session, the catalogs and `_owners` (which
follows the session's entries) are touched only on the session's loop, through
`self.bridge`. Methods say which side they run on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol, TypeVar, runtime_checkable

from ktvdesk.catalog.base import CatalogProvider
from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.remote import errors as msg
from ktvdesk.remote.auth import Guest, RoomKey
from ktvdesk.remote.bridge import LoopBridge
from ktvdesk.remote.errors import RemoteError, formatted
from ktvdesk.remote.events import EventHub
from ktvdesk.remote.limits import Limit, RateLimiter, RemoteLimits
from ktvdesk.remote.policy import RemotePolicy
from ktvdesk.remote.views import Action, FavoriteBody, QueueBody, song_view
from ktvdesk.session import KaraokeSession, SessionEvent, SessionEventKind
from ktvdesk.session_singers import clean_singer, singer_id

log = logging.getLogger(__name__)
T = TypeVar("T")

SEARCH_TIMEOUT_S = 8.0
SEARCH_LIMIT = 30
FAVORITES_SHOWN = 100
FLUSH_DELAY_S = 0.05
STATE_TTL_MS = 500
SONG_CACHE = 5000
SEARCH_CACHE_MS = 10_000  # a catalog answer is reused this long (errors never are)
SEARCH_CACHE_SIZE = 256  # songs the phones have seen in results: queued without another lookup
_PUBLISHED = {
    SessionEventKind.QUEUE,
    SessionEventKind.NOW_PLAYING,
    SessionEventKind.STATE,
    SessionEventKind.SETTINGS,
}


@runtime_checkable
class _HasCharts(Protocol):
    """A catalog with its own "most sung" list (the local library); not in the protocol."""

    def charts(self, *, limit: int = 20) -> Awaitable[list[Song]]: ...


def _seconds(ms: int) -> int:
    return max(1, -(-ms // 1000))


def _now_ms() -> int:
    return time.monotonic_ns() // 1_000_000


class RemoteRoom:
    def __init__(
        self,
        session: KaraokeSession,
        *,
        providers: Iterable[str] | None = None,
        policy: RemotePolicy | None = None,
        limits: RemoteLimits | None = None,
        clock: Callable[[], int] | None = None,
    ) -> None:
        self.session = session
        self.bridge = LoopBridge()
        self.key = RoomKey()
        self.policy = policy or RemotePolicy()
        self.limits = limits or RemoteLimits()
        allowed = set(providers) if providers is not None else None
        self._providers = allowed
        self.hub = EventHub()

        def limiter(limit: Limit) -> RateLimiter:
            return RateLimiter(limit, clock) if clock is not None else RateLimiter(limit)

        self._requests = limiter(self.limits.requests)
        self._joins = limiter(self.limits.joins)
        self._songs = limiter(self.limits.songs)
        self._favorites = limiter(self.limits.favorites)
        self._cheers = limiter(self.limits.cheers)
        self._room_cheers = limiter(self.limits.room_cheers)
        # Session side: entry id → guest id (follows the session's entries).
        self._owners: dict[int, str] = {}
        # Server side from here on.
        self._seen: OrderedDict[str, Song] = OrderedDict()
        self._searches: OrderedDict[tuple[str, str, str | None], tuple[int, dict[str, Any]]] = OrderedDict()
        self._revision = 0
        self._changes = 0  # session changes heard; a cached snapshot older than this is stale
        self._flush_pending = False
        self._flush_lock: asyncio.Lock | None = None
        self._text: str | None = None
        self._text_key = (-1, -1)
        self._text_at_ms = 0
        self._building: tuple[tuple[int, int], asyncio.Future[str]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.on_reset: list[Callable[[], None]] = []
        self._unsubscribe = session.subscribe(self._on_session)

    # ---- guests (server side) ----------------------------------------------------------

    def join(self, token: str, singer: str, address: str) -> Guest:
        self._limit(self._joins, f"join:{address}", msg.TOO_MANY)
        if not clean_singer(singer):
            raise RemoteError(422, "bad_singer", msg.BAD_FIELDS)
        guest = self.key.join(token, singer)
        log.info("remote: a phone joined as %r (%d signed in)", guest.singer, len(self.key))
        return guest

    def guest(self, credential: str | None) -> Guest:
        guest = self.key.guest(credential)
        self._limit(self._requests, guest.guest_id, msg.TOO_MANY)
        return guest

    def reset(self) -> None:
        """New guests (session side: the dialog, the kiosk admin): a new QR token; every
        phone signed in so far is refused from now on."""
        self.key.rotate()
        self._owners.clear()
        self._on_server(lambda: self.hub.close_all(reason="room reset"))
        log.info("remote: room reset, new token")
        for listener in list(self.on_reset):
            listener()

    # ---- catalog (server side; the catalogs run on the session's loop) -----------------

    @property
    def provider_names(self) -> list[str]:
        names = list(self.session.providers)  # one C-level copy: safe beside the session's thread
        return [n for n in names if self._providers is None or n in self._providers]

    def _provider(self, name: str) -> CatalogProvider:
        if name not in self.provider_names:
            raise RemoteError(404, "unknown_provider", msg.UNKNOWN_PROVIDER)
        return self.session.providers[name]

    async def _catalog(self, call: Awaitable[T]) -> T:
        async def bounded() -> T:
            return await asyncio.wait_for(call, SEARCH_TIMEOUT_S)

        return await self.bridge.run(bounded())

    async def search(self, query: str, provider: str | None, cursor: str | None) -> dict[str, Any]:
        names = [provider] if provider else self.provider_names
        for name in names:
            self._provider(name)
        pages = await asyncio.gather(
            *(self._search_one(name, query, cursor if provider else None) for name in names)
        )
        return {"results": pages}

    async def _search_one(self, name: str, query: str, cursor: str | None) -> dict[str, Any]:
        # Fifty phones type the same few hits: one catalog query serves them for a while.
        key = (name, query.casefold(), cursor)
        now_ms = _now_ms()
        cached = self._searches.get(key)
        if cached is not None and now_ms - cached[0] < SEARCH_CACHE_MS:
            return cached[1]
        try:
            page = await self._catalog(self._provider(name).search(query, cursor=cursor, limit=SEARCH_LIMIT))
        except (KtvError, TimeoutError) as exc:
            detail = exc.detail if isinstance(exc, KtvError) else "timed out"
            log.warning("remote search in %s failed: %s", name, detail)
            message = exc.user_message if isinstance(exc, KtvError) else msg.SEARCH_FAILED
            return {"provider": name, "items": [], "cursor": None, "error": _message(message)}
        self._remember(page.items)
        result = {"provider": name, "items": [song_view(s) for s in page.items], "cursor": page.cursor}
        self._searches.pop(key, None)
        self._searches[key] = (now_ms, result)
        while len(self._searches) > SEARCH_CACHE_SIZE:
            self._searches.popitem(last=False)
        return result

    async def tags(self, provider: str) -> dict[str, Any]:
        groups = await self._catalog(self._provider(provider).tags())
        return {
            "provider": provider,
            "groups": [
                {"id": g.id, "name": g.name, "tags": [{"id": t.id, "name": t.name} for t in g.tags]}
                for g in groups
            ],
        }

    async def tag_songs(self, provider: str, tag_id: str, cursor: str | None) -> dict[str, Any]:
        catalog = self._provider(provider)
        page = await self._catalog(catalog.songs_by_tag(tag_id, cursor=cursor, limit=SEARCH_LIMIT))
        return self._songs_view(provider, page.items, page.cursor)

    async def charts(self, provider: str) -> dict[str, Any]:
        """The catalog's most sung songs (the local library counts every song sung)."""
        catalog = self._provider(provider)
        if not isinstance(catalog, _HasCharts):
            raise RemoteError(404, "no_charts", msg.NO_CHARTS)
        songs = await self._catalog(catalog.charts(limit=SEARCH_LIMIT))
        return self._songs_view(provider, songs, None)

    def _songs_view(self, provider: str, songs: Iterable[Song], cursor: str | None) -> dict[str, Any]:
        songs = list(songs)
        self._remember(songs)
        return {"provider": provider, "items": [song_view(s) for s in songs], "cursor": cursor}

    def _remember(self, songs: Iterable[Song]) -> None:
        for song in songs:
            self._seen.pop(song.key, None)
            self._seen[song.key] = song
        while len(self._seen) > SONG_CACHE:
            self._seen.popitem(last=False)

    async def _song(self, provider: str, song_id: str) -> Song:
        catalog = self._provider(provider)
        cached = self._seen.get(f"{provider}:{song_id}")
        if cached is not None:
            return cached
        try:
            details = await self._catalog(catalog.details([song_id]))
        except (KtvError, TimeoutError) as exc:
            raise RemoteError(404, "unknown_song", msg.UNKNOWN_SONG) from exc
        for detail in details:
            if detail.song.id == song_id:
                self._remember([detail.song])
                return detail.song
        raise RemoteError(404, "unknown_song", msg.UNKNOWN_SONG)

    # ---- favourites (the host's; stored off the session's thread by the session) -------

    async def favorites(self) -> dict[str, Any]:
        songs = await self.bridge.run(self._favorite_songs())
        visible = [s for s in songs if s.provider in self.provider_names]
        self._remember(visible)
        return {"items": [song_view(s) for s in visible]}

    async def _favorite_songs(self) -> list[Song]:
        return await self.session.favorite_songs(limit=FAVORITES_SHOWN)

    async def favorite(self, guest: Guest, body: FavoriteBody) -> bool:
        """Star a song in the host's favourites; True when it was not one yet."""
        song = await self._song(body.provider, body.song_id)
        self._limit(self._favorites, f"favorite:{guest.guest_id}", msg.TOO_MANY)
        added: bool = await self.bridge.run(self.session.add_favorite(song))
        log.info("remote: %r starred %s", guest.singer, song.key)
        return added

    # ---- queue -------------------------------------------------------------------------

    async def enqueue(self, guest: Guest, body: QueueBody) -> int:
        if body.priority and not self.policy.allow_priority:
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)
        singer = clean_singer(body.singer or guest.singer) or guest.singer
        song = await self._song(body.provider, body.song_id)
        limit = self.limits.songs
        for key in (f"guest:{guest.guest_id}", f"singer:{singer_id(singer)}"):
            wait_ms = self._songs.check(key)
            if wait_ms:
                raise RemoteError(
                    429,
                    "too_many_songs",
                    formatted(msg.TOO_MANY_SONGS, n=limit.count, s=_seconds(wait_ms)),
                    retry_after_ms=wait_ms,
                )

        def add() -> int:  # session side: the entry and its owner in one step
            entry_id = self.session.enqueue_for(song, singer)
            self._owners[entry_id] = guest.guest_id
            if body.priority:
                self.session.move_to_top(entry_id)
            return entry_id

        entry_id = await self.bridge.call(add)
        log.info("remote: %r queued %s", singer, song.key)
        return entry_id

    async def top(self, guest: Guest, entry_id: int) -> None:
        if not self.policy.allow_priority:
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)

        def top() -> None:
            self._own(guest, entry_id)
            self.session.move_to_top(entry_id)

        await self.bridge.call(top)

    async def remove(self, guest: Guest, entry_id: int) -> None:
        def remove() -> None:
            self._own(guest, entry_id)
            self.session.remove(entry_id)
            self._owners.pop(entry_id, None)

        await self.bridge.call(remove)

    def _own(self, guest: Guest, entry_id: int) -> None:
        """Session side: 404 gone, 403 someone else's."""
        if entry_id not in {e.entry_id for e in self.session.upcoming}:
            raise RemoteError(404, "unknown_entry", msg.UNKNOWN_ENTRY)
        if self._owners.get(entry_id) != guest.guest_id:
            raise RemoteError(403, "not_yours", msg.NOT_YOURS)

    # ---- playing -----------------------------------------------------------------------

    async def control(self, action: Action) -> None:
        policy = self.policy
        if (action == "skip" and not policy.allow_skip) or (action == "restart" and not policy.allow_restart):
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)
        await self.bridge.run(self._control(action))

    async def _control(self, action: Action) -> None:
        session, policy = self.session, self.policy
        if not session.can_play:
            raise RemoteError(409, "no_player", msg.NO_PLAYER)
        if action == "play_pause":
            await session.toggle_play()
        elif action == "vocal":
            session.toggle_vocal()
        elif action in ("key_up", "key_down"):
            session.shift_key(1 if action == "key_up" else -1)
        elif action == "key_reset":
            session.set_key(0)
        elif action in ("volume_up", "volume_down"):
            step = policy.volume_step if action == "volume_up" else -policy.volume_step
            session.set_volume(max(0, min(policy.volume_max, session.volume + step)))
        elif action == "skip":
            await session.next()
        else:
            session.restart()

    async def cheer(self, guest: Guest, sound: str) -> None:
        if not self.policy.allow_cheers:
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)
        for limiter, key in ((self._cheers, guest.guest_id), (self._room_cheers, "room")):
            wait_ms = limiter.check(key)
            if wait_ms:
                message = formatted(msg.TOO_MANY_CHEERS, s=_seconds(wait_ms))
                raise RemoteError(429, "too_many_cheers", message, retry_after_ms=wait_ms)
        await self.bridge.call(lambda: self.session.cheer(sound))
        self.hub.publish(json.dumps({"type": "cheer", "sound": sound, "singer": guest.singer}))

    # ---- state -------------------------------------------------------------------------

    def _snapshot(self) -> dict[str, Any]:
        """Session side: the room as plain data (no revision yet); cheap, no JSON."""
        session = self.session
        now = session.now_playing
        estimates = session.start_estimates_ms()
        upcoming = session.upcoming
        live = {e.entry_id for e in upcoming}
        for gone in [e for e in self._owners if e not in live]:
            del self._owners[gone]
        now_view = None
        if now is not None:
            now_view = {
                "entry_id": now.entry_id,
                "song": song_view(now.song),
                "singer": session.singers.singer_of(now.entry_id),
                "position_ms": session.position_ms(),
                "duration_ms": session.duration_ms(),
                "playing": session.is_playing,
                "preview": now.preview,
            }
        return {
            "type": "state",
            "revision": 0,
            "now": now_view,
            "queue": [
                {
                    "entry_id": e.entry_id,
                    "song": song_view(e.item),
                    "singer": session.singers.singer_of(e.entry_id),
                    "owner": self._owners.get(e.entry_id),
                    "starts_in_ms": estimates.get(e.entry_id),
                }
                for e in upcoming
            ],
            "vocal": str(session.vocal.value),
            "key": session.key,
            "volume": session.volume,
            "turn_order": str(session.singers.order.value),
            "policy": self.policy.as_json(),
        }

    def state(self) -> dict[str, Any]:
        """The room state now, for the session side (the dialog, tests)."""
        return {**self._snapshot(), "revision": self._revision}

    async def state_text(self) -> str:
        """The state as JSON (server side), built once per change (and refreshed for the
        start-time estimates every `STATE_TTL_MS`): fifty phones asking cost one snapshot
        on the session's loop and one serialisation here. Concurrent askers share it."""
        key = (self._changes, self._revision)
        if self._text is not None and self._text_key == key and _now_ms() - self._text_at_ms <= STATE_TTL_MS:
            return self._text
        if self._building is None or self._building[0] != key:
            future: asyncio.Future[str] = asyncio.ensure_future(self._build_text(key))
            self._building = (key, future)
        return await asyncio.shield(self._building[1])

    async def _build_text(self, key: tuple[int, int]) -> str:
        try:
            state = await self.bridge.call(self._snapshot)
        finally:
            if self._building is not None and self._building[0] == key:
                self._building = None
        state["revision"] = key[1]
        text = json.dumps(state, ensure_ascii=False)
        if key == (self._changes, self._revision):
            self._text, self._text_key, self._text_at_ms = text, key, _now_ms()
        return text

    def _on_session(self, event: SessionEvent) -> None:
        """Session side: one cheap hand-over per change; the work happens on the server."""
        if event.kind in _PUBLISHED:
            self._on_server(self._changed)

    def _on_server(self, callback: Callable[[], None]) -> None:
        if self.bridge.server_loop is None:
            callback()  # no server thread (yet): nobody else touches the server side
        else:
            self.bridge.to_server(callback)

    def _changed(self) -> None:
        self._changes += 1
        if self._flush_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # edits before the server runs are in the first snapshot anyway
        self._flush_pending = True
        # A burst of edits (a drag, ten phones queueing at once) goes out as one snapshot.
        loop.call_later(FLUSH_DELAY_S, self._start_flush)

    def _start_flush(self) -> None:
        self._flush_pending = False
        task = asyncio.get_running_loop().create_task(self._flush(), name="remote-flush")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        if not self.hub:
            return  # nobody listens (or no server yet): the next GET reads it fresh
        if self._flush_lock is None:
            self._flush_lock = asyncio.Lock()
        async with self._flush_lock:  # one at a time: revisions go out in order
            self._revision += 1
            try:
                text = await self.state_text()
            except Exception:  # the session's loop is closing: nothing left to tell
                log.debug("remote: state snapshot failed", exc_info=True)
                return
            self.hub.publish(text, snapshot=True)

    def settings_changed(self) -> None:
        """The host changed a rule (dialog, kiosk admin): the phones' buttons follow."""
        self._on_session(SessionEvent(SessionEventKind.SETTINGS))

    def close(self) -> None:
        """Session side, after the server stopped."""
        self._unsubscribe()
        self.hub.close_all(reason="server stopping")

    def _limit(self, limiter: RateLimiter, key: str, message: Any) -> None:
        wait_ms = limiter.check(key)
        if wait_ms:
            raise RemoteError(
                429, "rate_limited", formatted(message, s=_seconds(wait_ms)), retry_after_ms=wait_ms
            )


def _message(message: Any) -> dict[str, str]:
    return {"zh": message.zh, "en": message.en}


__all__ = ["Limit", "RemoteRoom"]
