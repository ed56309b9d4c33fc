"""`ktvdesk venue serve|scan|add-room|add-staff`: one KTV venue on PostgreSQL + MQTT.

Secrets come from the environment, never from a flag (flags end up in `ps` and shell
history): `KTVDESK_VENUE_MQTT_PASSWORD` is the server's own broker password, and
`add-staff` reads the new password from standard input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ktvdesk.errors import KtvError

MQTT_PASSWORD_ENV = "KTVDESK_VENUE_MQTT_PASSWORD"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="action", required=True)
    serve = commands.add_parser("serve", help="run the venue server (rooms' API, media, front desk)")
    _db(serve)
    serve.add_argument("--mqtt", required=True, metavar="URL", help="the broker, mqtt://host:port")
    serve.add_argument(
        "--media", action="append", default=[], metavar="DIR", help="song store folder (repeat)"
    )
    serve.add_argument("--mqtt-public", metavar="URL", help="the broker as rooms reach it (default: --mqtt)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8650, help="port (0: any free port; default 8650)")
    serve.add_argument(
        "--broker-files", type=Path, metavar="DIR", help="write Mosquitto's passwd and acl here"
    )
    scan = commands.add_parser("scan", help="index the song store once for every room (incremental)")
    _db(scan)
    scan.add_argument("folders", nargs="+", type=Path)
    room = commands.add_parser("add-room", help="provision a room and print its key (once)")
    _db(room)
    room.add_argument("room")
    room.add_argument(
        "--broker-files", type=Path, metavar="DIR", help="rewrite Mosquitto's passwd and acl here"
    )
    staff = commands.add_parser("add-staff", help="create a desk login (password on standard input)")
    _db(staff)
    staff.add_argument("name")


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, metavar="URL", help="postgresql://user@host:port/dbname")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except KtvError as exc:
        message = exc.user_message.en if exc.user_message else exc.detail
        print(f"ktvdesk venue: {message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ktvdesk venue: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    import psycopg

    from ktvdesk.venue import library, rooms
    from ktvdesk.venue.schema import migrate

    try:
        conn = psycopg.connect(args.db)
    except psycopg.OperationalError as exc:
        print(f"ktvdesk venue: cannot reach the database: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    with conn:
        migrate(conn)
        if args.action == "scan":
            summary = library.scan(conn, args.folders)
            print(
                f"added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
                f"removed {summary.removed}, skipped {len(summary.skipped)}"
            )
            for path, reason in summary.skipped:
                print(f"skipped: {path}: {reason}")
            return 0
        if args.action == "add-room":
            key = rooms.add_room(conn, args.room)
            if args.broker_files:
                _write_broker_files(conn, args.broker_files)
            print(key)
            return 0
        if args.action == "add-staff":
            password = sys.stdin.readline().rstrip("\n")
            rooms.add_staff(conn, args.name, password)
            print(f"staff {args.name} can log in at the front desk")
            return 0
        mqtt_password = os.environ.get(MQTT_PASSWORD_ENV, "")
        if not mqtt_password:
            print(f"ktvdesk venue: set {MQTT_PASSWORD_ENV} (the server's broker password)", file=sys.stderr)
            return 2
        if args.broker_files:
            _write_broker_files(conn, args.broker_files)
    from ktvdesk.venue.server import VenueConfig, media_roots_from, serve

    serve(
        VenueConfig(args.db, args.mqtt, mqtt_password, media_roots_from(args.media), args.mqtt_public),
        args.host,
        args.port,
    )
    return 0


def _write_broker_files(conn: object, folder: Path) -> None:
    """Mosquitto re-reads them on SIGHUP (`systemctl reload mosquitto`)."""
    from ktvdesk.venue import rooms

    password = os.environ.get(MQTT_PASSWORD_ENV, "")
    if not password:
        raise OSError(f"set {MQTT_PASSWORD_ENV} to write the broker's files")
    passwd, acl = rooms.broker_files(conn, password)  # type: ignore[arg-type]
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("passwd", passwd), ("acl", acl)):
        temporary = folder / f".{name}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        temporary.replace(folder / name)
