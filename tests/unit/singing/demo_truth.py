"""The demo songs' true melodies, from the scores in packaging/demo/make_demo.py.

The demo media are synthesized from those scores, so their notes are the ground truth
for the melody that ktvdesk extracts from the original-vocal tracks.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from ktvdesk.singing.melody import Melody, MelodySource, Note

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "resources" / "demo"


@cache
def _make_demo() -> ModuleType:
    path = REPO / "packaging" / "demo" / "make_demo.py"
    spec = importlib.util.spec_from_file_location("ktvdesk_make_demo", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def true_melody(title: str) -> Melody:
    demo = _make_demo()
    score = next(s for s in demo.SCORES if s.title == title)
    lines, _, _ = demo.layout_song(score)
    spb = 60.0 / score.bpm
    notes = []
    for index, line in enumerate(lines):
        for syllable in line.syllables:
            beat = syllable.start_beat
            for pitch, beats in syllable.notes:
                start, end = round(float(beat) * spb * 1000), round(float(beat + beats) * spb * 1000)
                notes.append(Note(start, end, float(pitch), line=index, text=syllable.text))
                beat += beats
    return Melody(tuple(notes), MelodySource.NOTES)
