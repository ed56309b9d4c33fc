"""A singer's last key for a song comes back the next time that singer sings it."""

from __future__ import annotations

import asyncio

from ktvdesk.playback import PlayerState
from tests.integration.remote.conftest import Remote


async def test_the_key_follows_the_singer(remote: Remote) -> None:
    session = remote.session
    changed = asyncio.Event()
    session.subscribe(lambda _: changed.set())

    async def until(predicate: object) -> None:
        while not predicate():  # type: ignore[operator]
            changed.clear()
            await asyncio.wait_for(changed.wait(), 20)

    jasmine = (await session.providers["local"].search("mlh")).items[0]
    first = session.enqueue_for(jasmine, "Lin")
    await until(lambda: session.state is PlayerState.PLAYING)
    assert session.now_playing is not None and session.now_playing.entry_id == first
    assert session.set_key(-2)
    session.enqueue_for(jasmine, "Ming")
    session.enqueue_for(jasmine, "lin")  # the same singer, typed differently
    await session.next()
    await until(lambda: session.now_playing is not None and session.now_playing.entry_id != first)
    assert session.singers.singer_of(session.now_playing.entry_id) == "Ming"  # type: ignore[union-attr]
    assert session.key == 0  # another singer: as recorded
    await session.next()
    await until(lambda: session.singers.singer_of(session.now_playing.entry_id) == "lin")  # type: ignore[union-attr]
    assert session.key == -2  # set on the engine first: the session keeps it only on success
