"""Building the phone remote from the settings and the command line (the composition
root calls this; the remote itself knows only the session)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ktvdesk.config import RemoteSettings
from ktvdesk.remote.limits import Limit, RemoteLimits
from ktvdesk.remote.policy import RemotePolicy
from ktvdesk.remote.room import RemoteRoom
from ktvdesk.remote.server import RemoteServer
from ktvdesk.session import KaraokeSession
from ktvdesk.session_singers import TurnOrder


def create_remote(
    session: KaraokeSession,
    settings: RemoteSettings,
    *,
    host: str | None = None,
    port: int | None = None,
    url_file: Path | None = None,
    providers: Iterable[str] | None = None,
    volume_max: int = 100,
) -> RemoteServer:
    """The server, bound (a `ConfigError` says why not); `await server.start()` serves."""
    policy = RemotePolicy(
        allow_priority=settings.allow_priority,
        allow_skip=settings.allow_skip,
        allow_restart=settings.allow_restart,
        volume_max=volume_max,
    )
    limits = RemoteLimits(songs=Limit(settings.songs_per_minute, 60_000))
    session.singers.order = TurnOrder.FAIR if settings.fair_turns else TurnOrder.FIRST_COME
    room = RemoteRoom(session, providers=providers, policy=policy, limits=limits)
    server = RemoteServer(
        room,
        host=host or settings.host,
        port=port if port is not None else settings.port,
        url_file=url_file,
    )
    server.bind()
    return server
