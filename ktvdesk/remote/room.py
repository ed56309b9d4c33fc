"""The room on the app's side: the session, the host's rules, whose songs are whose.

Runs in the app's process on the session's (GUI) loop, and does only what needs the
session: each phone action that got through the remote's process (auth, rate limits,
validation: `front.RoomFront`) arrives here as one call (`calls`) and becomes one call on
`KaraokeSession`. The other way, the room publishes its state as one plain snapshot per
change (coalesced over `FLUSH_DELAY_S`; at once after a phone's own edit, before its
answer, so the phone's next `GET /api/queue` shows it), which the remote's process keeps,
serves to every `GET /api/queue` and fans out to every phone; so fifty phones cost the
app one snapshot per change, not one per phone.

The room's key (the QR code's token) is drawn here, where the QR code is shown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol, TypeVar, get_args, runtime_checkable

from ktvdesk.catalog.base import CatalogProvider
from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.remote import errors as msg
from ktvdesk.remote.auth import RoomKey
from ktvdesk.remote.errors import RemoteError
from ktvdesk.remote.limits import Limit, RemoteLimits
from ktvdesk.remote.policy import RemotePolicy
from ktvdesk.remote.views import Action, Sound, song_view
from ktvdesk.session import KaraokeSession, SessionEvent, SessionEventKind
from ktvdesk.session_singers import clean_singer

log = logging.getLogger(__name__)
T = TypeVar("T")
Args = dict[str, Any]

SEARCH_TIMEOUT_S = 8.0
SEARCH_LIMIT = 30
FAVORITES_SHOWN = 100
FLUSH_DELAY_S = 0.05
SONG_CACHE = 5000
_PUBLISHED = {
    SessionEventKind.QUEUE,
    SessionEventKind.NOW_PLAYING,
    SessionEventKind.STATE,
    SessionEventKind.SETTINGS,
}
_ACTIONS = frozenset(get_args(Action))
_SOUNDS = frozenset(get_args(Sound))


@runtime_checkable
class _HasCharts(Protocol):
    """A catalog with its own "most sung" list (the local library); not in the protocol."""

    def charts(self, *, limit: int = 20) -> Awaitable[list[Song]]: ...


def now_ms() -> int:
    """Monotonic ms, the same clock in both processes (the snapshot's `at_ms`)."""
    return time.monotonic_ns() // 1_000_000


class RemoteRoom:
    def __init__(
        self,
        session: KaraokeSession,
        *,
        providers: Iterable[str] | None = None,
        policy: RemotePolicy | None = None,
        limits: RemoteLimits | None = None,
    ) -> None:
        self.session = session
        self.key = RoomKey()
        self.policy = policy or RemotePolicy()
        self.limits = limits or RemoteLimits()  # applied by the remote's process
        self._providers = set(providers) if providers is not None else None
        self._owners: dict[int, str] = {}  # entry id → guest id (follows the session's entries)
        self._seen: OrderedDict[str, Song] = OrderedDict()  # songs the phones were shown
        self._revision = 0
        self._dirty = True
        self._flush: asyncio.TimerHandle | None = None
        self._send_state: Callable[[Args], None] | None = None
        self.on_reset: list[Callable[[], None]] = []
        self._unsubscribe = session.subscribe(self._on_session)

    # ---- the link to the remote's process ------------------------------------------------

    def attach(self, send_state: Callable[[Args], None]) -> None:
        """Publish every change through `send_state`, starting with the state now."""
        self._send_state = send_state
        self.publish(force=True)

    def detach(self) -> None:
        self._send_state = None
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None

    def calls(self) -> dict[str, Callable[[Args], Any]]:
        """What the remote's process may ask, by name: each takes the call's arguments."""
        return {
            "providers": lambda a: self.provider_names,
            "search": lambda a: self.search(str(a["q"]), _opt(a.get("provider")), _opt(a.get("cursor"))),
            "tags": lambda a: _catalog(self.tags(str(a["provider"]))),
            "tag_songs": lambda a: _catalog(
                self.tag_songs(str(a["provider"]), str(a["tag_id"]), _opt(a.get("cursor")))
            ),
            "charts": lambda a: _catalog(self.charts(str(a["provider"]))),
            "favorites": lambda a: self.favorites(),
            "favorite": lambda a: self.favorite(str(a["provider"]), str(a["song_id"]), _who(a)),
            "unfavorite": lambda a: self.unfavorite(str(a["provider"]), str(a["song_id"]), _who(a)),
            "enqueue": lambda a: self.enqueue(
                a["guest"], str(a["provider"]), str(a["song_id"]), str(a["singer"]), bool(a.get("priority"))
            ),
            "top": lambda a: self.top(a["guest"], int(a["entry_id"])),
            "remove": lambda a: self.remove(a["guest"], int(a["entry_id"])),
            "control": lambda a: self.control(str(a["action"])),
            "cheer": lambda a: self.cheer(str(a["sound"])),
        }

    # ---- guests ------------------------------------------------------------------------

    def reset(self) -> None:
        """New guests (the dialog, the kiosk admin): a new QR token; every phone signed in
        so far is refused from now on (the remote's process hears it at once)."""
        self.key.rotate()
        self._owners.clear()
        log.info("remote: room reset, new token")
        for listener in list(self.on_reset):
            listener()

    # ---- catalog -----------------------------------------------------------------------

    @property
    def provider_names(self) -> list[str]:
        return [n for n in self.session.providers if self._providers is None or n in self._providers]

    def _provider(self, name: str) -> CatalogProvider:
        if name not in self.provider_names:
            raise RemoteError(404, "unknown_provider", msg.UNKNOWN_PROVIDER)
        return self.session.providers[name]

    async def search(self, query: str, provider: str | None, cursor: str | None) -> Args:
        names = [provider] if provider else self.provider_names
        for name in names:
            self._provider(name)
        pages = await asyncio.gather(
            *(self._search_one(name, query, cursor if provider else None) for name in names)
        )
        return {"results": pages}

    async def _search_one(self, name: str, query: str, cursor: str | None) -> Args:
        try:
            page = await asyncio.wait_for(
                self._provider(name).search(query, cursor=cursor, limit=SEARCH_LIMIT), SEARCH_TIMEOUT_S
            )
        except (KtvError, TimeoutError) as exc:
            detail = exc.detail if isinstance(exc, KtvError) else "timed out"
            log.warning("remote search in %s failed: %s", name, detail)
            message = exc.user_message if isinstance(exc, KtvError) else msg.SEARCH_FAILED
            return {
                "provider": name,
                "items": [],
                "cursor": None,
                "error": {"zh": message.zh, "en": message.en},
            }
        return self._songs_view(name, page.items, page.cursor)

    async def tags(self, provider: str) -> Args:
        groups = await asyncio.wait_for(self._provider(provider).tags(), SEARCH_TIMEOUT_S)
        return {
            "provider": provider,
            "groups": [
                {"id": g.id, "name": g.name, "tags": [{"id": t.id, "name": t.name} for t in g.tags]}
                for g in groups
            ],
        }

    async def tag_songs(self, provider: str, tag_id: str, cursor: str | None) -> Args:
        catalog = self._provider(provider)
        page = await asyncio.wait_for(
            catalog.songs_by_tag(tag_id, cursor=cursor, limit=SEARCH_LIMIT), SEARCH_TIMEOUT_S
        )
        return self._songs_view(provider, page.items, page.cursor)

    async def charts(self, provider: str) -> Args:
        """The catalog's most sung songs (the local library counts every song sung)."""
        catalog = self._provider(provider)
        if not isinstance(catalog, _HasCharts):
            raise RemoteError(404, "no_charts", msg.NO_CHARTS)
        songs = await asyncio.wait_for(catalog.charts(limit=SEARCH_LIMIT), SEARCH_TIMEOUT_S)
        return self._songs_view(provider, songs, None)

    def _songs_view(self, provider: str, songs: Iterable[Song], cursor: str | None) -> Args:
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
            details = await asyncio.wait_for(catalog.details([song_id]), SEARCH_TIMEOUT_S)
        except (KtvError, TimeoutError) as exc:
            raise RemoteError(404, "unknown_song", msg.UNKNOWN_SONG) from exc
        for detail in details:
            if detail.song.id == song_id:
                self._remember([detail.song])
                return detail.song
        raise RemoteError(404, "unknown_song", msg.UNKNOWN_SONG)

    # ---- favourites (the host's; written by the user database's own thread) ------------

    async def favorites(self) -> Args:
        songs = await _user_data(self.session.favorite_songs(limit=FAVORITES_SHOWN))
        visible = [s for s in songs if s.provider in self.provider_names]
        self._remember(visible)
        return {"items": [song_view(s) for s in visible]}

    async def favorite(self, provider: str, song_id: str, who: str) -> bool:
        """Star a song in the host's favourites; True when it was not one yet."""
        song = await self._song(provider, song_id)
        added = await _user_data(self.session.add_favorite(song))
        log.info("remote: %r starred %s", who, song.key)
        return added

    async def unfavorite(self, provider: str, song_id: str, who: str) -> bool:
        """Un-star a song (by its key: it may have left the catalog); True when it was one."""
        self._provider(provider)
        key = f"{provider}:{song_id}"
        removed = await _user_data(self.session.remove_favorite(key))
        log.info("remote: %r un-starred %s", who, key)
        return removed

    # ---- queue -------------------------------------------------------------------------

    async def enqueue(self, guest_id: str, provider: str, song_id: str, singer: str, priority: bool) -> int:
        if priority and not self.policy.allow_priority:
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)
        song = await self._song(provider, song_id)
        name = clean_singer(singer) or "?"
        entry_id = self.session.enqueue_for(song, name)
        self._owners[entry_id] = str(guest_id)
        if priority:
            self.session.move_to_top(entry_id)
        self.publish()  # the phone that queued sees its song in the next GET /api/queue
        log.info("remote: %r queued %s", name, song.key)
        return entry_id

    def top(self, guest_id: str, entry_id: int) -> None:
        if not self.policy.allow_priority:
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)
        self._own(guest_id, entry_id)
        self.session.move_to_top(entry_id)
        self.publish()  # the answer carries the new order

    def remove(self, guest_id: str, entry_id: int) -> None:
        self._own(guest_id, entry_id)
        self.session.remove(entry_id)
        self._owners.pop(entry_id, None)
        self.publish()

    def _own(self, guest_id: str, entry_id: int) -> None:
        """404 gone, 403 someone else's."""
        if entry_id not in {e.entry_id for e in self.session.upcoming}:
            raise RemoteError(404, "unknown_entry", msg.UNKNOWN_ENTRY)
        if self._owners.get(entry_id) != guest_id:
            raise RemoteError(403, "not_yours", msg.NOT_YOURS)

    # ---- playing -----------------------------------------------------------------------

    async def control(self, action: str) -> None:
        policy, session = self.policy, self.session
        if action not in _ACTIONS:
            raise RemoteError(422, "bad_fields", msg.BAD_FIELDS)
        if (action == "skip" and not policy.allow_skip) or (action == "restart" and not policy.allow_restart):
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)
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
        self.publish()

    def cheer(self, sound: str) -> None:
        if not self.policy.allow_cheers:
            raise RemoteError(403, "not_allowed", msg.NOT_ALLOWED)
        if sound not in _SOUNDS:
            raise RemoteError(422, "bad_fields", msg.BAD_FIELDS)
        self.session.cheer(sound)

    # ---- state -------------------------------------------------------------------------

    def _snapshot(self) -> Args:
        """The room as plain data (no revision yet)."""
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

    def state(self) -> Args:
        """The room state now, with its revision (the dialog, tests, the published copy)."""
        return {**self._snapshot(), "revision": self._revision}

    @property
    def revision(self) -> int:
        return self._revision

    def publish(self, *, force: bool = False) -> None:
        """Send the state now if anything changed since the last one (or `force`)."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        if self._send_state is None or not (self._dirty or force):
            return
        self._dirty = False
        self._revision += 1
        self._send_state({**self.state(), "at_ms": now_ms()})

    def _on_session(self, event: SessionEvent) -> None:
        if event.kind in _PUBLISHED:
            self.changed()

    def changed(self) -> None:
        """Something the phones show changed: one snapshot goes out `FLUSH_DELAY_S` later,
        so a burst (a drag, ten phones queueing at once) is one message."""
        self._dirty = True
        if self._send_state is None or self._flush is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: the next attach sends the state anyway
        self._flush = loop.call_later(FLUSH_DELAY_S, self.publish)

    def settings_changed(self) -> None:
        """The host changed a rule (dialog, kiosk admin): the phones' buttons follow."""
        self.changed()

    def close(self) -> None:
        self._unsubscribe()
        self.detach()


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _who(args: Args) -> str:
    return str(args.get("singer") or "?")


async def _catalog(call: Awaitable[T]) -> T:
    """A catalog failure is the phone's 502, never the app's problem."""
    try:
        return await call
    except RemoteError:
        raise
    except Exception as exc:
        log.warning("remote browse failed: %r", exc)
        raise RemoteError(502, "catalog_failed", msg.SEARCH_FAILED) from exc


async def _user_data(call: Awaitable[T]) -> T:
    """No user database this run: the phone's 503."""
    try:
        return await call
    except RemoteError:
        raise
    except KtvError as exc:
        raise RemoteError(503, exc.code or "no_favorites", msg.NO_FAVORITES) from exc


__all__ = ["Limit", "RemoteRoom"]
