"""The remote's own process: HTTP, JSON and WebSocket work happen there, every session
call still runs on the session's loop, and the process lives and dies with the app."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import httpx

from tests.integration.remote.conftest import Remote


async def _process_ended(pid: int, timeout_s: float = 20) -> None:
    """Wait for `pid` to end: a pidfd becomes readable then (an event, not a poll)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # already gone
    loop = asyncio.get_running_loop()
    ended = loop.create_future()
    loop.add_reader(fd, _settle, ended)
    try:
        await asyncio.wait_for(ended, timeout_s)
    finally:
        loop.remove_reader(fd)
        os.close(fd)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _alive(pid: int) -> bool:
    """Running (an exited process its new parent has not reaped yet is a zombie: not alive)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


async def test_the_server_answers_while_the_session_loop_is_blocked(quiet_remote: Remote) -> None:
    """With uvicorn on the session's loop this would deadlock: the loop waits for an
    answer only the loop itself could produce."""
    answered = threading.Event()
    statuses: list[int] = []

    def phone() -> None:  # a phone that is not on this loop (another thread)
        with httpx.Client(timeout=10) as client:
            statuses.append(client.get(f"{quiet_remote.base}/").status_code)
            statuses.append(client.get(f"{quiet_remote.base}/api/queue").status_code)
            statuses.append(
                client.post(
                    f"{quiet_remote.base}/api/session", json={"token": "wrong", "singer": "x"}
                ).status_code
            )
        answered.set()

    caller = threading.Thread(target=phone)
    caller.start()
    # Blocks this loop (the session's) on purpose until the phone has its answers.
    assert answered.wait(20), "the remote did not answer while the session's loop was busy"
    caller.join()
    assert statuses == [200, 401, 401]
    pid = quiet_remote.server.pid
    assert pid is not None and pid != os.getpid() and _alive(pid)


async def test_session_calls_run_on_the_session_loop_thread(quiet_remote: Remote) -> None:
    session_thread = threading.get_ident()
    heard: list[int] = []
    unsubscribe = quiet_remote.session.subscribe(lambda _event: heard.append(threading.get_ident()))
    phone = await quiet_remote.phone("Ann")
    async with phone:
        found = await phone.get(f"{quiet_remote.base}/api/search", params={"q": "mlh"})
        song_id = found.json()["results"][0]["items"][0]["id"]
        added = await phone.post(
            f"{quiet_remote.base}/api/queue", json={"provider": "local", "song_id": song_id}
        )
        assert added.status_code == 201, added.text
        entry_id = added.json()["entry_id"]
        removed = await phone.delete(f"{quiet_remote.base}/api/queue/{entry_id}")
        assert removed.status_code == 200 and removed.json()["queue"] == []
    unsubscribe()
    assert heard and set(heard) == {session_thread}
    assert quiet_remote.session.upcoming == ()


async def test_a_crashed_remote_is_reported_and_restarts_with_the_same_phones(quiet_remote: Remote) -> None:
    server, base = quiet_remote.server, quiet_remote.base
    reported: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    server.on_failure.append(lambda why: None if reported.done() else reported.set_result(why))
    phone = await quiet_remote.phone("Ann")
    async with phone:
        assert (await phone.get(f"{base}/api/queue")).status_code == 200
        pid = server.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        why = await asyncio.wait_for(reported, 20)
        assert why == f"signal {signal.SIGKILL}" and server.failure == why and not server.running
        # The app carries on: the session still takes songs.
        song = (await quiet_remote.session.providers["local"].search("mlh")).items[0]
        quiet_remote.session.enqueue(song)
        await server.restart()
        assert server.pid not in (None, pid) and server.failure is None
        # Same address, same token, and the phone that had signed in is still in.
        again = await phone.get(f"{base}/api/queue")
        assert again.status_code == 200, again.text
        assert [e["song"]["title"] for e in again.json()["queue"]] == ["茉莉花"]
    assert quiet_remote.url_file.read_text().strip() == server.url


async def test_closing_the_app_stops_the_process(quiet_remote: Remote) -> None:
    pid = quiet_remote.server.pid
    assert pid is not None
    await quiet_remote.server.aclose()
    await _process_ended(pid)
    assert not _alive(pid)
    async with httpx.AsyncClient() as client:
        try:
            await client.get(f"{quiet_remote.base}/", timeout=2)
        except httpx.ConnectError:
            pass  # nobody listens any more
        else:
            raise AssertionError("the remote still answers after the app closed it")


APP = textwrap.dedent(
    """
    import asyncio, json, sys

    from ktvdesk.remote.room import RemoteRoom
    from ktvdesk.remote.server import RemoteServer
    from ktvdesk.session import KaraokeSession


    async def main() -> None:
        server = RemoteServer(RemoteRoom(KaraokeSession({}, None)), host="127.0.0.1", port=0)
        await server.start()
        print(json.dumps({"pid": server.pid, "url": server.base_url}), flush=True)
        await asyncio.Event().wait()  # until killed


    if __name__ == "__main__":
        asyncio.run(main())
    """
)


ROOT = str(Path(__file__).resolve().parents[3])


async def test_the_process_dies_with_a_killed_app(tmp_path: Path) -> None:
    script = tmp_path / "app.py"
    script.write_text(APP)
    app = subprocess.Popen(  # noqa: ASYNC220 - a plain child: killed below, its pipe read on a thread
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": ROOT},
        cwd=ROOT,
    )
    try:
        assert app.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(app.stdout.readline), 60)
        started = json.loads(line)
        child = int(started["pid"])
        async with httpx.AsyncClient() as client:
            assert (await client.get(started["url"])).status_code == 200
        app.kill()  # no clean-up at all: SIGKILL
        app.wait()
        await _process_ended(child)
        assert not _alive(child)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
