"""Synthesise the 气氛 (room atmosphere) sounds into resources/sounds/ (CC0).

    .venv/bin/python packaging/sounds/make_sounds.py

Every sample comes from numpy here (no recordings): applause is a crowd of band-passed
noise claps, the cheer a choir of gliding "yeah" vowels over noise, the laugh voiced
"ha" pulses, the whistle a two-note wolf whistle. Mono 16-bit WAV at 22.05 kHz, about
two seconds each; a fixed seed makes the files reproducible byte for byte.
"""

from __future__ import annotations

import sys
import wave
from pathlib import Path
from typing import Any

import numpy as np

RATE = 22_050
OUT = Path(__file__).resolve().parents[2] / "resources" / "sounds"
rng = np.random.default_rng(20261207)


def _t(seconds: float) -> Any:
    return np.arange(int(seconds * RATE)) / RATE


def _bandpass(signal: Any, low_hz: float, high_hz: float) -> Any:
    spectrum = np.fft.rfft(signal)
    freqs = np.fft.rfftfreq(signal.size, 1 / RATE)
    spectrum[(freqs < low_hz) | (freqs > high_hz)] = 0
    return np.fft.irfft(spectrum, signal.size)


def _envelope(n: int, attack_s: float, release_s: float) -> Any:
    env = np.ones(n)
    a, r = int(attack_s * RATE), int(release_s * RATE)
    env[:a] = np.linspace(0, 1, a)
    env[n - r :] *= np.linspace(1, 0, r)
    return env


def applause(seconds: float = 2.2) -> Any:
    out = np.zeros(int(seconds * RATE))
    clap_len = int(0.012 * RATE)
    for _ in range(420):  # a few dozen people clapping ~5 times a second
        start = rng.integers(0, out.size - clap_len)
        clap = rng.standard_normal(clap_len) * np.exp(-np.linspace(0, 6, clap_len))
        out[start : start + clap_len] += clap * rng.uniform(0.3, 1.0)
    out = _bandpass(out, 600, 6000)
    return out * _envelope(out.size, 0.15, 0.6)


def _vowel(t: Any, f0: Any, formants: tuple[float, ...]) -> Any:
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 25))  # a bright sawtooth-like source
    shaped = np.zeros_like(t)
    for formant in formants:
        shaped += _bandpass(np.asarray(voice), formant * 0.8, formant * 1.2)
    return shaped


def cheer(seconds: float = 2.0) -> Any:
    t = _t(seconds)
    out = 0.4 * _bandpass(rng.standard_normal(t.size), 300, 4000)
    for _ in range(7):  # seven voices, each its own pitch and glide
        base = rng.uniform(180, 420)
        f0 = base * (1 + 0.25 * np.sin(np.pi * t / seconds)) * (1 + 0.01 * np.sin(2 * np.pi * 5.5 * t))
        out += _vowel(t, f0, (700, 1200, 2600)) * rng.uniform(0.5, 1.0)
    return out * _envelope(t.size, 0.08, 0.7)


def laugh(seconds: float = 1.8) -> Any:
    t = _t(seconds)
    f0 = 260 * (1 - 0.15 * t / seconds)
    voiced = _vowel(t, f0, (800, 1250, 2700))
    pulses = np.zeros_like(t)
    for k in range(9):  # "ha" about 5 times a second, fading
        centre = 0.1 + k * 0.19
        pulses += np.exp(-(((t - centre) / 0.045) ** 2)) * (1 - k / 11)
    breath = 0.3 * _bandpass(rng.standard_normal(t.size), 1000, 5000)
    return (voiced + breath) * pulses


def whistle(seconds: float = 1.4) -> Any:
    t = _t(seconds)
    rise = np.interp(t, [0, 0.45, 0.55, 0.7, 1.25, 1.4], [1300, 2600, 2600, 1500, 1050, 1000])
    phase = 2 * np.pi * np.cumsum(rise) / RATE
    gap = np.interp(t, [0, 0.5, 0.56, 0.64, 1.4], [1, 1, 0, 1, 1])
    tone = np.sin(phase) + 0.08 * _bandpass(rng.standard_normal(t.size), 900, 3500)
    return tone * gap * _envelope(t.size, 0.03, 0.2)


def write(name: str, signal: Any) -> Path:
    peak = np.max(np.abs(signal)) or 1.0
    pcm = (signal / peak * 0.7 * 32767).astype("<i2")
    path = OUT / f"{name}.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (("applause", applause), ("cheer", cheer), ("laugh", laugh), ("whistle", whistle)):
        path = write(name, make())
        print(f"{path} ({path.stat().st_size // 1024} KiB)")
    (OUT / "README.md").write_text(
        "# 气氛 sounds\n\nSynthesised by `packaging/sounds/make_sounds.py` (numpy, fixed seed); no recordings.\n"
        "Dedicated to the public domain (CC0 1.0). Run the script again to rebuild them.\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
