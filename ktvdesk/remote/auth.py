"""The room's key (the QR code's token) and the guests it let in.

The token is 192 random bits, shown only in the QR code and the URL file; a phone trades
it once for its own credential (also 192 bits), which every call then carries as
`Authorization: Bearer …`. Nothing rides on cookies, so another web page cannot make a
phone's browser act (no CSRF). `rotate()` ("new guests") draws a new token and forgets
every credential: the old QR code and the old phones are refused from then on. Both
values are registered with the log redactor the moment they exist.

Two copies live, one in each process: the app draws the token (it shows the QR code)
and hands it to the remote's process, which lets the guests in and tells the app who
joined (`admit`), so a restarted remote process takes the same phones back.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ktvdesk.logs import register_secret
from ktvdesk.remote.errors import BAD_TOKEN, NOT_SIGNED_IN, RemoteError
from ktvdesk.session_singers import clean_singer

TOKEN_BYTES = 24  # 192 bits
MAX_GUESTS = 500  # credentials kept; the oldest one goes when a new phone joins


@dataclass(frozen=True, slots=True)
class Guest:
    guest_id: str  # public: marks "my" songs in the queue everyone sees
    singer: str
    credential: str


class RoomKey:
    def __init__(self, max_guests: int = MAX_GUESTS, *, token: str | None = None) -> None:
        self._max_guests = max_guests
        self._guests: OrderedDict[str, Guest] = OrderedDict()
        # In thread mode `rotate` comes from the GUI thread, `join`/`guest` from the server's.
        self._lock = threading.Lock()
        self.token = ""
        self.generation = 0
        self.rotate(token)

    def rotate(self, token: str | None = None) -> None:
        """A new token (drawn here unless given) and no guests."""
        token = token or secrets.token_urlsafe(TOKEN_BYTES)
        register_secret(token)
        with self._lock:
            self.token = token
            self._guests.clear()
            self.generation += 1

    def admit(self, guest: Guest, token: str) -> None:
        """Take a guest that joined with `token` (the other process's copy); a guest of an
        older token is dropped."""
        register_secret(guest.credential)
        with self._lock:
            if hmac.compare_digest(token.encode(), self.token.encode()):
                self._add(guest)

    def guests(self) -> list[Guest]:
        with self._lock:
            return list(self._guests.values())

    def join(self, token: str, singer: str) -> Guest:
        with self._lock:
            if not hmac.compare_digest(token.encode(), self.token.encode()):
                raise RemoteError(401, "bad_token", BAD_TOKEN)
            credential = secrets.token_urlsafe(TOKEN_BYTES)
            register_secret(credential)
            guest = Guest(secrets.token_hex(6), clean_singer(singer), credential)
            self._add(guest)
        return guest

    def _add(self, guest: Guest) -> None:
        self._guests[guest.credential] = guest
        while len(self._guests) > self._max_guests:
            self._guests.popitem(last=False)

    def guest(self, credential: str | None) -> Guest:
        """The guest holding this credential, or 401."""
        with self._lock:
            found = self._guests.get(credential) if credential else None
        if found is None:
            raise RemoteError(401, "not_signed_in", NOT_SIGNED_IN)
        return found

    def __len__(self) -> int:
        return len(self._guests)


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
