"""A second, tiny X11 connection (libxcb through ctypes) for what Qt cannot tell or do.

Qt never learns that its window was destroyed from outside (`xdotool windowclose`): it
keeps a widget that is "visible" with no X window behind it. And Qt defers activating an
unmapped window until it is mapped again, so a kiosk hidden by the window manager's
"show desktop" could never ask to come back. This connection answers "does our window
still exist, is it mapped?" and sends the two EWMH requests a window manager obeys:
leave show-desktop mode (`_NET_SHOWING_DESKTOP` = 0) and activate our window
(`_NET_ACTIVE_WINDOW` with source "pager", i.e. on the user's behalf, so focus-stealing
prevention does not turn it into a mere "demands attention" hint).

Only X11 (Qt's `xcb` platform) has this; elsewhere `X11Link.open()` returns None.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import struct
from dataclasses import dataclass, field
from enum import Enum

log = logging.getLogger(__name__)

_CLIENT_MESSAGE = 33
_SUBSTRUCTURE_NOTIFY = 1 << 19
_SUBSTRUCTURE_REDIRECT = 1 << 20
_SOURCE_PAGER = 2  # EWMH source indication: a pager acts for the user
_MAP_STATE_OFFSET = 26  # in xcb_get_window_attributes_reply_t
_ATOM_OFFSET = 8  # in xcb_intern_atom_reply_t
_CARDINAL_OFFSET = 32  # the first value after xcb_get_property_reply_t's 32-byte header
_VALUE_LEN_OFFSET = 16
_ATOM_CARDINAL = 6
_ATOM_ATOM = 4
_ATOM_WINDOW = 33


class MapState(Enum):
    UNMAPPED = 0
    UNVIEWABLE = 1  # mapped, but an ancestor (the WM's frame) is not
    VIEWABLE = 2
    GONE = -1  # the window does not exist any more


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rem", ctypes.c_int), ("index", ctypes.c_int)]


def _load_xcb() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    vp, u8, u16, u32 = ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32
    for fn, restype, argtypes in (
        ("xcb_connect", vp, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]),
        ("xcb_connection_has_error", ctypes.c_int, [vp]),
        ("xcb_disconnect", None, [vp]),
        ("xcb_flush", ctypes.c_int, [vp]),
        ("xcb_get_setup", vp, [vp]),
        ("xcb_setup_roots_iterator", _ScreenIterator, [vp]),
        ("xcb_get_window_attributes", _Cookie, [vp, u32]),
        ("xcb_get_window_attributes_reply", vp, [vp, _Cookie, ctypes.POINTER(vp)]),
        ("xcb_intern_atom", _Cookie, [vp, u8, u16, ctypes.c_char_p]),
        ("xcb_intern_atom_reply", vp, [vp, _Cookie, ctypes.POINTER(vp)]),
        ("xcb_get_property", _Cookie, [vp, u8, u32, u32, u32, u32, u32]),
        ("xcb_get_property_reply", vp, [vp, _Cookie, ctypes.POINTER(vp)]),
        ("xcb_send_event", _Cookie, [vp, u8, u32, u32, ctypes.c_char_p]),
    ):
        func = getattr(lib, fn)
        func.restype = restype
        func.argtypes = argtypes
    return lib


def connection_broken(connection: int) -> bool:
    """Whether an xcb connection (Qt's own: `QX11Application.connection()`) is dead.

    The X server drops a client that `XKillClient` (`xdotool windowkill`) names; Qt then
    only warns and keeps ending its event loop, so the app has to ask.
    """
    lib = _load_xcb()
    return lib is not None and bool(connection) and bool(lib.xcb_connection_has_error(connection))


_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]


@dataclass(slots=True)
class X11Link:
    """One xcb connection to the display the kiosk runs on."""

    _lib: ctypes.CDLL
    _conn: int
    root: int
    _atoms: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, display: str | None = None) -> X11Link | None:
        display = display or os.environ.get("DISPLAY")
        if not display:
            return None
        lib = _load_xcb()
        if lib is None:
            log.warning("kiosk: libxcb not found: the window watch is limited to Qt's view")
            return None
        conn = lib.xcb_connect(display.encode(), None)
        if not conn or lib.xcb_connection_has_error(conn):
            if conn:
                lib.xcb_disconnect(conn)
            log.warning("kiosk: cannot open a second X connection to %s", display)
            return None
        screen = lib.xcb_setup_roots_iterator(lib.xcb_get_setup(conn))
        root = ctypes.c_uint32.from_address(screen.data).value  # xcb_screen_t starts with root
        return cls(lib, conn, root)

    def close(self) -> None:
        if self._conn:
            self._lib.xcb_disconnect(self._conn)
            self._conn = 0

    @property
    def broken(self) -> bool:
        return not self._conn or bool(self._lib.xcb_connection_has_error(self._conn))

    def map_state(self, window: int) -> MapState:
        reply = self._reply("xcb_get_window_attributes", window)
        if reply is None:
            return MapState.GONE
        try:
            return MapState(ctypes.c_uint8.from_address(reply + _MAP_STATE_OFFSET).value)
        finally:
            _libc.free(reply)

    def wm_running(self) -> bool:
        """An EWMH window manager is there (without one, nobody keeps `_NET_WM_STATE`)."""
        return bool(self._values(self.root, "_NET_SUPPORTING_WM_CHECK", _ATOM_WINDOW))

    def showing_desktop(self) -> bool:
        return self._cardinal(self.root, "_NET_SHOWING_DESKTOP") == 1

    def leave_show_desktop(self) -> None:
        self._client_message(self.root, "_NET_SHOWING_DESKTOP", 0)

    def activate(self, window: int) -> None:
        """Ask the window manager to show (de-iconify), raise and focus `window`."""
        self._client_message(window, "_NET_ACTIVE_WINDOW", _SOURCE_PAGER, 0, 0)

    def set_wm_state(self, window: int, state: str, on: bool) -> None:
        """Ask the window manager to add or remove one `_NET_WM_STATE_*` of `window`."""
        self._client_message(window, "_NET_WM_STATE", 1 if on else 0, self._atom(state), 0, _SOURCE_PAGER)

    def net_wm_state(self, window: int) -> set[str]:
        """The window's `_NET_WM_STATE` atoms by name (fullscreen, hidden, above…)."""
        wanted = {name: self._atom(name) for name in ("_NET_WM_STATE_FULLSCREEN", "_NET_WM_STATE_HIDDEN")}
        atoms = set(self._values(window, "_NET_WM_STATE", _ATOM_ATOM))
        return {name for name, atom in wanted.items() if atom in atoms}

    # ---- plumbing ----------------------------------------------------------------

    def _reply(self, request: str, *args: object) -> int | None:
        lib = self._lib
        cookie = getattr(lib, request)(self._conn, *args)
        error = ctypes.c_void_p()
        reply: int | None = getattr(lib, f"{request}_reply")(self._conn, cookie, ctypes.byref(error))
        if error.value:
            _libc.free(error.value)
        return reply or None

    def _atom(self, name: str) -> int:
        if name in self._atoms:
            return self._atoms[name]
        raw = name.encode()
        reply = self._reply("xcb_intern_atom", 0, len(raw), raw)
        if reply is None:
            return 0
        try:
            atom = self._atoms[name] = int(ctypes.c_uint32.from_address(reply + _ATOM_OFFSET).value)
            return atom
        finally:
            _libc.free(reply)

    def _values(self, window: int, prop: str, kind: int) -> list[int]:
        reply = self._reply("xcb_get_property", 0, window, self._atom(prop), kind, 0, 64)
        if reply is None:
            return []
        try:
            count = ctypes.c_uint32.from_address(reply + _VALUE_LEN_OFFSET).value
            return list((ctypes.c_uint32 * count).from_address(reply + _CARDINAL_OFFSET))
        finally:
            _libc.free(reply)

    def _cardinal(self, window: int, prop: str) -> int | None:
        values = self._values(window, prop, _ATOM_CARDINAL)
        return values[0] if values else None

    def _client_message(self, window: int, message: str, *data: int) -> None:
        words = (list(data) + [0] * 5)[:5]
        event = struct.pack("=BBHII5I", _CLIENT_MESSAGE, 32, 0, window, self._atom(message), *words)
        mask = _SUBSTRUCTURE_NOTIFY | _SUBSTRUCTURE_REDIRECT
        self._lib.xcb_send_event(self._conn, 0, self.root, mask, event)
        self._lib.xcb_flush(self._conn)
