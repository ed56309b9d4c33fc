"""Real PostgreSQL and Mosquitto servers for the venue tests, on 127.0.0.1 in a temp dir.

Both are started from the distribution's binaries (the Makefile installs them) and
stopped at the end; nothing here is mocked. PostgreSQL refuses to run as root, so as
root the cluster is created and run as the `postgres` system user the package adds.
A missing binary fails the test with what to install: never a silent skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin(name: str) -> str:
    for folder in PG_BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"PostgreSQL's {name} is missing: run `make setup` (installs postgresql)")
    return found


def _as_db_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def wait_for_port(
    port: int, deadline_s: float = 20.0, *, process: subprocess.Popen[bytes] | None = None
) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.02)  # polling a port that is not there yet: there is no event to await
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {deadline_s} s")


@dataclass
class Postgres:
    data_dir: Path
    port: int
    user: str = "ktv"

    @property
    def dsn(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/venue"

    def _ctl(self, *args: str) -> None:
        _run([*_as_db_user(), _pg_bin("pg_ctl"), "-D", str(self.data_dir), *args])

    def start(self) -> None:
        options = f"-k {self.data_dir.parent} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off"
        self._ctl("-o", options, "-l", str(self.data_dir.parent / "pg.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(RuntimeError):
            self._ctl("-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.decode(errors='replace')[-2000:]}")


@contextlib.contextmanager
def postgres() -> Iterator[Postgres]:
    # Not under pytest's tmp dir: as root the cluster runs as `postgres`, which cannot
    # enter pytest's 0700 folders.
    base = Path(tempfile.mkdtemp(prefix="ktvdesk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    server = Postgres(base / "data", free_port())
    try:
        _run(
            [
                *_as_db_user(),
                _pg_bin("initdb"),
                "-D",
                str(server.data_dir),
                "-A",
                "trust",
                "-U",
                server.user,
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ]
        )
        server.start()
        _run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U", server.user, "venue"])
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Mosquitto:
    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    @property
    def config(self) -> Path:
        return self.folder / "mosquitto.conf"

    def start(self) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            raise RuntimeError("mosquitto is missing: run `make setup` (installs mosquitto)")
        log = (self.folder / "mosquitto.log").open("ab")
        self.process = subprocess.Popen([binary, "-c", str(self.config)], stdout=log, stderr=log)
        wait_for_port(self.port, process=self.process)

    def reload(self) -> None:
        """Re-read the password and ACL files (what the venue does after add-room)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def mosquitto(folder: Path, *, password_file: Path, acl_file: Path) -> Iterator[Mosquitto]:
    folder.mkdir(parents=True, exist_ok=True)
    broker = Mosquitto(folder, free_port())
    broker.config.write_text(
        "\n".join(
            [
                "per_listener_settings false",
                f"listener {broker.port} 127.0.0.1",
                "allow_anonymous false",
                f"password_file {password_file}",
                f"acl_file {acl_file}",
                "persistence false",
                "log_dest stderr",
                # As root Mosquitto would switch to its own user, which cannot read the
                # files the venue rewrites (0600, owned by the venue's user).
                *(["user root"] if os.geteuid() == 0 else []),
                "",
            ]
        )
    )
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
