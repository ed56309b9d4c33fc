"""Short room sounds (气氛: applause, cheer, laugh, whistle) mixed over the song.

A second libVLC player through the same `PlayerBackend` protocol as the song, so the
sound card (PulseAudio) mixes the two streams and the song's engine never notices. The
player is created on the first sound only; a new sound replaces one still playing (the
remote's rate limits keep that rare).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ktvdesk.errors import KtvError
from ktvdesk.playback.backend import MediaOptions, PlayerBackend

log = logging.getLogger(__name__)

SOUNDS = ("applause", "cheer", "laugh", "whistle")
EFFECT_VOLUME = 70


class SoundEffects:
    def __init__(self, make_backend: Callable[[], PlayerBackend], sounds_dir: Path) -> None:
        self._make_backend = make_backend
        self._dir = sounds_dir
        self._backend: PlayerBackend | None = None
        self.played: list[str] = []  # what was asked for, in order (the kiosk shows it, tests read it)

    def path_of(self, name: str) -> Path | None:
        if name not in SOUNDS:
            return None
        path = self._dir / f"{name}.wav"
        return path if path.is_file() else None

    def play(self, name: str) -> bool:
        path = self.path_of(name)
        if path is None:
            log.warning("no room sound named %r", name)
            return False
        try:
            backend = self._player()
            backend.stop()
            backend.open(str(path), MediaOptions())
            backend.play()
        except KtvError as exc:
            log.warning("room sound %s not played: %s", name, exc.detail)
            return False
        self.played.append(name)
        return True

    def _player(self) -> PlayerBackend:
        if self._backend is None:
            self._backend = self._make_backend()
            self._backend.set_volume(EFFECT_VOLUME)
        return self._backend

    def close(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.stop()
            close = getattr(backend, "close", None)
            if callable(close):
                close()
