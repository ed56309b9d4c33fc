"""原唱/伴唱 for every VocalLayout, switched live; proved on the rendered audio.

Each fixture carries the "vocal" at 440 Hz and the accompaniment at other frequencies.
The song starts in one mode and switches mid-song; the rendering must show the first
mode before the switch, the second after, no gap longer than 100 ms, and no reload
(a reload would start the song again and make the rendering longer than the song).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from ktvdesk.errors import PlaybackError
from ktvdesk.models import Channel, MediaSource, VocalLayout
from ktvdesk.playback import EndReason, VocalMode

VOCAL_HZ = 440


async def play_and_switch(h: Any, source: MediaSource, first: VocalMode, second: VocalMode) -> Any:
    h.engine.set_vocal(first)
    h.engine.load(source)
    await h.log.position(1200)
    h.engine.set_vocal(second)
    end = await h.log.end()
    assert end.reason is EndReason.FINISHED
    return h.render()


def assert_continuous(rendered: Any, song_s: float) -> None:
    assert rendered.longest_silence_ms() < 100
    assert abs(rendered.seconds - song_s) < 0.25  # nothing replayed, nothing lost


async def test_two_tracks_switch_between_audio_tracks(harness: Any, media: Any) -> None:
    h = harness()
    source = MediaSource(url=str(media.two_tracks), layout=VocalLayout.TWO_TRACKS)
    rendered = await play_and_switch(h, source, VocalMode.ORIGINAL, VocalMode.ACCOMPANIMENT)
    assert rendered.peak_hz(0.2, 0.9) == pytest.approx(440, rel=0.01)
    assert rendered.peak_hz(3.0, 3.45) == pytest.approx(660, rel=0.01)
    assert_continuous(rendered, 3.5)


async def test_two_tracks_can_start_on_the_accompaniment(harness: Any, media: Any) -> None:
    h = harness()
    source = MediaSource(url=str(media.two_tracks), layout=VocalLayout.TWO_TRACKS)
    rendered = await play_and_switch(h, source, VocalMode.ACCOMPANIMENT, VocalMode.ORIGINAL)
    assert rendered.peak_hz(0.05, 0.6) == pytest.approx(660, rel=0.01)
    assert rendered.peak_hz(3.0, 3.45) == pytest.approx(440, rel=0.01)


async def test_left_right_plays_one_channel_on_both_speakers(harness: Any, media: Any) -> None:
    h = harness()
    source = MediaSource(url=str(media.left_right), layout=VocalLayout.LEFT_RIGHT, vocal_channel=Channel.LEFT)
    rendered = await play_and_switch(h, source, VocalMode.ORIGINAL, VocalMode.ACCOMPANIMENT)
    for channel in (0, 1):
        assert rendered.peak_hz(0.05, 0.9, channel) == pytest.approx(440, rel=0.01)
        assert rendered.level(660, 0.05, 0.9, channel) < 0.01
        assert rendered.peak_hz(3.0, 3.45, channel) == pytest.approx(660, rel=0.01)
        assert rendered.level(440, 3.0, 3.45, channel) < 0.01
    assert_continuous(rendered, 3.5)


async def test_separate_accompaniment_file_is_a_slave_track(harness: Any, media: Any) -> None:
    h = harness()
    source = MediaSource(
        url=str(media.original), layout=VocalLayout.SEPARATE_FILE, accompaniment_url=str(media.accompaniment)
    )
    rendered = await play_and_switch(h, source, VocalMode.ORIGINAL, VocalMode.ACCOMPANIMENT)
    assert rendered.peak_hz(0.2, 0.9) == pytest.approx(440, rel=0.01)
    assert rendered.peak_hz(3.0, 3.45) == pytest.approx(660, rel=0.01)
    assert rendered.level(440, 3.0, 3.45) < 0.02
    assert_continuous(rendered, 3.5)


@pytest.mark.parametrize("busy_loop_ms", [0, 600])
async def test_separate_file_can_start_on_the_accompaniment(
    harness: Any, media: Any, busy_loop_ms: int
) -> None:
    """Not one sample of the original, even when the event loop is late to hear that the
    song started (a heavy frame, a library scan, a loaded CPU): the track is chosen when
    the media is opened, not when its Playing report is handled."""
    h = harness()
    source = MediaSource(
        url=str(media.original), layout=VocalLayout.SEPARATE_FILE, accompaniment_url=str(media.accompaniment)
    )
    h.engine.set_vocal(VocalMode.ACCOMPANIMENT)
    h.engine.load(source)
    # The loop is blocked, as under load: a stand-in for a slow frame, not a wait for anything.
    time.sleep(busy_loop_ms / 1000)  # noqa: ASYNC251
    await h.log.position(1200)
    h.engine.set_vocal(VocalMode.ORIGINAL)
    end = await h.log.end()
    assert end.reason is EndReason.FINISHED
    rendered = h.render()
    assert rendered.peak_hz(0.0, 0.9) == pytest.approx(660, rel=0.01)
    assert rendered.level(440, 0.0, 0.9) < 0.02
    assert rendered.peak_hz(3.0, 3.45) == pytest.approx(440, rel=0.01)


async def test_mixed_file_uses_vocal_reduction(harness: Any, media: Any) -> None:
    h = harness()
    source = MediaSource(url=str(media.mixed), layout=VocalLayout.MIXED)
    rendered = await play_and_switch(h, source, VocalMode.ORIGINAL, VocalMode.ACCOMPANIMENT)
    vocal_before = rendered.level(VOCAL_HZ, 0.05, 0.9)
    vocal_after = rendered.level(VOCAL_HZ, 3.0, 3.45)
    side_after = rendered.level(990, 3.0, 3.45, channel=1)
    assert vocal_before > 0.25
    assert vocal_after < vocal_before / 10  # the centred vocal is gone...
    assert side_after > 0.05  # ...the accompaniment is still there
    assert_continuous(rendered, 3.5)


async def test_accompaniment_only_source_refuses_the_original(harness: Any, media: Any) -> None:
    h = harness(render=False)
    h.engine.set_vocal(VocalMode.ACCOMPANIMENT)
    h.engine.load(MediaSource(url=str(media.plain), layout=VocalLayout.ACCOMPANIMENT_ONLY))
    with pytest.raises(PlaybackError) as raised:
        h.engine.set_vocal(VocalMode.ORIGINAL)
    assert raised.value.user_message.zh and raised.value.user_message.en
    assert h.engine.vocal is VocalMode.ACCOMPANIMENT
    h.engine.stop()
