"""`ktvdesk venue …` as an operator runs it, against a real PostgreSQL."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

from tests.integration.venue.conftest import MQTT_PASSWORD
from tests.venue_servers import Postgres, free_port


def _venue(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "venue", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_scan_add_room_and_staff(
    pg: Postgres, db: psycopg.Connection[Any], demo_dir: Path, tmp_path: Path
) -> None:
    scanned = _venue("scan", "--db", pg.dsn, str(demo_dir), str(tmp_path / "unplugged"))
    assert scanned.returncode == 0, scanned.stderr
    assert scanned.stdout.startswith("added 6, updated 0, unchanged 0, removed 0, skipped 1")
    assert f"skipped: {tmp_path / 'unplugged'}: folder not found" in scanned.stdout

    broker = tmp_path / "broker"
    room = _venue(
        "add-room",
        "--db",
        pg.dsn,
        "R1",
        "--broker-files",
        str(broker),
        env={"KTVDESK_VENUE_MQTT_PASSWORD": MQTT_PASSWORD},
    )
    assert room.returncode == 0, room.stderr
    key = room.stdout.strip()
    assert len(key) >= 43  # 256 random bits, URL-safe base64
    passwd = (broker / "passwd").read_text()
    assert passwd.startswith("venue-server:$7$") and "\nR1:$7$" in passwd and key not in passwd
    assert stat.S_IMODE((broker / "passwd").stat().st_mode) == 0o600
    assert "pattern read ktvdesk/rooms/%u/commands" in (broker / "acl").read_text()

    again = _venue("add-room", "--db", pg.dsn, "R1")
    assert again.returncode == 2 and again.stderr.strip() == "ktvdesk venue: Room R1 already exists."
    bad_name = _venue("add-room", "--db", pg.dsn, "../etc")
    assert bad_name.returncode == 2 and "letters, digits" in bad_name.stderr

    staff = _venue("add-staff", "--db", pg.dsn, "lin", stdin="long enough secret\n")
    assert staff.returncode == 0, staff.stderr
    weak = _venue("add-staff", "--db", pg.dsn, "sam", stdin="short\n")
    assert weak.returncode == 2 and "at least 8" in weak.stderr
    row = db.execute("SELECT password_hash FROM staff WHERE name = 'lin'").fetchone()
    assert row is not None and str(row[0]).startswith("scrypt:") and "long enough" not in str(row[0])


def test_errors_are_one_line(pg: Postgres, db: psycopg.Connection[Any]) -> None:
    dead = _venue("scan", "--db", f"postgresql://ktv@127.0.0.1:{free_port()}/venue", "/tmp")
    assert dead.returncode == 2
    assert dead.stderr.startswith("ktvdesk venue: cannot reach the database") and dead.stderr.count("\n") == 1
    no_secret = _venue(
        "serve", "--db", pg.dsn, "--mqtt", "mqtt://127.0.0.1:1883", env={"KTVDESK_VENUE_MQTT_PASSWORD": ""}
    )
    assert no_secret.returncode == 2 and "KTVDESK_VENUE_MQTT_PASSWORD" in no_secret.stderr
