"""The server's own thread: HTTP, JSON and WebSocket work stay off the session's loop,
and every session call still runs on the session's loop (the session is single-threaded)."""

from __future__ import annotations

import threading

import httpx

from ktvdesk.remote.server import THREAD_NAME
from tests.integration.remote.conftest import Remote


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
    assert any(t.name == THREAD_NAME for t in threading.enumerate())


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
