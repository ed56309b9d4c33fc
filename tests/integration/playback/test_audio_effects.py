"""Key, tempo, loudness normalisation and clip mode, measured on the rendered audio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ktvdesk.errors import PlaybackError
from ktvdesk.models import ClipSegment, MediaSource
from ktvdesk.playback import EndReason


async def render(h: Any, path: Path, **source: Any) -> Any:
    h.engine.load(MediaSource(url=str(path), **source))
    end = await h.log.end()
    assert end.reason is EndReason.FINISHED
    return h.render()


@pytest.mark.parametrize("semitones", [3, -5])
async def test_key_change_moves_the_pitch_and_keeps_the_tempo(
    harness: Any, media: Any, semitones: int
) -> None:
    h = harness()
    h.engine.set_key(semitones)
    rendered = await render(h, media.plain)
    assert rendered.peak_hz(0.3, 2.7) == pytest.approx(440 * 2 ** (semitones / 12), rel=0.005)
    assert rendered.seconds == pytest.approx(3.0, abs=0.12)


async def test_key_changes_live_without_reloading(harness: Any, media: Any) -> None:
    h = harness()
    h.engine.load(MediaSource(url=str(media.plain)))
    await h.log.position(600)
    h.engine.set_key(2)
    await h.log.end()
    rendered = h.render()
    assert rendered.peak_hz(0.05, 0.6) == pytest.approx(440, rel=0.005)
    assert rendered.peak_hz(2.4, 2.95) == pytest.approx(440 * 2 ** (2 / 12), rel=0.005)
    assert rendered.seconds == pytest.approx(3.0, abs=0.12)
    assert rendered.longest_silence_ms() < 100


@pytest.mark.parametrize("tempo", [1.25, 0.8])
async def test_tempo_scales_the_duration_and_keeps_the_pitch(harness: Any, media: Any, tempo: float) -> None:
    h = harness()
    h.engine.set_tempo(tempo)
    rendered = await render(h, media.plain)
    assert rendered.seconds == pytest.approx(3.0 / tempo, rel=0.04)
    assert rendered.peak_hz(0.3, rendered.seconds - 0.3) == pytest.approx(440, rel=0.005)


async def test_key_and_tempo_combine(harness: Any, media: Any) -> None:
    h = harness()
    h.engine.set_tempo(1.25)
    h.engine.set_key(3)
    rendered = await render(h, media.plain)
    assert rendered.seconds == pytest.approx(3.0 / 1.25, rel=0.04)
    assert rendered.peak_hz(0.3, 2.1) == pytest.approx(440 * 2 ** (3 / 12), rel=0.005)


async def test_out_of_range_key_and_tempo_are_refused_with_a_message(harness: Any) -> None:
    h = harness(render=False)
    for bad in (7, -7):
        with pytest.raises(PlaybackError) as raised:
            h.engine.set_key(bad)
        assert raised.value.code == "bad_key"
    for bad_tempo in (0.5, 1.5, float("nan")):
        with pytest.raises(PlaybackError) as raised:
            h.engine.set_tempo(bad_tempo)
        assert raised.value.user_message.en


async def test_normvol_shrinks_the_level_difference(harness: Any, media: Any) -> None:
    plain_loud = await render(harness(), media.loud)
    levels = {}
    for name in ("loud", "quiet"):
        h = harness()
        h.engine.set_normalize(True)
        levels[name] = (await render(h, getattr(media, name))).rms(0.8, 2.2)
    source_ratio = plain_loud.rms(0.8, 2.2) / (0.05 / 2**0.5)
    assert source_ratio == pytest.approx(18, rel=0.05)  # without normalisation: untouched
    assert levels["loud"] / levels["quiet"] < source_ratio / 3


async def test_replaygain_tag_sets_the_level(harness: Any, media: Any) -> None:
    h = harness()
    h.engine.set_normalize(True)
    rendered = await render(h, media.loud, replaygain_db=-12.0)
    assert rendered.rms(0.3, 2.2) == pytest.approx(0.9 / 2**0.5 * 10 ** (-12 / 20), rel=0.1)


async def test_clip_plays_prelude_and_segment_with_fades_and_ends_there(harness: Any, media: Any) -> None:
    # steps.wav is 300 Hz in second 0, 400 Hz in second 1, ... 700 Hz in second 4.
    h = harness()
    h.engine.load(
        MediaSource(url=str(media.steps), clip=ClipSegment(begin_ms=2000, end_ms=3500), prelude_ms=500)
    )
    end = await h.log.end()
    assert end.reason is EndReason.FINISHED
    rendered = h.render()
    assert rendered.seconds == pytest.approx(2.0, abs=0.15)  # 1.5 s..3.5 s, nothing more
    assert rendered.peak_hz(0.1, 0.45) == pytest.approx(400, rel=0.01)  # the prelude
    assert rendered.peak_hz(0.6, 1.4) == pytest.approx(500, rel=0.01)
    assert rendered.peak_hz(1.55, 1.9) == pytest.approx(600, rel=0.01)
    middle = rendered.rms(0.6, 1.4)
    assert rendered.rms(0.0, 0.03) < middle * 0.2  # fades in...
    assert rendered.rms(rendered.seconds - 0.03, rendered.seconds) < middle * 0.2  # ...and out
    assert rendered.rms(0.25, 0.3) > middle * 0.5  # but short
    assert 1500 <= (end.position_ms or 0) <= 3500


async def test_filters_also_work_with_libvlc_own_file_output(
    harness: Any, media: Any, tmp_path: Path, load_rendered: Any
) -> None:
    # The same mechanism, proved on libVLC's afile output rather than our recorder.
    out = tmp_path / "afile.wav"
    h = harness(render=False, extra_args=("--aout=afile", f"--audiofile-file={out}"))
    h.engine.set_key(4)
    h.engine.load(MediaSource(url=str(media.plain)))
    await h.log.end()
    h.backend.close()
    rendered = load_rendered(out)
    assert rendered.peak_hz(0.3, 2.7) == pytest.approx(440 * 2 ** (4 / 12), rel=0.005)


async def test_volume_and_mute_reach_the_rendered_audio(harness: Any, media: Any) -> None:
    h = harness()
    h.engine.set_volume(50)
    h.engine.load(MediaSource(url=str(media.long)))
    await h.log.position(2500)
    h.engine.set_mute(True)
    await h.log.end()
    rendered = h.render()
    # libVLC's volume curve is cubic: 50 % is 1/8 of the amplitude.
    assert rendered.rms(0.3, 1.5) == pytest.approx(0.5 / 2**0.5 / 8, rel=0.05)
    assert rendered.rms(rendered.seconds - 0.5, rendered.seconds) < 0.001
