"""SIGKILL torture for the user database, shared by the integration test and the benchmark.

The child: open the database and apply a deterministic stream of queue and favorite
changes, printing `ack <seq>` (flushed) after each one is committed. As a module (the
parent): `run_kill_rounds` starts a child, reads a random number of acks, SIGKILLs it
mid-stream, then checks the database: `PRAGMA integrity_check` is ok and the state equals
the model after every printed ack, or after one more change (committed, not yet printed).
It synchronises on the ack lines only, never on sleeps.

Every child is a process of its own, forked by one small fork server (this file run as a
script) that imported the database code once: a fresh interpreter per kill spent about
0.3 s importing pydantic and the models before its first write, most of the test's time.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SONGS = 60


@dataclass
class Model:
    """What the database must hold after a given sequence of changes."""

    favorites: set[str] = field(default_factory=set)
    queue: list[str] = field(default_factory=list)
    current_index: int | None = None
    position_ms: int = 0

    def copy(self) -> Model:
        return Model(set(self.favorites), list(self.queue), self.current_index, self.position_ms)

    def state(self) -> tuple[frozenset[str], tuple[str, ...], int | None, int]:
        position = self.position_ms if self.current_index is not None else 0
        return frozenset(self.favorites), tuple(self.queue), self.current_index, position


def _key(n: int) -> str:
    return f"crash:{n}"


def operation(seed: int, seq: int) -> tuple[str, tuple[int, ...], int | None, int]:
    """Change number `seq`: (kind, song numbers, current index, position_ms); pure."""
    rng = random.Random(f"{seed}:{seq}")
    roll = rng.random()
    if roll < 0.35:
        return "fav_add", (rng.randrange(SONGS),), None, 0
    if roll < 0.5:
        return "fav_remove", (rng.randrange(SONGS),), None, 0
    songs = tuple(rng.sample(range(SONGS), rng.randint(0, 12)))
    current = rng.randrange(len(songs)) if songs and rng.random() < 0.8 else None
    position = rng.randrange(0, 300_000)
    if roll < 0.8:
        return "queue", songs, current, position
    if roll < 0.9:
        return "queue_and_fav", songs, current, position  # one transaction: both or neither
    return "position", (), None, position


def apply_to_model(model: Model, seed: int, seq: int) -> None:
    kind, songs, current, position = operation(seed, seq)
    if kind == "fav_add":
        model.favorites.add(_key(songs[0]))
    elif kind == "fav_remove":
        model.favorites.discard(_key(songs[0]))
    elif kind in ("queue", "queue_and_fav"):
        model.queue = [_key(n) for n in songs]
        model.current_index, model.position_ms = current, position
        if kind == "queue_and_fav" and songs:
            model.favorites.add(_key(songs[0]))
    elif kind == "position" and model.current_index is not None:
        model.position_ms = position


# -- the child ------------------------------------------------------------------------------------


def child(db_path: str, seed: int, start: int) -> None:
    from ktvdesk.models import Song
    from ktvdesk.storage import UserDatabase

    def song(n: int) -> Song:
        return Song(provider="crash", id=str(n), title=f"Crash song {n}", singers=(f"Singer {n % 5}",))

    print("opening", flush=True)
    db = UserDatabase(db_path)
    queue_size = len(db.queue.load().entries)
    print("open", flush=True)
    seq = start
    while True:
        kind, songs, current, position = operation(seed, seq)
        sys.stdout.write(f"begin {seq}\n")  # lets the parent aim a kill into the middle of a write
        sys.stdout.flush()
        if kind == "fav_add":
            db.favorites.add(song(songs[0]))
        elif kind == "fav_remove":
            db.favorites.remove(song(songs[0]))
        elif kind == "queue":
            db.queue.save([song(n) for n in songs], current, position)
            queue_size = len(songs)
        elif kind == "queue_and_fav":
            with db.transaction():
                db.queue.save([song(n) for n in songs], current, position)
                if songs:
                    db.favorites.add(song(songs[0]))
            queue_size = len(songs)
        elif queue_size:
            db.queue.set_position(position)  # crash-safe even though not fsynced
        sys.stdout.write(f"ack {seq}\n")
        sys.stdout.flush()
        seq += 1


def fork_server() -> None:
    """Read `<db> <seed> <start>` lines; for each, fork a child writer, say `pid <n>`
    before it starts, and `exit <n> <status>` once it is gone (killed, as a rule)."""
    import ktvdesk.models
    import ktvdesk.storage  # noqa: F401  (imported once here, inherited by every child)

    for command in sys.stdin:
        db_path, seed, start = command.split()
        go_read, go_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: waits until its pid is announced, then writes forever
            os.close(go_write)
            os.read(go_read, 1)
            os.close(go_read)
            try:
                child(db_path, int(seed), int(start))
            finally:
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
                os._exit(1)
        os.close(go_read)
        print(f"pid {pid}", flush=True)
        os.write(go_write, b"x")
        os.close(go_write)
        _, status = os.waitpid(pid, 0)
        print(f"exit {pid} {os.waitstatus_to_exitcode(status)}", flush=True)


# -- the parent -----------------------------------------------------------------------------------


@dataclass
class KillReport:
    kills: int = 0
    acks: int = 0  # acknowledged changes, all verified present
    fresh_database_kills: int = 0  # kills while creating/migrating a new database
    mid_write_kills: int = 0  # kills aimed at the start of a change rather than after an ack
    in_flight_committed: int = 0  # kills after a commit but before its ack was printed
    failures: list[str] = field(default_factory=list)


def _read_state(db_path: Path) -> tuple[str, tuple[frozenset[str], tuple[str, ...], int | None, int]]:
    raw = sqlite3.connect(db_path)  # a plain connection first: recovery as any reader sees it
    try:
        integrity = "\n".join(str(row[0]) for row in raw.execute("PRAGMA integrity_check"))
    finally:
        raw.close()
    from ktvdesk.storage import UserDatabase

    with UserDatabase(db_path) as db:
        snapshot = db.queue.load()
        favorites = frozenset(db.favorites.keys())
        position = snapshot.position_ms if snapshot.current_index is not None else 0
        return integrity, (
            favorites,
            tuple(e.key for e in snapshot.entries),
            snapshot.current_index,
            position,
        )


def run_kill_rounds(db_path: Path, *, kills: int, seed: int, max_acks: int = 40) -> KillReport:
    errors = Path(f"{db_path}.child-stderr")
    with errors.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        )
    try:
        return _kill_rounds(server, errors, db_path, kills=kills, seed=seed, max_acks=max_acks)
    finally:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.close()  # the fork server's end of input: it exits
        server.wait(30)
        server.stdout.close()


def _kill_rounds(
    server: subprocess.Popen[str], errors: Path, db_path: Path, *, kills: int, seed: int, max_acks: int
) -> KillReport:
    assert server.stdin is not None and server.stdout is not None
    rng = random.Random(seed)
    report = KillReport()
    model = Model()
    next_seq = 0
    for _ in range(kills):
        fresh = rng.random() < 0.15
        if fresh:  # start over: the kill lands while the schema is being created
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            model = Model()
        wanted = 0 if fresh else rng.randint(1, max_acks)
        mid_write = rng.random() < 0.5  # kill as the next change starts, not right after an ack
        server.stdin.write(f"{db_path} {seed} {next_seq}\n")
        server.stdin.flush()
        announced = server.stdout.readline().split()
        assert announced[:1] == ["pid"], f"fork server: {announced} {errors.read_text()[-2000:]}"
        pid = int(announced[1])
        read_acks: list[int] = []
        trigger = "opening" if fresh else None
        while True:
            line = server.stdout.readline()
            if not line or line.startswith(f"exit {pid} "):
                report.failures.append(f"child died on its own: {errors.read_text()[-2000:]}")
                return report
            if trigger is not None and line.strip() == trigger:
                break
            if line.startswith("ack "):
                read_acks.append(int(line.split()[1]))
                if len(read_acks) >= wanted and not mid_write:
                    break
            elif line.startswith("begin ") and len(read_acks) >= wanted and trigger is None and mid_write:
                break
        os.kill(pid, signal.SIGKILL)
        # Acks printed before the kill but not read yet count as acknowledged too: the
        # fork server says `exit` only once the child is gone, so after all it wrote.
        printed = list(read_acks)
        for line in iter(server.stdout.readline, f"exit {pid} {-signal.SIGKILL}\n"):
            assert line and not line.startswith("exit "), f"child {pid} not killed: {line!r}"
            if line.startswith("ack "):
                printed.append(int(line.split()[1]))
        report.kills += 1
        report.fresh_database_kills += int(fresh)
        report.mid_write_kills += int(mid_write and not fresh)
        if printed != list(range(next_seq, next_seq + len(printed))):
            report.failures.append(f"acks out of order: {printed[:5]}…")
            return report
        for seq in printed:
            apply_to_model(model, seed, seq)
        report.acks += len(printed)
        next_seq += len(printed)
        integrity, state = _read_state(db_path)
        if integrity != "ok":
            report.failures.append(f"kill {report.kills}: integrity_check: {integrity}")
            return report
        ahead = model.copy()
        apply_to_model(ahead, seed, next_seq)
        if state == model.state():
            pass
        elif state == ahead.state():  # the change in flight was committed; its ack never printed
            model = ahead
            next_seq += 1
            report.in_flight_committed += 1
        else:
            report.failures.append(
                f"kill {report.kills} after seq {next_seq - 1}: database {state} != expected {model.state()}"
            )
            return report
    return report


if __name__ == "__main__":
    fork_server()
