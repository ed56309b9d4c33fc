"""`ktvdesk venue serve` as a real process: the one command line the venue tests
(`venue_process`, which kills it) and the venue benchmark start."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path


def serve_args(dsn: str, mqtt_url: str, port: int, media_dirs: Iterable[Path] = ()) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ktvdesk",
        "venue",
        "serve",
        "--db",
        dsn,
        "--mqtt",
        mqtt_url,
        *(arg for folder in media_dirs for arg in ("--media", str(folder))),
        "--port",
        str(port),
    ]


def serve_env(mqtt_password: str, **extra: str) -> dict[str, str]:
    """The broker password reaches the server through the environment, never its argv."""
    return {**os.environ, "KTVDESK_VENUE_MQTT_PASSWORD": mqtt_password, **extra}
