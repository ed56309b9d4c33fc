"""Synthesize the bundled demo library (resources/demo) from scores written in this file.

Every melody and every word here is in the public domain: Chinese and English folk songs,
a nursery rhyme (Jane Taylor, 1806), hymns and poems (John Newton, 1779; Robert Burns,
1788; 李叔同, d. 1942, words to J. P. Ordway's 1851 melody). The scores are our own
transcriptions; the arrangement (bass, arpeggiated chords, a soft beat tick) and the
synthesized guide voice are generated here.

Run from the repository root (needs the `demo` extra: numpy, av; PySide6 for the covers):

    .venv/bin/python packaging/demo/make_demo.py [--out resources/demo]

Each song gets lyrics as word-timed KRC and enhanced LRC computed from the same score, so
the timing is exact, plus tags and a cover. The library exercises every vocal layout:

- `*.mkv`: two Opus audio tracks, 0 = original (guide voice + accompaniment), 1 = accompaniment
- `separate/两只老虎.opus` + `separate/两只老虎_伴奏.opus`: the accompaniment as a separate file
- `split/*.ogg`: one stereo track, original mix on the left, accompaniment on the right,
  declared by `split/ktvdesk-folder.toml`
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from ktvdesk.lyrics import encode_krc, write_lrc
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord

Audio = npt.NDArray[np.float32]

RATE = 48_000
BITRATE = 48_000  # per track: speech-grade Opus keeps the folder well under 20 MB
INTRO_BARS = 2
INTERLUDE_BARS = 2
OUTRO_BARS = 2
ALBUM = "ktvdesk 演示曲库 (Demo)"

# --------------------------------------------------------------------------------------
# Scores. A line is (notes, words, chords):
#   notes  — space-separated notes `PITCH[:BEATS]`; `A4+B4:0.5` slurs several notes into one
#            syllable (melisma); `R:BEATS` is a rest. BEATS defaults to 1.
#   words  — one syllable per note group: Chinese text splits per character, other text on `|`
#            (a syllable's trailing space marks the end of a word).
#   chords — one chord per half bar (4/4, 2/4) or per bar (3/4), e.g. "C G7 Am F".
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    notes: str
    words: str
    chords: str


@dataclass(frozen=True)
class Score:
    stem: str  # file name without extension
    title: str
    artist: str
    alias: str  # searchable second title: the other language's name
    genre: str
    language: str
    bpm: int
    beats_per_bar: int
    verses: tuple[tuple[Line, ...], ...]
    layout: str = "two_tracks"  # two_tracks | separate | split
    hue: int = 0  # cover colour
    pickup: int = 0  # beats sung before the first bar line (anacrusis)


def L(notes: str, words: str, chords: str) -> Line:  # a short name keeps the scores readable
    return Line(notes, words, chords)


TWO_TIGERS_1 = (
    L("C4 D4 E4 C4 C4 D4 E4 C4", "两只老虎两只老虎", "C C C C"),
    L("E4 F4 G4:2 E4 F4 G4:2", "跑得快跑得快", "C C C C"),
    L(
        "G4:0.5 A4:0.5 G4:0.5 F4:0.5 E4 C4 G4:0.5 A4:0.5 G4:0.5 F4:0.5 E4 C4",
        "一只没有眼睛一只没有尾巴",
        "C G C G",
    ),
    L("C4 G3 C4:2 C4 G3 C4:2", "真奇怪真奇怪", "C G C C"),
)
TWO_TIGERS_2 = (
    TWO_TIGERS_1[0],
    TWO_TIGERS_1[1],
    L(
        "G4:0.5 A4:0.5 G4:0.5 F4:0.5 E4 C4 G4:0.5 A4:0.5 G4:0.5 F4:0.5 E4 C4",
        "一只没有耳朵一只没有尾巴",
        "C G C G",
    ),
    TWO_TIGERS_1[3],
)

TWINKLE_1 = (
    L("C4 C4 G4 G4 A4 A4 G4:2", "Twin|kle, |twin|kle, |lit|tle |star,", "C C F C"),
    L("F4 F4 E4 E4 D4 D4 C4:2", "How |I |won|der |what |you |are!", "F C G7 C"),
    L("G4 G4 F4 F4 E4 E4 D4:2", "Up |a|bove |the |world |so |high,", "C F C G"),
    L("G4 G4 F4 F4 E4 E4 D4:2", "Like |a |dia|mond |in |the |sky.", "C F C G"),
    L("C4 C4 G4 G4 A4 A4 G4:2", "Twin|kle, |twin|kle, |lit|tle |star,", "C C F C"),
    L("F4 F4 E4 E4 D4 D4 C4:2", "How |I |won|der |what |you |are!", "F C G7 C"),
)
TWINKLE_2 = (
    L("C4 C4 G4 G4 A4 A4 G4:2", "When |the |bla|zing |sun |is |gone,", "C C F C"),
    L("F4 F4 E4 E4 D4 D4 C4:2", "When |he |no|thing |shines |up|on,", "F C G7 C"),
    L("G4 G4 F4 F4 E4 E4 D4:2", "Then |you |show |your |lit|tle |light,", "C F C G"),
    L("G4 G4 F4 F4 E4 E4 D4:2", "Twin|kle, |twin|kle, |all |the |night.", "C F C G"),
    TWINKLE_1[4],
    TWINKLE_1[5],
)

# 茉莉花 (Jiangsu tune), 2/4, slow.
JASMINE_1 = (
    L(
        "E4 E4:0.5+G4:0.5 A4:0.5+C5:0.5 C5:0.5+A4:0.5 G4 G4:0.5+A4:0.5 G4 A4:0.5+G4:0.5 G4:2",
        "好一朵美丽的茉莉花",
        "C C F F C C G G C C",
    ),
    L(
        "E4 E4:0.5+G4:0.5 A4:0.5+C5:0.5 C5:0.5+A4:0.5 G4 G4:0.5+A4:0.5 G4 A4:0.5+G4:0.5 G4:2",
        "好一朵美丽的茉莉花",
        "C C F F C C G G C C",
    ),
    L("G4 G4 G4:0.5+E4:0.5 G4:0.5+A4:0.5 C5 A4 G4:2", "芬芳美丽满枝桠", "C C C F F F C C"),
    L("E4 D4:0.5+E4:0.5 G4 E4:0.5+D4:0.5 C4 C4:0.5+D4:0.5 C4:2", "又香又白人人夸", "C G C G Am G C C"),
    L("E4:0.5+D4:0.5 C4 E4:0.5+D4:0.5 E4 G4:0.5+A4:0.5 C5 G4:2", "让我来将你摘下", "C C G C F F C C"),
    L("D4 E4:0.5+G4:0.5 D4:0.5+E4:0.5 C4:0.5+A3:0.5 G3:4", "送给别人家", "G C G Am C C C C"),
    L(
        "A3:0.5+C4:0.5 D4 G4:2 E4:0.5+G4:0.5 D4:0.5+E4:0.5 C4:0.5+A3:0.5 G3:3",
        "茉莉花呀茉莉花",
        "F G C C G Am C C C C",
    ),
)

# 送别: words 李叔同, melody J. P. Ordway "Dreaming of Home and Mother" (1851). 4/4.
FAREWELL_1 = (
    L("G4 E4:0.5+G4:0.5 C5:2 A4 C5 G4:2", "长亭外古道边", "C C C C F F C C"),
    L("G4 C4:0.5+D4:0.5 E4 D4:0.5+C4:0.5 D4:4", "芳草碧连天", "C C C C G G G G"),
    L("G4 E4:0.5+G4:0.5 C5:1.5 B4:0.5 A4 C5 G4:2", "晚风拂柳笛声残", "C C C G F F C C"),
    L("G4 D4:0.5+E4:0.5 F4:1.5 B3:0.5 C4:4", "夕阳山外山", "C C G G C C C C"),
    L("A4 C5 C5:2 B4 A4:0.5+B4:0.5 C5:2", "天之涯地之角", "F F C C G G C C"),
    L("A4:0.5+B4:0.5 C5:0.5+A4:0.5 A4:0.5+G4:0.5 E4:0.5+C4:0.5 D4:4", "知交半零落", "F F C C G G G G"),
    L("G4 E4:0.5+G4:0.5 C5:1.5 B4:0.5 A4 C5 G4:2", "一觚浊酒尽余欢", "C C C G F F C C"),
    L("G4 D4:0.5+E4:0.5 F4:1.5 B3:0.5 C4:4", "今宵别梦寒", "C C G G C C C C"),
)
FAREWELL_2 = (
    FAREWELL_1[0],
    FAREWELL_1[1],
    L("G4 E4:0.5+G4:0.5 C5:1.5 B4:0.5 A4 C5 G4:2", "问君此去几时还", "C C C G F F C C"),
    L("G4 D4:0.5+E4:0.5 F4:1.5 B3:0.5 C4:4", "来时莫徘徊", "C C G G C C C C"),
    FAREWELL_1[4],
    FAREWELL_1[5],
    L("G4 E4:0.5+G4:0.5 C5:1.5 B4:0.5 A4 C5 G4:2", "人生难得是欢聚", "C C C G F F C C"),
    L("G4 D4:0.5+E4:0.5 F4:1.5 B3:0.5 C4:4", "惟有别离多", "C C G G C C C C"),
)

# Amazing Grace (John Newton, 1779; tune "New Britain"), 3/4; every line starts on its pickup.
GRACE_1 = (
    L("G3 C4:2 E4:0.5+C4:0.5 E4:2 D4 C4:2 A3 G3:2", "A|maz|ing |grace! |How |sweet |the |sound", "C C F C"),
    L("G3 C4:2 E4:0.5+C4:0.5 E4:2 D4 G4:5", "That |saved |a |wretch |like |me!", "C C G G"),
    L(
        "E4:0.5+G4:0.5 G4:2 E4:0.5+C4:0.5 E4:2 D4 C4:2 A3 G3:2",
        "I |once |was |lost, |but |now |am |found;",
        "C C F C",
    ),
    L("G3 C4:2 E4:0.5+C4:0.5 E4:2 D4 C4:5", "Was |blind, |but |now |I |see.", "C G C C"),
)
GRACE_2 = (
    L(
        "G3 C4:2 E4:0.5+C4:0.5 E4:2 D4 C4:2 A3 G3:2",
        "'Twas |grace |that |taught |my |heart |to |fear,",
        "C C F C",
    ),
    L("G3 C4:2 E4:0.5+C4:0.5 E4:2 D4 G4:5", "And |grace |my |fears |re|lieved;", "C C G G"),
    L(
        "E4:0.5+G4:0.5 G4:2 E4:0.5+C4:0.5 E4:2 D4 C4:2 A3 G3:2",
        "How |pre|cious |did |that |grace |ap|pear",
        "C C F C",
    ),
    L("G3 C4:2 E4:0.5+C4:0.5 E4:2 D4 C4:5", "The |hour |I |first |be|lieved.", "C G C C"),
)

# Auld Lang Syne (Robert Burns, 1788), 4/4; lines start on their pickup.
_AULD_A = "G3 C4:1.5 C4:0.5 C4 E4 D4:1.5 C4:0.5 D4 E4"
_AULD_B = "C4:1.5 C4:0.5 E4 G4 A4:3"
_AULD_C = "A4 G4:1.5 E4:0.5 E4 C4 D4:1.5 C4:0.5 D4 A3"
_AULD_D = "C4:1.5 A3:0.5+A3:1+G3:1 C4:3"
AULD_VERSE = (
    L(_AULD_A, "Should |auld |ac|quain|tance |be |for|got, |and", "C C G G"),
    L(_AULD_B, "nev|er |brought |to |mind?", "C C F F"),
    L(_AULD_C, "Should |auld |ac|quain|tance |be |for|got, |and", "C C G G"),
    L(_AULD_D, "auld |lang |syne!", "Am F G C"),
)
AULD_CHORUS = (
    L("A4 G4:1.5 E4:0.5 E4 C4 D4:3", "For |auld |lang |syne, |my |jo,", "F C C G"),
    L("C4 D4:1.5 C4:0.5 D4:5", "for |auld |lang |syne,", "C G G G"),
    L("A4 G4:1.5 E4:0.5 E4 G4 A4:1.5 G4:0.5 E4", "we'll |tak |a |cup |o' |kind|ness |yet,", "F C C F"),
    L("E4 C4:1.5 A3:0.5+A3:1+G3:1 C4:3", "for |auld |lang |syne.", "C Am G C"),
)
AULD_VERSE_2 = (
    L(_AULD_A, "And |there's |a |hand, |my |trus|ty |fiere! |and", "C C G G"),
    L(_AULD_B, "gie's |a |hand |o' |thine!", "C C F F"),
    L(_AULD_C, "And |we'll |tak |a |right |gude-|willie |waught, |for", "C C G G"),
    L(_AULD_D, "auld |lang |syne.", "Am F G C"),
)

SCORES = (
    Score(
        stem="江苏民歌 - 茉莉花",
        title="茉莉花",
        artist="江苏民歌",
        alias="Jasmine Flower",
        genre="民歌",
        language="国语",
        bpm=76,
        beats_per_bar=2,
        verses=(JASMINE_1, JASMINE_1),
        hue=330,
    ),
    Score(
        stem="李叔同 - 送别",
        title="送别",
        artist="李叔同",
        alias="Farewell",
        genre="民歌",
        language="国语",
        bpm=84,
        beats_per_bar=4,
        verses=(FAREWELL_1, FAREWELL_2),
        hue=200,
    ),
    Score(
        stem="John Newton - Amazing Grace",
        title="Amazing Grace",
        artist="John Newton",
        alias="奇异恩典",
        genre="Hymn",
        language="英语",
        bpm=84,
        beats_per_bar=3,
        verses=(GRACE_1, GRACE_2),
        pickup=1,
        hue=40,
    ),
    Score(
        stem="Robert Burns - Auld Lang Syne",
        title="Auld Lang Syne",
        artist="Robert Burns",
        alias="友谊地久天长",
        genre="Folk",
        language="英语",
        bpm=96,
        beats_per_bar=4,
        verses=(AULD_VERSE + AULD_CHORUS, AULD_VERSE_2 + AULD_CHORUS),
        pickup=1,
        hue=120,
    ),
    Score(
        stem="两只老虎",
        title="两只老虎",
        artist="儿歌",
        alias="Two Tigers",
        genre="儿歌",
        language="国语",
        bpm=116,
        beats_per_bar=4,
        verses=(TWO_TIGERS_1, TWO_TIGERS_2, TWO_TIGERS_1),
        layout="separate",
        hue=20,
    ),
    Score(
        stem="Twinkle Twinkle Little Star-Jane Taylor",
        title="Twinkle Twinkle Little Star",
        artist="Jane Taylor",
        alias="小星星",
        genre="儿歌",
        language="英语",
        bpm=104,
        beats_per_bar=4,
        verses=(TWINKLE_1, TWINKLE_2),
        layout="split",
        hue=260,
    ),
)

# --------------------------------------------------------------------------------------
# Score → timed events
# --------------------------------------------------------------------------------------

_SEMITONES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_CHORDS = {
    "C": ("C", (0, 4, 7)),
    "F": ("F", (0, 4, 7)),
    "G": ("G", (0, 4, 7)),
    "G7": ("G", (0, 4, 7, 10)),
    "Am": ("A", (0, 3, 7)),
    "Dm": ("D", (0, 3, 7)),
    "Em": ("E", (0, 3, 7)),
}


def midi(pitch: str) -> int:
    name, octave = pitch[:-1], int(pitch[-1])
    value = _SEMITONES[name[0]] + (
        1 if name.endswith("#") else -1 if name.endswith("b") and len(name) > 1 else 0
    )
    return 12 * (octave + 1) + value


@dataclass
class Syllable:
    text: str
    start_beat: Fraction
    notes: list[tuple[int, Fraction]]  # (midi, beats)

    @property
    def beats(self) -> Fraction:
        return sum((b for _, b in self.notes), Fraction(0))


@dataclass
class TimedLine:
    syllables: list[Syllable] = field(default_factory=list)


@dataclass
class ChordEvent:
    name: str
    start_beat: Fraction
    beats: Fraction


def _syllable_texts(words: str) -> list[str]:
    if "|" in words:
        return words.split("|")
    return [ch for ch in words if not ch.isspace()]


def layout_song(score: Score) -> tuple[list[TimedLine], list[ChordEvent], Fraction]:
    """Place every syllable and chord on the beat grid; returns the total length in beats.

    Verses last whole bars counted from pickup to pickup, so the bar grid (beat 0 = first
    intro downbeat) stays valid all song long and the bass can accent downbeats.
    """
    bar = Fraction(score.beats_per_bar)
    beat = bar * INTRO_BARS - score.pickup
    lines: list[TimedLine] = []
    chords: list[ChordEvent] = [ChordEvent("C", Fraction(0), bar), ChordEvent("G", bar, beat - bar)]
    for verse_index, verse in enumerate(score.verses):
        if verse_index:
            chords.append(ChordEvent("C", beat, bar * INTERLUDE_BARS))
            beat += bar * INTERLUDE_BARS
        verse_start = beat
        for line in verse:
            timed, length = _layout_line(score, line, beat)
            lines.append(timed)
            names = line.chords.split()
            starts = [beat + round(length * i / len(names)) for i in range(len(names))] + [beat + length]
            chords.extend(
                ChordEvent(name, starts[i], starts[i + 1] - starts[i]) for i, name in enumerate(names)
            )
            beat += length
        if (beat - verse_start) % bar:
            raise ValueError(f"{score.title}: a verse must last whole bars, not {beat - verse_start} beats")
    end = beat + score.pickup + bar * OUTRO_BARS
    chords.append(ChordEvent("C", beat, end - beat))
    return lines, chords, end


def _layout_line(score: Score, line: Line, start: Fraction) -> tuple[TimedLine, Fraction]:
    texts = _syllable_texts(line.words)
    timed = TimedLine()
    beat = start
    groups = line.notes.split()
    sung = [g for g in groups if not g.startswith("R")]
    if len(sung) != len(texts):
        raise ValueError(
            f"{score.title}: {len(sung)} note groups for {len(texts)} syllables in {line.words!r}"
        )
    syllables = iter(texts)
    for group in groups:
        if group.startswith("R"):
            beat += Fraction(group.partition(":")[2] or "1")
            continue
        notes = []
        for note in group.split("+"):
            pitch, _, beats = note.partition(":")
            notes.append((midi(pitch), Fraction(beats or "1")))
        syllable = Syllable(next(syllables), beat, notes)
        timed.syllables.append(syllable)
        beat += syllable.beats
    return timed, beat - start


# --------------------------------------------------------------------------------------
# Synthesis
# --------------------------------------------------------------------------------------


def hz(note: float) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def envelope(samples: int, attack: float, release: float) -> Audio:
    env = np.ones(samples, dtype=np.float32)
    a, r = min(samples, int(attack * RATE)), min(samples, int(release * RATE))
    if a:
        env[:a] = np.linspace(0, 1, a, dtype=np.float32)
    if r:
        env[-r:] *= np.linspace(1, 0, r, dtype=np.float32)
    return env


def voice(syllable: Syllable, seconds_per_beat: float) -> Audio:
    """A sung vowel: harmonics with a formant-ish tilt, vibrato after the onset, legato glides."""
    freqs: list[Audio] = []
    for note, beats in syllable.notes:
        count = int(float(beats) * seconds_per_beat * RATE)
        freqs.append(np.full(count, hz(note), dtype=np.float32))
    steps = np.concatenate(freqs).astype(np.float64)
    glide = int(0.04 * RATE)
    kernel = np.ones(glide) / glide
    smooth = np.convolve(np.pad(steps, (glide, glide), mode="edge"), kernel, mode="same")[glide:-glide]
    t = np.arange(smooth.size) / RATE
    depth = np.clip((t - 0.18) * 4, 0, 1) * 0.006
    f = smooth * (1 + depth * np.sin(2 * np.pi * 5.5 * t))
    phase = np.cumsum(2 * np.pi * f / RATE)
    partials = ((1, 1.0), (2, 0.55), (3, 0.35), (4, 0.18), (5, 0.12), (6, 0.05))
    wave = sum(amp * np.sin(k * phase) for k, amp in partials)
    out = (wave * envelope(f.size, 0.035, 0.09)).astype(np.float32)
    return out * 0.22


def pluck(note: float, seconds: float, brightness: float, decay: float) -> Audio:
    count = int(seconds * RATE)
    t = np.arange(count, dtype=np.float32) / RATE
    phase = 2 * np.pi * hz(note) * t
    wave = np.sin(phase) + brightness * np.sin(2 * phase) + brightness**2 * 0.5 * np.sin(3 * phase)
    return (wave * np.exp(-t / decay) * envelope(count, 0.004, 0.03)).astype(np.float32)


def tick(seconds: float, rng: np.random.Generator) -> Audio:
    count = int(seconds * RATE)
    t = np.arange(count, dtype=np.float32) / RATE
    noise = rng.standard_normal(count).astype(np.float32)
    noise = np.diff(noise, prepend=0).astype(np.float32)  # high-passed: a hi-hat, not a rumble
    return noise * np.exp(-t / 0.018).astype(np.float32) * 0.05


def mix_in(track: Audio, sound: Audio, at: int, gain: float = 1.0) -> None:
    end = min(track.size, at + sound.size)
    if end > at:
        track[at:end] += sound[: end - at] * gain


def render(score: Score) -> tuple[Audio, Audio, list[TimedLine], float]:
    """(guide voice, accompaniment, timed lines, seconds per beat), both mono at RATE."""
    lines, chords, total_beats = layout_song(score)
    spb = 60.0 / score.bpm
    samples = int(float(total_beats) * spb * RATE) + RATE
    guide = np.zeros(samples, dtype=np.float32)
    band = np.zeros(samples, dtype=np.float32)
    rng = np.random.default_rng(len(score.title))
    for line in lines:
        for syllable in line.syllables:
            mix_in(guide, voice(syllable, spb), int(float(syllable.start_beat) * spb * RATE))
    beats_per_bar = score.beats_per_bar
    for beat in range(int(total_beats)):
        chord = next(c for c in reversed(chords) if c.start_beat <= beat)
        root_name, intervals = _CHORDS[chord.name]
        root = 12 * 3 + _SEMITONES[root_name]  # C2 octave: the bass
        at = int(beat * spb * RATE)
        in_bar = beat % beats_per_bar
        if in_bar == 0 or (beats_per_bar == 4 and in_bar == 2):
            mix_in(band, pluck(root, spb * 1.8, 0.4, 0.45), at, 0.30)
        arpeggio = root + 24 + intervals[(beat + 1) % len(intervals)]
        mix_in(band, pluck(arpeggio, spb * 1.5, 0.25, 0.35), at, 0.10)
        if beats_per_bar != 3:
            mix_in(band, pluck(root + 36, spb, 0.1, 0.25), at + int(spb * RATE / 2), 0.05)
        mix_in(band, tick(0.08, rng), at, 1.6 if in_bar == 0 else 1.0)
    return guide, band, lines, spb


# --------------------------------------------------------------------------------------
# Lyrics
# --------------------------------------------------------------------------------------


def lyrics_model(score: Score, lines: list[TimedLine], spb: float) -> Lyrics:
    def ms(beat: Fraction) -> int:
        return round(float(beat) * spb * 1000)

    out: list[LyricLine] = []
    for line in lines:
        words = [LyricWord(ms(s.start_beat), ms(s.start_beat + s.beats), s.text) for s in line.syllables]
        text = "".join(w.text for w in words).strip()
        if words:
            words[-1].text = words[-1].text.rstrip()
        out.append(LyricLine(words[0].start_ms, words[-1].end_ms, text, words))
    meta = {"ti": score.title, "ar": score.artist, "al": ALBUM, "by": "ktvdesk make_demo.py"}
    return Lyrics(lines=out, meta=meta, format="lrc")


def krc_text(lyrics: Lyrics) -> str:
    head = [f"[{key}:{value}]" for key, value in lyrics.meta.items()] + ["[offset:0]"]
    body = []
    for line in lyrics.lines:
        words = "".join(
            f"<{w.start_ms - line.start_ms},{w.end_ms - w.start_ms},0>{w.text}" for w in line.words
        )
        body.append(f"[{line.start_ms},{line.end_ms - line.start_ms}]{words}")
    return "\r\n".join(head + body) + "\r\n"


# --------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------


def _frames(stereo: Audio) -> list[av.AudioFrame]:
    frames = []
    for start in range(0, stereo.shape[1], 960):
        chunk = np.ascontiguousarray(stereo[:, start : start + 960])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
        frame.sample_rate = RATE
        frame.pts = start
        frames.append(frame)
    return frames


def write_audio(
    path: Path,
    tracks: list[tuple[Audio, str, str]],  # (stereo samples, track title, ISO 639-2 language)
    tags: dict[str, str],
    fmt: str,
) -> None:
    # Ogg keeps one comment header per stream, which is where the song's tags live: a
    # stream title there would replace the song title.
    name_tracks = fmt == "matroska"
    with av.open(str(path), "w", format=fmt) as out:
        for key, value in tags.items():
            out.metadata[key] = value
        streams = []
        for _, title, language in tracks:
            stream = out.add_stream("libopus", rate=RATE, layout="stereo")
            stream.bit_rate = BITRATE
            if name_tracks:
                stream.metadata["title"] = title
                stream.metadata["language"] = language
            streams.append(stream)
        frame_lists = [_frames(samples) for samples, _, _ in tracks]
        for index in range(max(len(f) for f in frame_lists)):
            for stream, frames in zip(streams, frame_lists, strict=True):
                if index < len(frames):
                    for packet in stream.encode(frames[index]):
                        out.mux(packet)
        for stream in streams:
            for packet in stream.encode(None):
                out.mux(packet)


def stereo(left: Audio, right: Audio | None = None) -> Audio:
    return np.stack([left, left if right is None else right]).astype(np.float32)


# --------------------------------------------------------------------------------------
# Covers
# --------------------------------------------------------------------------------------


def make_cover_painter() -> Callable[[Path, Score], None]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])

    def paint(path: Path, score: Score) -> None:
        size = 320
        image = QImage(size, size, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        gradient = QLinearGradient(QPointF(0, 0), QPointF(size, size))
        gradient.setColorAt(0, QColor.fromHsv(score.hue, 150, 230))
        gradient.setColorAt(1, QColor.fromHsv((score.hue + 40) % 360, 220, 90))
        painter.fillRect(0, 0, size, size, gradient)
        painter.setPen(Qt.PenStyle.NoPen)
        for k in range(6):
            painter.setBrush(QColor(255, 255, 255, 24 + 8 * k))
            radius = 40 + 18 * k
            painter.drawEllipse(QPointF(size * 0.78, size * 0.25), radius * 0.5, radius * 0.5)
        painter.setPen(QColor("white"))
        font = QFont("Noto Sans CJK SC")
        font.setPixelSize(40 if len(score.title) < 12 else 28)
        font.setBold(True)
        painter.setFont(font)
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        painter.drawText(QRectF(24, 150, size - 48, 110), flags, score.title)
        font.setPixelSize(20)
        font.setBold(False)
        painter.setFont(font)
        painter.drawText(QRectF(24, 262, size - 48, 30), int(Qt.AlignmentFlag.AlignLeft), score.alias)
        painter.drawText(QRectF(24, 24, size - 48, 30), int(Qt.AlignmentFlag.AlignLeft), "ktvdesk demo")
        painter.end()
        if not image.save(str(path)):  # the .png suffix picks the format
            raise OSError(f"cannot write {path}")

    paint.app = app  # type: ignore[attr-defined]  # keep the application alive
    return paint


# --------------------------------------------------------------------------------------


def build_song(score: Score, out_dir: Path, paint: Callable[[Path, Score], None]) -> list[Path]:
    guide, band, lines, spb = render(score)
    original = guide + band
    peak = float(np.max(np.abs(original))) or 1.0
    gain = 0.89 / peak  # -1 dBFS, the same gain on both mixes so they switch seamlessly
    original, band = original * gain, band * gain
    tags = {
        "title": score.title,
        "artist": score.artist,
        "album": ALBUM,
        "genre": score.genre,
        "language": score.language,
        "alias": score.alias,
        "comment": "Public-domain song synthesized by ktvdesk packaging/demo/make_demo.py",
    }
    lang = "chi" if score.language == "国语" else "eng"
    written: list[Path] = []
    if score.layout == "two_tracks":
        folder = out_dir
        media = folder / f"{score.stem}.mkv"
        write_audio(
            media,
            [(stereo(original), "原唱 Original", lang), (stereo(band), "伴奏 Accompaniment", lang)],
            tags,
            "matroska",
        )
        written.append(media)
        cover = folder / f"{score.stem}.png"
    elif score.layout == "separate":
        folder = out_dir / "separate"
        folder.mkdir(parents=True, exist_ok=True)
        media = folder / f"{score.stem}.opus"
        write_audio(media, [(stereo(original), "原唱 Original", lang)], tags, "ogg")
        accompaniment = folder / f"{score.stem}_伴奏.opus"
        write_audio(accompaniment, [(stereo(band), "伴奏 Accompaniment", lang)], tags, "ogg")
        written += [media, accompaniment]
        cover = folder / "cover.png"
    else:
        folder = out_dir / "split"
        folder.mkdir(parents=True, exist_ok=True)
        media = folder / f"{score.stem}.ogg"
        write_audio(
            media, [(stereo(original, band), "左原唱 右伴奏 L=original R=accompaniment", lang)], tags, "ogg"
        )
        written.append(media)
        (folder / "ktvdesk-folder.toml").write_text(
            "# Songs in this folder are stereo files with the original (vocal) mix on one channel\n"
            "# and the accompaniment on the other, like VOB/MPG KTV rips.\n"
            'layout = "left_right"\n'
            'vocal_channel = "left"\n',
            encoding="utf-8",
        )
        cover = folder / f"{score.stem}.png"
    lyrics = lyrics_model(score, lines, spb)
    (folder / f"{score.stem}.krc").write_bytes(encode_krc(krc_text(lyrics)))
    (folder / f"{score.stem}.lrc").write_text(write_lrc(lyrics, enhanced=True), encoding="utf-8")
    paint(cover, score)
    seconds = original.size / RATE
    print(f"{media.relative_to(out_dir)}: {seconds:.1f} s, {len(lines)} lines")
    if not 45 <= seconds <= 120:
        raise SystemExit(f"{score.title} is {seconds:.1f} s long: keep demo songs between 45 and 120 s")
    return written


README = """# ktvdesk demo library

Generated by `packaging/demo/make_demo.py` (run it again to rebuild this folder; do not edit
the files by hand). Every melody and lyric is in the public domain; the scores are
transcribed in the script and synthesized there (guide voice, bass, arpeggiated chords).

| song | layout | files |
|---|---|---|
| 茉莉花 (Jasmine Flower), 送别, Amazing Grace, Auld Lang Syne | two audio tracks | `*.mkv`: track 0 original, track 1 accompaniment |
| 两只老虎 | separate accompaniment file | `separate/两只老虎.opus` + `separate/两只老虎_伴奏.opus` |
| Twinkle Twinkle Little Star | left/right split | `split/*.ogg`, declared in `split/ktvdesk-folder.toml` |

Each song has `.krc` (word-timed, Kugou format) and enhanced `.lrc` lyrics with the same
stem, generated from the score, and a cover (`<stem>.png`, or `cover.png` for a folder).
Tags: title, artist, album, genre, language and `alias` (the title in the other
language, so `jasmine` finds 茉莉花 and `小星星` finds Twinkle Twinkle Little Star).
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=Path("resources/demo"))
    args = parser.parse_args()
    out_dir: Path = args.out
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    paint = make_cover_painter()
    for score in SCORES:
        build_song(score, out_dir, paint)
    (out_dir / "README.md").write_text(README, encoding="utf-8")
    total = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    print(f"{out_dir}: {total / 1e6:.1f} MB")
    if total > 20_000_000:
        raise SystemExit("the demo library must stay under 20 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
