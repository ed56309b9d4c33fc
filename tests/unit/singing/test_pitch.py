from __future__ import annotations

import numpy as np
import pytest

from ktvdesk.singing.melody import Melody, MelodySource, Note
from ktvdesk.singing.pitch import SAMPLE_RATE, PitchFrames, PitchTracker, Samples, detect
from tests.unit.singing.voices import midi_to_hz, noise, voice


def _times_ms(frames: PitchFrames) -> list[int]:
    return [frames.time_ms(i) for i in range(frames.midi.size)]


def _harmonic(midi: float, seconds: float = 0.5) -> Samples:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    f = midi_to_hz(midi)
    wave = sum(
        (a * np.sin(2 * np.pi * k * f * t) for k, a in ((1, 1.0), (2, 0.6), (3, 0.4))), np.zeros_like(t)
    )
    return np.asarray(0.2 * wave, dtype=np.float32)


@pytest.mark.parametrize("midi", [36.0, 40.5, 48.0, 57.0, 60.0, 69.3, 76.0, 84.0])
def test_detects_c2_to_c6_within_ten_cents(midi: float) -> None:
    frames = detect(_harmonic(midi))
    inner = frames.midi[5:-5]
    assert frames.voiced[5:-5].all()
    assert np.max(np.abs(inner - midi)) < 0.1


def test_a_missing_fundamental_is_not_taken_for_its_octave() -> None:
    t = np.arange(SAMPLE_RATE // 2) / SAMPLE_RATE
    f = midi_to_hz(55)
    weak_fundamental = np.asarray(
        0.1 * np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t), dtype=np.float32
    )
    assert np.nanmedian(detect(weak_fundamental).midi) == pytest.approx(55, abs=0.1)


def test_silence_quiet_hum_and_noise_are_unvoiced() -> None:
    assert not detect(np.zeros(SAMPLE_RATE, dtype=np.float32)).voiced.any()
    assert not detect(_harmonic(60) * 0.001).voiced.any()  # under the level gate
    assert detect(noise(1.0)).voiced.mean() < 0.05


def test_frames_are_stamped_every_ten_ms() -> None:
    frames = detect(np.zeros(SAMPLE_RATE, dtype=np.float32))
    assert np.all(np.diff(_times_ms(frames)) == 10)
    assert frames.rms is not None and frames.rms.size == frames.midi.size


def test_streaming_tracker_equals_offline_detection_for_any_block_size() -> None:
    melody = Melody((Note(100, 600, 62.0), Note(700, 1300, 67.0)), MelodySource.NOTES)
    audio = voice(melody, tail_ms=200)
    offline = detect(audio)
    tracker = PitchTracker()
    rng = np.random.default_rng(5)
    at, parts, stamps = 0, [], []
    while at < audio.size:
        size = int(rng.integers(1, 2000))
        out = tracker.feed(audio[at : at + size])
        parts.append(out.midi)
        stamps.extend(_times_ms(out))
        at += size
    live = np.concatenate(parts)
    np.testing.assert_allclose(live, offline.midi, equal_nan=True)
    assert stamps == _times_ms(offline)
