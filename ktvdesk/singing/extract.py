"""Melody extraction from an original-vocal track: the reference for songs with no notes.

Most KTV files carry the original mix beside the accompaniment (two audio tracks, a
left/right split, or a separate 伴奏 file). Both are the same arrangement on the same
timeline, so original − accompaniment leaves the lead vocal alone; that makes tracking
its pitch reliable where a pitch tracker on the full mix follows the bass and the
chords a third of the time. With no accompaniment (a mixed file) the mix is tracked
as it is, with a stricter voicing gate.

The frames become notes: voiced runs, split where the pitch moves to another note and
stays there, each note at the median of its frames; blips shorter than a syllable are
dropped. This runs in a worker process (`MelodyExtractor`): a minute of audio costs
about a second of CPU, which must not stall the UI's event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ktvdesk.models import Channel, VocalLayout
from ktvdesk.singing.audio import decode
from ktvdesk.singing.melody import Melody, MelodySource, Note
from ktvdesk.singing.pitch import HOP_MS, Floats, PitchFrames, Samples, detect

ExtractedNotes = list[tuple[int, int, float]]  # (start_ms, end_ms, midi) per note
EXTRACTOR_VERSION = 1  # bump when the algorithm changes: cached melodies are redone
MIN_NOTE_MS = 90
SPLIT_SEMITONES = 0.7  # a pitch this far from the note's median, held, starts a new note
HOLD_FRAMES = 4
BRIDGE_FRAMES = 3  # unvoiced gaps this short inside a note are consonants, not rests
RELATIVE_LEVEL = 0.12  # frames quieter than this × the loud frames are bleed, not voice


@dataclass(frozen=True, slots=True)
class VocalSource:
    """Where the original vocal of a local song is, and what to subtract from it."""

    path: str
    layout: VocalLayout
    original_track: int = 0
    accompaniment_track: int = 1
    vocal_channel: Channel = Channel.LEFT
    accompaniment_path: str | None = None

    @property
    def has_vocal(self) -> bool:
        return self.layout is not VocalLayout.ACCOMPANIMENT_ONLY


def vocal_audio(source: VocalSource) -> Samples:
    """The lead vocal as well as the layout allows: original minus accompaniment."""
    layout = source.layout
    if layout is VocalLayout.TWO_TRACKS:
        original = decode(source.path, track=source.original_track)
        backing = decode(source.path, track=source.accompaniment_track)
    elif layout is VocalLayout.LEFT_RIGHT:
        other = Channel.RIGHT if source.vocal_channel is Channel.LEFT else Channel.LEFT
        original = decode(source.path, channel=source.vocal_channel)
        backing = decode(source.path, channel=other)
    elif layout is VocalLayout.SEPARATE_FILE and source.accompaniment_path:
        original = decode(source.path)
        backing = decode(source.accompaniment_path)
    else:
        return decode(source.path)
    size = min(original.size, backing.size)
    return np.asarray(original[:size] - backing[:size], dtype=np.float32)


def extract_notes(source: VocalSource) -> list[tuple[int, int, float]]:
    """(start_ms, end_ms, pitch) of the vocal's notes; runs in the worker process."""
    frames = detect(vocal_audio(source), voicing_threshold=0.15)
    return frames_to_notes(frames)


def frames_to_notes(frames: PitchFrames) -> list[tuple[int, int, float]]:
    midi = _gated(frames)
    notes: list[tuple[int, int, float]] = []
    run: list[float] = []
    run_start = 0
    gap = 0
    pending: list[float] = []  # frames off the current note, maybe the next one

    def close(end_index: int) -> None:
        if len(run) * HOP_MS >= MIN_NOTE_MS:
            start_ms, end_ms = frames.time_ms(run_start), frames.time_ms(end_index)
            notes.append((start_ms, end_ms, round(float(np.median(run)), 2)))

    for i, value in enumerate(midi):
        if np.isnan(value):
            gap += 1
            if run and gap > BRIDGE_FRAMES:
                close(i - gap + 1)
                run, pending = [], []
            continue
        gap = 0
        if not run:
            run, run_start, pending = [float(value)], i, []
            continue
        centre = float(np.median(run[-25:]))
        if abs(value - centre) < SPLIT_SEMITONES:
            run.extend(pending)
            run.append(float(value))
            pending = []
            continue
        pending.append(float(value))
        held = pending[-HOLD_FRAMES:]
        if len(held) == HOLD_FRAMES and np.ptp(held) < SPLIT_SEMITONES:
            # The note changed: the glide before the held frames belongs to neither note.
            close(i - len(pending) + 1)
            run, run_start, pending = held, i - HOLD_FRAMES + 1, []
    if run:
        close(len(midi) - gap)
    return notes


def _gated(frames: PitchFrames) -> Floats:
    midi = frames.midi.copy()
    if frames.rms is not None and frames.rms.size:
        loud = float(np.percentile(frames.rms, 95))
        midi[frames.rms < RELATIVE_LEVEL * loud] = np.nan
    return _median3(midi)


def _median3(midi: Floats) -> Floats:
    """A 3-frame median that keeps NaN where the centre is unvoiced (kills one-frame octave slips)."""
    if midi.size < 3:
        return midi
    stacked = np.vstack((np.roll(midi, 1), midi, np.roll(midi, -1)))
    stacked[0, 0], stacked[2, -1] = midi[0], midi[-1]
    smoothed = np.median(np.where(np.isnan(stacked), midi, stacked), axis=0)
    return np.where(np.isnan(midi), np.nan, smoothed)


def melody_from_notes(notes: Sequence[tuple[int, int, float]], line_starts_ms: Sequence[int] = ()) -> Melody:
    """A `Melody` from extracted notes, lines taken from the lyrics when there are some."""
    starts = list(line_starts_ms)
    out = []
    for start, end, pitch in notes:
        line = _line_of((start + end) // 2, starts) if starts else 0
        out.append(Note(start, end, pitch, line=line))
    return Melody(tuple(out), MelodySource.VOCAL_TRACK)


def _line_of(time_ms: int, starts: Sequence[int]) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, time_ms) - 1)


class MelodyExtractor:
    """Runs extractions in one worker process, started on first use."""

    def __init__(self) -> None:
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            # spawn: the parent may run Qt and libVLC threads, which fork would copy half-way.
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    async def extract(self, source: VocalSource) -> list[tuple[int, int, float]]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), extract_notes, source)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
