"""libvlccore's internals are used only on a verified libVLC build.

This machine runs a verified libVLC 3.0.x, so an unknown build is simulated by handing the
backend another version string in place of `libvlc_get_version()`; everything else is the
real library, playing and rendering for real.
"""

from __future__ import annotations

from typing import Any

import pytest

from ktvdesk.errors import VlcUnavailableError
from ktvdesk.models import MediaSource, VocalLayout
from ktvdesk.playback import EndReason, VocalMode
from ktvdesk.playback.vlc_backend import probe_vlc, vlccore_refusal

UNKNOWN_BUILD = "4.0.0-dev Otto Chriek"  # injected: see the module docstring


def test_the_installed_libvlc_is_a_verified_build_with_filters() -> None:
    available, reason = probe_vlc()
    assert available, reason
    assert "audio filters available" in reason
    version = reason.split()[1]
    assert vlccore_refusal(version) is None


async def test_an_unknown_build_refuses_key_change_with_a_message_and_plays_on(
    harness: Any, media: Any
) -> None:
    h = harness(vlc_version=UNKNOWN_BUILD)
    h.engine.load(MediaSource(url=str(media.plain)))
    await h.log.position(300)
    with pytest.raises(VlcUnavailableError) as refused:
        h.engine.set_key(2)
    message = refused.value.user_message
    assert UNKNOWN_BUILD in message.zh and "升降调" in message.zh
    assert UNKNOWN_BUILD in message.en and "key change" in message.en
    end = await h.log.end()
    assert end.reason is EndReason.FINISHED
    rendered = h.render()
    # Untouched by any filter: the tone is heard at its own pitch, to the end.
    assert rendered.peak_hz(0.3, 2.7) == pytest.approx(440, rel=0.005)
    assert rendered.seconds == pytest.approx(3.0, abs=0.12)


async def test_an_unknown_build_refuses_vocal_reduction_with_a_message(harness: Any, media: Any) -> None:
    h = harness(vlc_version=UNKNOWN_BUILD)
    h.engine.load(MediaSource(url=str(media.mixed), layout=VocalLayout.MIXED))
    await h.log.position(300)
    with pytest.raises(VlcUnavailableError) as refused:
        h.engine.set_vocal(VocalMode.ACCOMPANIMENT)
    assert "vocal reduction" in refused.value.user_message.en
    assert (await h.log.end()).reason is EndReason.FINISHED


@pytest.mark.parametrize(
    ("version", "verified"),
    [
        ("3.0.24 Vetinari", True),
        ("3.0.9.2 Vetinari", True),
        ("3.0.0-git Vetinari", True),
        ("4.0.0-dev Otto Chriek", False),
        ("3.1.0 Vetinari", False),
        ("2.2.8 Weatherwax", False),
        ("", False),
        ("vlc unknown", False),
    ],
)
def test_only_3_0_builds_are_verified(version: str, verified: bool) -> None:
    assert (vlccore_refusal(version) is None) is verified
