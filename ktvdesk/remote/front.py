"""What the phones meet, in the remote's own process: guests, rate limits, caches, the
live fan-out, and a copy of the room's state.

Everything a phone costs per request stays here: checking its credential, its rate
limits, the search cache, serving `GET /api/queue` from the last snapshot the app sent,
and writing each snapshot to every WebSocket. Only what needs the session crosses to the
app (`channel.call`): queue edits, controls, cheers, favourites and catalog look-ups
the cache does not hold. A limit is counted before the call and refunded when the app
refuses the action, so a refused song does not use up a guest's six a minute.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ktvdesk.remote import errors as msg
from ktvdesk.remote.auth import Guest, RoomKey
from ktvdesk.remote.errors import RemoteError, formatted
from ktvdesk.remote.events import MAX_PHONES, SEND_TIMEOUT_S, EventHub
from ktvdesk.remote.limits import RateLimiter, RemoteLimits
from ktvdesk.remote.views import Action, FavoriteBody, QueueBody, Sound
from ktvdesk.remote.wire import Channel, ChannelClosed
from ktvdesk.session_singers import clean_singer, singer_id

log = logging.getLogger(__name__)
Args = dict[str, Any]

STATE_TTL_MS = 500  # a playing song's position and start estimates are re-aged this often
SEARCH_CACHE_MS = 10_000  # a catalog answer is reused this long (errors never are)
SEARCH_CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class FrontConfig:
    """What the remote's process starts with (pickled to it)."""

    token: str
    guests: tuple[Guest, ...] = ()
    limits: RemoteLimits = field(default_factory=RemoteLimits)
    max_phones: int = MAX_PHONES
    send_timeout_s: float = SEND_TIMEOUT_S
    log_level: int = logging.INFO


def _now_ms() -> int:
    return time.monotonic_ns() // 1_000_000


def _seconds(ms: int) -> int:
    return max(1, -(-ms // 1000))


class RoomFront:
    def __init__(self, config: FrontConfig, channel: Channel | None = None) -> None:
        self.key = RoomKey(token=config.token)
        for guest in config.guests:
            self.key.admit(guest, config.token)
        self.limits = config.limits
        self.hub = EventHub(config.max_phones, config.send_timeout_s)
        self.channel = channel
        self._requests = RateLimiter(self.limits.requests)
        self._joins = RateLimiter(self.limits.joins)
        self._songs = RateLimiter(self.limits.songs)
        self._favorites = RateLimiter(self.limits.favorites)
        self._cheers = RateLimiter(self.limits.cheers)
        self._room_cheers = RateLimiter(self.limits.room_cheers)
        self._searches: OrderedDict[tuple[str, str, str | None], tuple[int, Args]] = OrderedDict()
        self._state: Args | None = None
        self._text: str | None = None
        self._text_at_ms = 0

    # ---- what the app tells ----------------------------------------------------------

    def on_state(self, state: Args) -> None:
        """A new snapshot from the app: kept, and sent to every phone once."""
        if self._state is not None and int(state["revision"]) <= int(self._state["revision"]):
            return
        self._state, self._text = state, None
        self.hub.publish(self.state_text(), snapshot=True)

    def on_reset(self, token: str) -> None:
        """New guests: the new token; every credential so far is refused, every phone
        disconnected (it shows "scan the code again")."""
        self.key.rotate(token)
        self.hub.close_all(reason="room reset")

    # ---- guests ------------------------------------------------------------------------

    def join(self, token: str, singer: str, address: str) -> Guest:
        self._limit(self._joins, f"join:{address}")
        if not clean_singer(singer):
            raise RemoteError(422, "bad_singer", msg.BAD_FIELDS)
        guest = self.key.join(token, singer)
        self._note(
            "joined", credential=guest.credential, guest_id=guest.guest_id, singer=guest.singer, token=token
        )
        log.info("remote: a phone joined as %r (%d signed in)", guest.singer, len(self.key))
        return guest

    def guest(self, credential: str | None) -> Guest:
        guest = self.key.guest(credential)
        self._limit(self._requests, guest.guest_id)
        return guest

    # ---- catalog -----------------------------------------------------------------------

    async def providers(self) -> list[str]:
        names: list[str] = await self._call("providers")
        return names

    async def search(self, query: str, provider: str | None, cursor: str | None) -> Args:
        # Fifty phones type the same few hits: one look-up in the app serves them a while.
        key = (provider or "", query.casefold(), cursor)
        now_ms = _now_ms()
        cached = self._searches.get(key)
        if cached is not None and now_ms - cached[0] < SEARCH_CACHE_MS:
            return cached[1]
        result: Args = await self._call("search", q=query, provider=provider, cursor=cursor)
        if not any("error" in page for page in result["results"]):
            self._searches.pop(key, None)
            self._searches[key] = (now_ms, result)
            while len(self._searches) > SEARCH_CACHE_SIZE:
                self._searches.popitem(last=False)
        return result

    async def tags(self, provider: str) -> Args:
        result: Args = await self._call("tags", provider=provider)
        return result

    async def tag_songs(self, provider: str, tag_id: str, cursor: str | None) -> Args:
        result: Args = await self._call("tag_songs", provider=provider, tag_id=tag_id, cursor=cursor)
        return result

    async def charts(self, provider: str) -> Args:
        result: Args = await self._call("charts", provider=provider)
        return result

    # ---- favourites --------------------------------------------------------------------

    async def favorites(self) -> Args:
        result: Args = await self._call("favorites")
        return result

    async def favorite(self, guest: Guest, body: FavoriteBody, *, star: bool) -> bool:
        """Star (or un-star) a song in the host's favourites; True when that changed it."""
        key = f"favorite:{guest.guest_id}"
        self._limit(self._favorites, key)
        try:
            changed: bool = await self._call(
                "favorite" if star else "unfavorite",
                provider=body.provider,
                song_id=body.song_id,
                singer=guest.singer,
            )
        except RemoteError:
            self._favorites.refund(key)
            raise
        return changed

    # ---- queue -------------------------------------------------------------------------

    async def enqueue(self, guest: Guest, body: QueueBody) -> int:
        singer = clean_singer(body.singer or guest.singer) or guest.singer
        keys = (f"guest:{guest.guest_id}", f"singer:{singer_id(singer)}")
        counted: list[str] = []
        for key in keys:
            wait_ms = self._songs.check(key)
            if wait_ms:
                for done in counted:
                    self._songs.refund(done)
                limit = self.limits.songs
                raise RemoteError(
                    429,
                    "too_many_songs",
                    formatted(msg.TOO_MANY_SONGS, n=limit.count, s=_seconds(wait_ms)),
                    retry_after_ms=wait_ms,
                )
            counted.append(key)
        try:
            entry_id: int = await self._call(
                "enqueue",
                guest=guest.guest_id,
                singer=singer,
                provider=body.provider,
                song_id=body.song_id,
                priority=body.priority,
            )
        except RemoteError:
            for key in counted:
                self._songs.refund(key)
            raise
        return entry_id

    async def top(self, guest: Guest, entry_id: int) -> str:
        await self._call("top", guest=guest.guest_id, entry_id=entry_id)
        return self.state_text()  # the app published the new order before it answered

    async def remove(self, guest: Guest, entry_id: int) -> str:
        await self._call("remove", guest=guest.guest_id, entry_id=entry_id)
        return self.state_text()

    async def control(self, action: Action) -> str:
        await self._call("control", action=action)
        return self.state_text()

    async def cheer(self, guest: Guest, sound: Sound) -> None:
        counted: list[tuple[RateLimiter, str]] = []
        for limiter, key in ((self._cheers, guest.guest_id), (self._room_cheers, "room")):
            wait_ms = limiter.check(key)
            if wait_ms:
                for done, done_key in counted:
                    done.refund(done_key)
                message = formatted(msg.TOO_MANY_CHEERS, s=_seconds(wait_ms))
                raise RemoteError(429, "too_many_cheers", message, retry_after_ms=wait_ms)
            counted.append((limiter, key))
        try:
            await self._call("cheer", sound=sound)
        except RemoteError:
            for limiter, key in counted:
                limiter.refund(key)
            raise
        self.hub.publish(json.dumps({"type": "cheer", "sound": sound, "singer": guest.singer}))

    # ---- state -------------------------------------------------------------------------

    def state_text(self) -> str:
        """The last snapshot as JSON, built once per change; while a song plays, its
        position and the start estimates are aged from the snapshot's time (every
        `STATE_TTL_MS`), so no phone asking costs the app anything."""
        state = self._state
        if state is None:
            raise RemoteError(503, "starting", msg.UNAVAILABLE)
        now_ms = _now_ms()
        now = state["now"]
        moving = now is not None and now.get("playing")
        if self._text is not None and (not moving or now_ms - self._text_at_ms <= STATE_TTL_MS):
            return self._text
        self._text = json.dumps(_aged(state, now_ms - int(state.get("at_ms", now_ms))), ensure_ascii=False)
        self._text_at_ms = now_ms
        return self._text

    # ---- inside ------------------------------------------------------------------------

    async def _call(self, op: str, **args: Any) -> Any:
        if self.channel is None:
            raise RemoteError(503, "unavailable", msg.UNAVAILABLE)
        try:
            return await self.channel.call(op, **args)
        except ChannelClosed as exc:
            raise RemoteError(503, "unavailable", msg.UNAVAILABLE) from exc

    def _note(self, op: str, **args: Any) -> None:
        if self.channel is not None:
            self.channel.note(op, **args)

    def _limit(self, limiter: RateLimiter, key: str) -> None:
        wait_ms = limiter.check(key)
        if wait_ms:
            raise RemoteError(
                429, "rate_limited", formatted(msg.TOO_MANY, s=_seconds(wait_ms)), retry_after_ms=wait_ms
            )


def _aged(state: Args, elapsed_ms: int) -> Args:
    """The snapshot as the phones see it, `elapsed_ms` after it was taken."""
    view = {k: v for k, v in state.items() if k != "at_ms"}
    now = state["now"]
    if elapsed_ms <= 0 or now is None or not now.get("playing"):
        return view
    position_ms = int(now["position_ms"] or 0) + elapsed_ms
    if now.get("duration_ms"):
        position_ms = min(position_ms, int(now["duration_ms"]))
    view["now"] = {**now, "position_ms": position_ms}
    view["queue"] = [
        {**e, "starts_in_ms": max(0, e["starts_in_ms"] - elapsed_ms)} if e["starts_in_ms"] else e
        for e in state["queue"]
    ]
    return view
