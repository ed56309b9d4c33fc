"""The reference melody of a song, from whichever source it has, behind one call.

In order of trust:

1. notes that came with the lyrics (UltraStar `.txt`, a MIDI/KAR melody track): the
   lyric parsers put them on `Lyrics.melody`;
2. the Yinsuda pitch file (`MidiUrl`, fetched by the provider as `fetch_pitch`);
3. the original-vocal track of a local song, tracked offline in a worker process and
   cached by a `MelodyStore` (the library database's `MelodyCache` in catalog/local).

`ReferenceFinder.find` returns a `Melody` or raises `NoReference`, whose message says
why there is no score (shown as "no score for this song" in the UI, one line in the CLI).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from ktvdesk.errors import KtvError, UserMessage
from ktvdesk.lyrics import Lyrics
from ktvdesk.singing.extract import ExtractedNotes, MelodyExtractor, VocalSource, melody_from_notes
from ktvdesk.singing.melody import Melody, MelodySource, Note

log = logging.getLogger(__name__)

FetchPitch = Callable[[], Awaitable[bytes | None]]
MAX_PITCH_ROWS = 100_000


class MelodyStore(Protocol):
    """Where extracted melodies are kept between runs (a miss is None, never an error)."""

    def get(self, source: VocalSource) -> ExtractedNotes | None: ...

    def put(self, source: VocalSource, notes: ExtractedNotes) -> None: ...


class NoReference(KtvError):
    """No melody to score against; `detail` (en) and the user message say why."""


class PitchFileError(KtvError):
    pass


def _corrupt(why: str) -> PitchFileError:
    return PitchFileError(
        f"corrupt pitch file: {why}",
        user_message=UserMessage(
            "音高文件已损坏，本曲不评分。", "The pitch file is corrupt: no score for this song."
        ),
    )


def read_pitch_file(data: bytes) -> Melody:
    """The Yinsuda pitch file as cloudsim serves it: `start_ms,duration_ms,midi` per line.

    The real format is undocumented; this reader is the one place that knows it.
    """
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise _corrupt("not text") from exc
    notes: list[Note] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(",")
        if len(parts) != 3:
            raise _corrupt(f"line {number}: expected start,duration,pitch")
        try:
            start, duration, pitch = int(parts[0]), int(parts[1]), float(parts[2])
        except ValueError as exc:
            raise _corrupt(f"line {number}: not numbers") from exc
        if start < 0 or duration <= 0 or not 0 <= pitch <= 127:
            raise _corrupt(f"line {number}: out of range")
        notes.append(Note(start, start + duration, pitch))
        if len(notes) > MAX_PITCH_ROWS:
            raise _corrupt("too many notes")
    if not notes:
        raise _corrupt("no notes")
    notes.sort(key=lambda n: n.start_ms)
    return Melody(tuple(notes), MelodySource.PITCH_FILE)


def _no_reference(reasons: list[str]) -> NoReference:
    why = "; ".join(reasons) or "no notes, no pitch file and no original vocal track"
    return NoReference(
        f"no reference melody: {why}",
        user_message=UserMessage(f"本曲无法评分：{why}", f"No score for this song: {why}"),
    )


@dataclass
class ReferenceFinder:
    """Finds a song's melody; one per app (it owns the extraction worker)."""

    cache: MelodyStore | None = None
    extractor: MelodyExtractor = field(default_factory=MelodyExtractor)

    async def find(
        self,
        *,
        lyrics: Lyrics | None = None,
        fetch_pitch: FetchPitch | None = None,
        vocal: VocalSource | None = None,
    ) -> Melody:
        reasons: list[str] = []
        if lyrics is not None and lyrics.melody is not None and lyrics.melody.notes:
            return lyrics.melody
        reasons.append("the lyrics have no notes")
        if fetch_pitch is not None:
            melody = await self._pitch_file(fetch_pitch, reasons)
            if melody is not None:
                return melody
        if vocal is not None and vocal.has_vocal:
            return await self._vocal_track(vocal, lyrics)
        reasons.append("no original vocal track" if vocal is not None else "not a local file")
        raise _no_reference(reasons)

    @staticmethod
    async def _pitch_file(fetch_pitch: FetchPitch, reasons: list[str]) -> Melody | None:
        try:
            data = await fetch_pitch()
        except KtvError as exc:
            reasons.append(f"pitch file unavailable ({exc.detail})")
            return None
        if data is None:
            reasons.append("the catalog has no pitch file")
            return None
        try:
            return read_pitch_file(data)
        except PitchFileError as exc:
            log.warning("%s", exc.detail)
            reasons.append(exc.detail)
            return None

    async def _vocal_track(self, vocal: VocalSource, lyrics: Lyrics | None) -> Melody:
        notes = self.cache.get(vocal) if self.cache is not None else None
        if notes is None:
            notes = await self.extractor.extract(vocal)
            if self.cache is not None:
                self.cache.put(vocal, notes)
        if not notes:
            raise _no_reference(["no voice found on the original vocal track"])
        starts = [line.start_ms for line in lyrics.lines] if lyrics is not None else []
        return melody_from_notes(notes, starts)

    def close(self) -> None:
        self.extractor.close()
