"""气氛 from a phone: played over the song by a second libVLC player, rate-limited."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import numpy as np

from ktvdesk import paths
from ktvdesk.playback.backend import BackendEvent
from ktvdesk.playback.sound_effects import SOUNDS, SoundEffects
from ktvdesk.playback.vlc_backend import VlcBackend
from ktvdesk.session import SessionEvent, SessionEventKind
from tests.integration.remote.conftest import Remote


def test_the_sounds_are_short_mono_wavs() -> None:
    for name in SOUNDS:
        with wave.open(str(paths.resources_dir() / "sounds" / f"{name}.wav")) as sound:
            seconds = sound.getnframes() / sound.getframerate()
            assert sound.getnchannels() == 1 and 1.0 <= seconds <= 3.0, name


async def test_a_cheer_is_heard_and_a_second_one_waits(quiet_remote: Remote, tmp_path: Path) -> None:
    rendered = tmp_path / "room.wav"
    ended = asyncio.Event()
    loop = asyncio.get_running_loop()
    backends: list[VlcBackend] = []

    def make_backend() -> VlcBackend:
        backend = VlcBackend(audio_out_file=rendered)  # renders what the room would hear

        def on_event(kind: BackendEvent, _: int) -> None:  # on a libVLC thread
            if kind is BackendEvent.END:
                loop.call_soon_threadsafe(ended.set)

        backend.set_event_sink(on_event)
        backends.append(backend)
        return backend

    effects = SoundEffects(make_backend, paths.resources_dir() / "sounds")
    heard: list[SessionEvent] = []

    def on_session(event: SessionEvent) -> None:  # what services.py wires in the app
        if event.kind is SessionEventKind.CHEER and event.detail:
            heard.append(event)
            effects.play(event.detail)

    quiet_remote.session.subscribe(on_session)
    phone = await quiet_remote.phone("Fan")
    async with phone:
        first = await phone.post(f"{quiet_remote.base}/api/cheer", json={"sound": "applause"})
        assert first.status_code == 200
        second = await phone.post(f"{quiet_remote.base}/api/cheer", json={"sound": "whistle"})
        assert second.status_code == 429 and "s" in second.json()["message"]["en"]
        unknown = await phone.post(f"{quiet_remote.base}/api/cheer", json={"sound": "airhorn"})
        assert unknown.status_code == 422
    assert [e.detail for e in heard] == ["applause"]
    assert effects.played == ["applause"]
    await asyncio.wait_for(ended.wait(), 20)
    effects.close()
    with wave.open(str(rendered)) as out:
        samples = np.frombuffer(out.readframes(out.getnframes()), dtype="<i2").astype(float)
    assert samples.size > 0 and np.sqrt(np.mean(samples**2)) > 300  # audible, not silence
