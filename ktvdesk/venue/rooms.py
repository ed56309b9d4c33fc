"""Rooms, staff and song requests: the venue's records in PostgreSQL.

A room's opening hours live here, not in the room: a terminal that reboots mid-session
reads them back (through the retained session topic or `GET /api/room/status`), and the
desk sees the same truth as the room.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

from ktvdesk.errors import KtvError, UserMessage
from ktvdesk.venue.credentials import (
    hash_password,
    mosquitto_password_line,
    new_token,
    token_hash,
    verify_password,
)

Conn = psycopg.Connection[Any]

ROOM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
SERVER_MQTT_USER = "venue-server"
SESSION_TTL = timedelta(hours=12)
# Failed desk logins: no wait for the first three, then 2, 4, 8 … s, capped at 5 min.
FREE_FAILURES = 3
MAX_LOCK = timedelta(minutes=5)


class VenueError(KtvError):
    """A venue request that cannot be carried out; nothing was changed."""


def _error(detail: str, zh: str, en: str, code: str) -> VenueError:
    return VenueError(detail, user_message=UserMessage(zh, en), code=code)


@dataclass(frozen=True, slots=True)
class Room:
    name: str
    opened_at: datetime | None
    closes_at: datetime | None
    volume_cap: int | None
    paused: bool

    def is_open(self, now: datetime) -> bool:
        return self.closes_at is not None and now < self.closes_at

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "room": self.name,
            "open": self.is_open(now),
            "opened_at": self.opened_at.isoformat() if self.opened_at else None,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "time_left_ms": max(0, int((self.closes_at - now).total_seconds() * 1000))
            if self.closes_at and self.is_open(now)
            else 0,
            "volume_cap": self.volume_cap,
            "paused": self.paused,
        }


def check_room_name(name: str) -> str:
    if not ROOM_NAME.fullmatch(name) or name == SERVER_MQTT_USER:
        raise _error(
            f"bad room name {name!r}",
            "包厢名只能用字母、数字、- 和 _（最多 32 个）。",
            "A room name is letters, digits, - and _ (at most 32).",
            "bad_room_name",
        )
    return name


def add_room(conn: Conn, name: str) -> str:
    """Provision a room; returns its key (shown once: only hashes are stored)."""
    check_room_name(name)
    key = new_token()
    row = conn.execute(
        "INSERT INTO rooms (name, key_hash, mqtt_hash) VALUES (%s, %s, %s) "
        "ON CONFLICT (name) DO NOTHING RETURNING name",
        (name, token_hash(key), mosquitto_password_line(name, key)),
    ).fetchone()
    conn.commit()
    if row is None:
        raise _error(
            f"room {name} exists", f"包厢 {name} 已存在。", f"Room {name} already exists.", "room_exists"
        )
    return key


def room_key_hash(conn: Conn, name: str) -> str | None:
    row = conn.execute("SELECT key_hash FROM rooms WHERE name = %s", (name,)).fetchone()
    return None if row is None else str(row[0])


def get_room(conn: Conn, name: str) -> Room:
    row = conn.execute(
        "SELECT name, opened_at, closes_at, volume_cap, paused FROM rooms WHERE name = %s", (name,)
    ).fetchone()
    if row is None:
        raise _error(f"no room {name}", f"没有包厢 {name}。", f"There is no room {name}.", "no_room")
    return Room(str(row[0]), row[1], row[2], row[3], bool(row[4]))


def list_rooms(conn: Conn) -> list[Room]:
    rows = conn.execute(
        "SELECT name, opened_at, closes_at, volume_cap, paused FROM rooms ORDER BY name"
    ).fetchall()
    return [Room(str(r[0]), r[1], r[2], r[3], bool(r[4])) for r in rows]


def open_room(conn: Conn, name: str, minutes: int, now: datetime) -> Room:
    _check_minutes(minutes)
    get_room(conn, name)
    conn.execute(
        "UPDATE rooms SET opened_at = %s, closes_at = %s, paused = false WHERE name = %s",
        (now, now + timedelta(minutes=minutes), name),
    )
    conn.commit()
    return get_room(conn, name)


def extend_room(conn: Conn, name: str, minutes: int, now: datetime) -> Room:
    _check_minutes(minutes)
    room = get_room(conn, name)
    if not room.is_open(now) or room.closes_at is None:
        raise _error(
            f"room {name} is closed", f"包厢 {name} 未开台。", f"Room {name} is not open.", "room_closed"
        )
    conn.execute(
        "UPDATE rooms SET closes_at = %s WHERE name = %s", (room.closes_at + timedelta(minutes=minutes), name)
    )
    conn.commit()
    return get_room(conn, name)


def close_room(conn: Conn, name: str, now: datetime) -> Room:
    get_room(conn, name)
    conn.execute("UPDATE rooms SET closes_at = %s, paused = false WHERE name = %s", (now, name))
    conn.commit()
    return get_room(conn, name)


def set_room_limits(
    conn: Conn, name: str, *, volume_cap: int | None = None, paused: bool | None = None
) -> Room:
    get_room(conn, name)
    if volume_cap is not None and not 0 <= volume_cap <= 100:
        raise _error(
            f"volume cap {volume_cap}", "音量上限须在 0–100 之间。", "The volume cap is 0–100.", "bad_volume"
        )
    conn.execute(
        "UPDATE rooms SET volume_cap = COALESCE(%s, volume_cap), paused = COALESCE(%s, paused) WHERE name = %s",
        (volume_cap, paused, name),
    )
    conn.commit()
    return get_room(conn, name)


def _check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= 24 * 60:
        raise _error(
            f"bad duration {minutes}",
            "时长须在 1 分钟到 24 小时之间。",
            "A duration is 1 minute to 24 hours.",
            "bad_duration",
        )


def record_request(
    conn: Conn, room: str, request_id: str, song_id: int, *, singer: str | None, requested_at: datetime
) -> bool:
    """Log a song request once: a request replayed after an outage returns False."""
    row = conn.execute(
        "INSERT INTO requests (room, request_id, song_id, singer, requested_at) "
        "SELECT %s, %s, id, %s, %s FROM songs WHERE id = %s "
        "ON CONFLICT (room, request_id) DO NOTHING RETURNING song_id",
        (room, request_id, singer, requested_at, song_id),
    ).fetchone()
    if row is not None:
        conn.execute("UPDATE songs SET request_count = request_count + 1 WHERE id = %s", (song_id,))
        conn.execute("UPDATE song_grams SET request_count = request_count + 1 WHERE song_id = %s", (song_id,))
    else:
        known = conn.execute("SELECT 1 FROM songs WHERE id = %s", (song_id,)).fetchone()
        if known is None:
            conn.rollback()
            raise _error(
                f"no song {song_id}", "曲库里没有这首歌。", "That song is not in the library.", "no_song"
            )
    conn.commit()
    return row is not None


# -- staff ------------------------------------------------------------------------------


def add_staff(conn: Conn, name: str, password: str) -> None:
    if not name.strip() or len(password) < 8:
        raise _error(
            "weak staff credentials",
            "用户名不能为空，密码至少 8 位。",
            "A name is needed and the password needs at least 8 characters.",
            "weak_password",
        )
    conn.execute(
        "INSERT INTO staff (name, password_hash) VALUES (%s, %s) "
        "ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash, failed_logins = 0, "
        "locked_until = NULL",
        (name, hash_password(password)),
    )
    conn.commit()


@dataclass(frozen=True, slots=True)
class LoginResult:
    token: str | None
    retry_after_s: int = 0


def login(conn: Conn, name: str, password: str, now: datetime) -> LoginResult:
    """A session token, or None; failures past the first three lock the name for a while
    (growing), checked before the password so a locked name costs no hash."""
    row = conn.execute(
        "SELECT password_hash, failed_logins, locked_until FROM staff WHERE name = %s", (name,)
    ).fetchone()
    if row is not None and row[2] is not None and row[2] > now:
        return LoginResult(None, int((row[2] - now).total_seconds()) + 1)
    stored = str(row[0]) if row else hash_password("", salt=b"\0" * 16)
    if row is None or not verify_password(password, stored):
        if row is not None:
            failures = int(row[1]) + 1
            lock = None
            if failures > FREE_FAILURES:
                lock = now + min(MAX_LOCK, timedelta(seconds=2 ** (failures - FREE_FAILURES)))
            conn.execute(
                "UPDATE staff SET failed_logins = %s, locked_until = %s WHERE name = %s",
                (failures, lock, name),
            )
            conn.commit()
        return LoginResult(None)
    token = new_token()
    conn.execute("UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE name = %s", (name,))
    conn.execute("DELETE FROM staff_sessions WHERE expires_at < %s", (now,))
    conn.execute(
        "INSERT INTO staff_sessions (token_hash, staff, expires_at) VALUES (%s, %s, %s)",
        (token_hash(token), name, now + SESSION_TTL),
    )
    conn.commit()
    return LoginResult(token)


def session_staff(conn: Conn, token: str, now: datetime) -> str | None:
    row = conn.execute(
        "SELECT staff FROM staff_sessions WHERE token_hash = %s AND expires_at > %s", (token_hash(token), now)
    ).fetchone()
    return None if row is None else str(row[0])


def broker_files(conn: Conn, server_password: str) -> tuple[str, str]:
    """Mosquitto's password file and ACL for every room and the server.

    Patterns give each room exactly its own topics (`%u` is the MQTT user name, which is
    the room name): it publishes its state and presence, reads its commands and the
    venue-wide broadcast, and can reach nothing of another room's.
    """
    lines = [mosquitto_password_line(SERVER_MQTT_USER, server_password)]
    lines += [str(row[0]) for row in conn.execute("SELECT mqtt_hash FROM rooms ORDER BY name").fetchall()]
    acl = "\n".join(
        [
            f"user {SERVER_MQTT_USER}",
            "topic readwrite ktvdesk/#",
            "",
            "pattern write ktvdesk/rooms/%u/state",
            "pattern write ktvdesk/rooms/%u/online",
            "pattern read ktvdesk/rooms/%u/commands",
            "pattern read ktvdesk/rooms/%u/session",
            "pattern read ktvdesk/broadcast",
            "",
        ]
    )
    return "\n".join(lines) + "\n", acl
