"""The reference melody a singer is scored against, whatever file it came from.

One model for every source (UltraStar notes, MIDI/KAR melody tracks, the Yinsuda pitch
file, a melody extracted from an original-vocal track), so that the scorer and the pitch
lane never know where the notes came from. A leaf module: it imports nothing from
ktvdesk, so the lyric parsers can build melodies without pulling in the singing engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NoteKind(StrEnum):
    NORMAL = "normal"
    GOLDEN = "golden"  # counts double
    FREESTYLE = "freestyle"  # shown, never scored
    RAP = "rap"  # scored on rhythm (voiced or not), not on pitch
    GOLDEN_RAP = "golden-rap"


class MelodySource(StrEnum):
    """What the `score` contract reports as its "reference"."""

    NOTES = "notes"  # UltraStar .txt
    PITCH_FILE = "pitch-file"  # Yinsuda MidiUrl
    VOCAL_TRACK = "vocal-track"  # extracted from an original-vocal track
    MIDI = "midi"  # a MIDI/KAR melody track


@dataclass(frozen=True, slots=True)
class Note:
    start_ms: int
    end_ms: int
    pitch: float  # MIDI note number (60 = C4); fractional for extracted melodies
    kind: NoteKind = NoteKind.NORMAL
    line: int = 0  # index of the lyric line the note belongs to
    player: int = 1  # 1 or 2 in a duet
    text: str = ""  # the syllable sung on it, when the source has one

    @property
    def scored_on_pitch(self) -> bool:
        return self.kind in (NoteKind.NORMAL, NoteKind.GOLDEN)

    @property
    def weight(self) -> int:
        if self.kind is NoteKind.FREESTYLE:
            return 0
        return 2 if self.kind in (NoteKind.GOLDEN, NoteKind.GOLDEN_RAP) else 1


@dataclass(frozen=True, slots=True)
class Melody:
    """Notes sorted by start time (ties by player), never overlapping within one player."""

    notes: tuple[Note, ...]
    source: MelodySource

    @property
    def players(self) -> tuple[int, ...]:
        return tuple(sorted({note.player for note in self.notes}))

    def for_player(self, player: int) -> Melody:
        return Melody(tuple(n for n in self.notes if n.player == player), self.source)

    def shifted(self, delta_ms: int) -> Melody:
        """The same melody `delta_ms` later (negative: earlier), e.g. for a clip's own timeline."""
        return Melody(
            tuple(
                Note(n.start_ms + delta_ms, n.end_ms + delta_ms, n.pitch, n.kind, n.line, n.player, n.text)
                for n in self.notes
            ),
            self.source,
        )

    @property
    def end_ms(self) -> int:
        return max((n.end_ms for n in self.notes), default=0)
