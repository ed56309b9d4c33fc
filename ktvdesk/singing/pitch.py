"""The pitch detector: YIN on 10 ms hops over C2–C6, vectorised over every frame at once.

Audio is mono float32 at `SAMPLE_RATE` (16 kHz: C6's third harmonic still fits, and a
frame costs a quarter of what 48 kHz would). Frame k analyses the samples from
`k * HOP` on, and is stamped at the centre of its integration window.

YIN (de Cheveigné & Kawahara 2002): the difference function is computed from one FFT
cross-correlation per frame plus running energies, normalised cumulatively (CMNDF);
the pitch is the first dip under the threshold, refined by parabolic interpolation.
The voicing gate needs both a clear periodic dip and enough level, so breath, hiss and
silence come out unvoiced (NaN) rather than as random notes.

`PitchTracker` is the streaming form for a microphone: it buffers blocks of any size and
runs the same batch function on each complete frame, so the live path and the offline
path produce identical frames for identical samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]
Floats = npt.NDArray[np.float64]

SAMPLE_RATE = 16_000
HOP_MS = 10
HOP = SAMPLE_RATE * HOP_MS // 1000
FMIN_HZ = 65.41  # C2
FMAX_HZ = 1046.5  # C6
WINDOW = 400  # 25 ms integration window
TAU_MAX = math.ceil(SAMPLE_RATE / (FMIN_HZ * 0.97))  # a little below C2, so C2 itself has a dip
TAU_MIN = math.floor(SAMPLE_RATE / (FMAX_HZ * 1.03))
FRAME = WINDOW + TAU_MAX  # samples one frame reads
_FFT_SIZE = 1 << math.ceil(math.log2(FRAME + WINDOW))

YIN_THRESHOLD = 0.15
VOICING_THRESHOLD = 0.25  # CMNDF at the chosen dip; above it the frame is aperiodic
MIN_RMS = 10 ** (-50 / 20)  # -50 dBFS: a microphone's room noise stays below
FIRST_FRAME_MS = WINDOW * 1000 // SAMPLE_RATE // 2  # frame 0 is stamped mid-window


@dataclass(frozen=True, slots=True)
class PitchFrames:
    """One pitch per 10 ms hop: `midi[k]` is a float MIDI number or NaN (unvoiced)."""

    midi: Floats
    first_ms: int = FIRST_FRAME_MS
    rms: Floats | None = None  # level of each frame's window (the level meter, note gating)

    def time_ms(self, index: int) -> int:
        return self.first_ms + index * HOP_MS

    @property
    def voiced(self) -> npt.NDArray[np.bool_]:
        return ~np.isnan(self.midi)


def hz_to_midi(hz: Floats) -> Floats:
    return np.asarray(69.0 + 12.0 * np.log2(hz / 440.0), dtype=np.float64)


def frame_count(samples: int) -> int:
    return 0 if samples < FRAME else (samples - FRAME) // HOP + 1


def detect(audio: Samples, *, voicing_threshold: float = VOICING_THRESHOLD) -> PitchFrames:
    """Pitch of every complete frame of `audio` (mono float32 at SAMPLE_RATE)."""
    count = frame_count(audio.size)
    if count == 0:
        return PitchFrames(np.empty(0, dtype=np.float64))
    signal = np.ascontiguousarray(audio, dtype=np.float32)
    frames = np.lib.stride_tricks.as_strided(
        signal, shape=(count, FRAME), strides=(signal.strides[0] * HOP, signal.strides[0]), writeable=False
    )
    midi = np.full(count, np.nan)
    rms = np.zeros(count)
    # Bounded memory on long files: a minute of audio is 6000 frames.
    for begin in range(0, count, 2048):
        chunk = frames[begin : begin + 2048].astype(np.float64)
        end = begin + chunk.shape[0]
        midi[begin:end], rms[begin:end] = _yin(chunk, voicing_threshold)
    return PitchFrames(midi, rms=rms)


def _yin(frames: Floats, voicing_threshold: float) -> tuple[Floats, Floats]:
    frames = frames - frames.mean(axis=1, keepdims=True)
    head = frames[:, :WINDOW]
    spectrum = np.fft.rfft(frames, _FFT_SIZE) * np.conj(np.fft.rfft(head, _FFT_SIZE))
    correlation = np.fft.irfft(spectrum, _FFT_SIZE)[:, : TAU_MAX + 1]
    squares = np.cumsum(np.pad(frames**2, ((0, 0), (1, 0))), axis=1)
    energy_head = squares[:, WINDOW]
    lags = np.arange(TAU_MAX + 1)
    energy_lagged = squares[:, lags + WINDOW] - squares[:, lags]
    diff = np.maximum(energy_head[:, None] + energy_lagged - 2.0 * correlation, 0.0)
    diff[:, 0] = 0.0
    running = np.cumsum(diff[:, 1:], axis=1)
    cmndf = np.ones_like(diff)
    cmndf[:, 1:] = diff[:, 1:] * lags[1:] / np.maximum(running, 1e-12)

    band = cmndf[:, TAU_MIN : TAU_MAX + 1]
    below = band < YIN_THRESHOLD
    # The bottom of the first dip under the threshold: below it and not above its successor.
    falling = np.empty_like(below)
    falling[:, :-1] = band[:, :-1] <= band[:, 1:]
    falling[:, -1] = True
    first_dip = below & falling
    has_dip = first_dip.any(axis=1)
    index = np.where(has_dip, first_dip.argmax(axis=1), band.argmin(axis=1))
    rows = np.arange(band.shape[0])
    best = band[rows, index]
    tau = index + TAU_MIN

    # Parabolic interpolation around the dip for sub-sample lags (cents accuracy).
    left = cmndf[rows, np.maximum(tau - 1, 1)]
    right = cmndf[rows, np.minimum(tau + 1, TAU_MAX)]
    centre = cmndf[rows, tau]
    curvature = left - 2.0 * centre + right
    shift = np.where(
        curvature > 1e-12, 0.5 * (left - right) / np.where(curvature > 1e-12, curvature, 1.0), 0.0
    )
    refined = tau + np.clip(shift, -1.0, 1.0)

    rms = np.sqrt(energy_head / WINDOW)
    voiced = (best < voicing_threshold) & (rms >= MIN_RMS) & (refined >= TAU_MIN) & (refined < TAU_MAX)
    midi = np.full(frames.shape[0], np.nan)
    midi[voiced] = hz_to_midi(SAMPLE_RATE / refined[voiced])
    return midi, rms


class PitchTracker:
    """Streaming detection: feed blocks of samples, get the pitch of each finished frame.

    `frames_done` counts frames since the start, so frame k of a live stream lines up with
    frame k of the same audio analysed offline.
    """

    def __init__(self) -> None:
        self._pending = np.empty(0, dtype=np.float32)
        self.frames_done = 0

    def feed(self, block: Samples) -> PitchFrames:
        """The frames `block` completed, stamped on the stream's own timeline."""
        self._pending = np.concatenate((self._pending, np.asarray(block, dtype=np.float32).ravel()))
        count = frame_count(self._pending.size)
        first_ms = FIRST_FRAME_MS + self.frames_done * HOP_MS
        if count == 0:
            return PitchFrames(np.empty(0, dtype=np.float64), first_ms, np.empty(0))
        frames = detect(self._pending[: (count - 1) * HOP + FRAME])
        self._pending = self._pending[count * HOP :]
        self.frames_done += count
        return PitchFrames(frames.midi, first_ms, frames.rms)
