"""The `[playback]` settings reach the player: built by the real composition root over real
libVLC (dummy audio output) and the loopback media server.

* `playback.network_caching_ms` is libVLC's `:network-caching` for network links (and
  only for them: local files keep the short file caching that live switches need).
* `playback.lyric_offset_ms` is the lyric offset of a device that was never calibrated;
  a calibration stored on the device (even 0) wins over it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from ktvdesk.config import LoadedSettings, PlaybackSettings, Settings
from ktvdesk.device_prefs import DevicePrefs
from ktvdesk.models import MediaSource
from ktvdesk.playback import PlayerState
from ktvdesk.services import AppServices, build_services


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return tmp_path / "data"


def services_with(tmp_path: Path, **playback: Any) -> AppServices:
    settings = Settings(playback=PlaybackSettings(**playback))
    return build_services(LoadedSettings(settings, tmp_path / "config.toml"), aout="dummy")


class MediaOpenings:
    """Records the options every media is created with, then lets libVLC create it."""

    def __init__(self, instance: Any) -> None:
        self.options: list[tuple[str, ...]] = []
        self._media_new = instance.media_new
        instance.media_new = self

    def __call__(self, url: str, *options: str) -> Any:
        self.options.append(options)
        return self._media_new(url, *options)


async def wait_until_playing(services: AppServices) -> None:
    engine = services.session.engine if services.session is not None else None
    assert engine is not None
    for _ in range(600):
        if engine.state is PlayerState.PLAYING:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never played: {engine.state}")


async def test_network_caching_setting_reaches_libvlc_for_links_only(
    tmp_path: Path, server: Any, media: Any
) -> None:
    server.state.files["long.wav"] = media.long.read_bytes()
    services = services_with(tmp_path, network_caching_ms=2345)
    try:
        session = services.session
        assert session is not None and session.engine is not None
        openings = MediaOpenings(services.backend._instance)
        session.engine.load(MediaSource(url=server.url("ok", "long.wav")))
        await wait_until_playing(services)
        (link,) = openings.options
        assert ":network-caching=2345" in link
        session.engine.load(MediaSource(url=str(media.plain)))
        await wait_until_playing(services)
        local = openings.options[1]
        assert not any(option.startswith(":network-caching") for option in local)
    finally:
        await services.aclose()


@pytest.mark.parametrize(
    ("stored", "configured", "expected"),
    [
        (None, -200, -200),  # never calibrated here: the config's default
        (150, -200, 150),  # calibrated on this device: that wins
        (0, 300, 0),  # a calibration back to 0 is a calibration too
    ],
)
async def test_lyric_offset_device_calibration_beats_the_config_default(
    tmp_path: Path, data_dir: Path, stored: int | None, configured: int, expected: int
) -> None:
    if stored is not None:
        DevicePrefs(lyric_offset_ms=stored).save(data_dir / "device.json")
    services = services_with(tmp_path, lyric_offset_ms=configured)
    try:
        session = services.session
        assert session is not None and session.engine is not None
        assert session.lyric_offset_ms == expected
        assert session.engine.clock.offset_ms == expected  # what the lyric view reads
    finally:
        await services.aclose()
