"""Synthetic singers for the scoring tests and benchmarks (no recordings needed).

A voice-like tone, not a pure sine: six harmonics under a vowel-ish formant tilt, a glide
between notes, vibrato that sets in after the onset, a little jitter, and breath noise.
Every variant (late, sharp, an octave down…) is rendered from the same reference notes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ktvdesk.singing.melody import Melody, MelodySource, Note, NoteKind
from ktvdesk.singing.pitch import SAMPLE_RATE

Audio = npt.NDArray[np.float32]


def midi_to_hz(midi: float) -> float:
    return float(440.0 * 2.0 ** ((midi - 69.0) / 12.0))


def voice(
    melody: Melody,
    *,
    semitones: float = 0.0,
    delay_ms: int = 0,
    seed: int = 1,
    rate: int = SAMPLE_RATE,
    tail_ms: int = 1000,
    level: float = 0.3,
) -> Audio:
    """The melody sung `semitones` off and `delay_ms` late."""
    return voice_and_pitch(
        melody, semitones=semitones, delay_ms=delay_ms, seed=seed, rate=rate, tail_ms=tail_ms, level=level
    )[0]


def voice_and_pitch(
    melody: Melody,
    *,
    semitones: float = 0.0,
    delay_ms: int = 0,
    seed: int = 1,
    rate: int = SAMPLE_RATE,
    tail_ms: int = 1000,
    level: float = 0.3,
) -> tuple[Audio, npt.NDArray[np.float64]]:
    """The voice and its true pitch per sample (MIDI, 0 where silent): the benchmarks' truth."""
    rng = np.random.default_rng(seed)
    total = int((melody.end_ms + delay_ms + tail_ms) * rate / 1000)
    f0 = np.zeros(total)
    gain = np.zeros(total)
    for note in melody.notes:
        a = int((note.start_ms + delay_ms) * rate / 1000)
        b = min(total, int((note.end_ms + delay_ms) * rate / 1000))
        if b <= a:
            continue
        t = np.arange(b - a) / rate
        vibrato = 0.3 * np.clip((t - 0.2) * 4, 0, 1) * np.sin(2 * np.pi * 5.5 * t + rng.uniform(0, 6))
        drift = np.cumsum(rng.normal(0, 0.002, b - a))  # slow jitter, a few cents
        f0[a:b] = 440.0 * 2 ** ((note.pitch + semitones + vibrato + drift - 69) / 12)
        env = np.minimum(1.0, np.minimum(t / 0.03, (t[-1] - t + 1e-3) / 0.05))
        gain[a:b] = np.clip(env, 0, 1)
    # glide: smooth the pitch contour over 30 ms where voiced
    kernel = np.ones(int(0.03 * rate)) / int(0.03 * rate)
    smooth = np.convolve(f0, kernel, mode="same")
    weight = np.convolve((f0 > 0).astype(float), kernel, mode="same")
    f0 = np.where(f0 > 0, smooth / np.maximum(weight, 1e-9), 0.0)
    phase = np.cumsum(2 * np.pi * f0 / rate)
    partials = ((1, 1.0), (2, 0.6), (3, 0.45), (4, 0.25), (5, 0.15), (6, 0.08))
    wave = sum(amp * np.sin(k * phase) for k, amp in partials)
    breath = np.convolve(rng.standard_normal(total), np.ones(4) / 4, mode="same") * 0.03
    out = (wave / 2.5 + breath) * gain * level
    truth = np.where(f0 > 0, 69 + 12 * np.log2(np.maximum(f0, 1e-9) / 440.0), 0.0)
    return out.astype(np.float32), truth


def noise(seconds: float, *, seed: int = 2, rate: int = SAMPLE_RATE, level: float = 0.1) -> Audio:
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(int(seconds * rate))
    pinkish = np.convolve(white, np.ones(8) / 8, mode="same")
    return (pinkish * level).astype(np.float32)


def speech(seconds: float, *, seed: int = 3, rate: int = SAMPLE_RATE) -> Audio:
    """Speech-like: syllables of gliding, intonated voice (not on any scale) and fricatives."""
    rng = np.random.default_rng(seed)
    total = int(seconds * rate)
    out = np.zeros(total)
    at = 0
    while at < total:
        voiced = int(rng.uniform(0.08, 0.22) * rate)
        t = np.arange(voiced) / rate
        start_hz = rng.uniform(100, 220)
        contour = start_hz * 2 ** (
            rng.uniform(-0.5, 0.3) * t / max(t[-1], 1e-3) + 0.05 * np.sin(2 * np.pi * 3 * t)
        )
        phase = np.cumsum(2 * np.pi * contour / rate)
        env = np.clip(np.sin(np.pi * t / t[-1]), 0, 1) ** 0.5
        syllable = sum(a * np.sin(k * phase) for k, a in ((1, 1.0), (2, 0.7), (3, 0.5), (4, 0.3), (5, 0.2)))
        end = min(total, at + voiced)
        out[at:end] += (syllable * env)[: end - at] * 0.12
        fric = int(rng.uniform(0.03, 0.08) * rate)
        f_end = min(total, end + fric)
        out[end:f_end] += np.diff(rng.standard_normal(f_end - end + 1)) * 0.03
        at = f_end + int(rng.uniform(0.02, 0.25) * rate)
    return out.astype(np.float32)


def demo_melody(seconds: int = 24, *, with_golden: bool = True) -> Melody:
    """A made-up tune over two octaves: 4 lines of 8 notes with rests between lines."""
    scale = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 57, 55]
    rng = np.random.default_rng(7)
    notes = []
    t = 1000
    line = 0
    while t < seconds * 1000 - 2000:
        for i in range(8):
            dur = int(rng.choice([250, 400, 500, 750]))
            pitch = float(rng.choice(scale))
            kind = NoteKind.GOLDEN if with_golden and i == 7 else NoteKind.NORMAL
            notes.append(Note(t, t + dur - 30, pitch, kind, line))
            t += dur
        t += 1200
        line += 1
    return Melody(tuple(notes), MelodySource.NOTES)
