"""`ktvdesk score SONG --sung WAV`: score a recording of singing against a song's melody.

SONG is a local media file (its notes sidecar, its lyrics' notes or its original-vocal
track give the reference), a notes file itself (UltraStar `.txt`, `.kar`, `.mid`), or with
`--provider NAME` a catalog song id (its pitch file). `--json` prints
`{"score", "grade", "reference", "lines": [{"start_ms", "end_ms", "score"}]}`.
No reference → exit 2 with one line saying why.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ktvdesk.errors import KtvError

if TYPE_CHECKING:
    from ktvdesk.lyrics import Lyrics
    from ktvdesk.singing.extract import VocalSource
    from ktvdesk.singing.melody import Melody
    from ktvdesk.singing.reference import FetchPitch

NOTES_EXTENSIONS = (".txt", ".kar", ".mid", ".midi")


class _UsageError(Exception):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ktvdesk.cli.catalog import PROVIDERS

    parser.add_argument("song", metavar="SONG", help="a media or notes file; with --provider: a song id")
    parser.add_argument("--sung", type=Path, required=True, metavar="WAV", help="the singing to score")
    parser.add_argument("--latency-ms", type=int, default=0, help="microphone latency to compensate")
    parser.add_argument("--difficulty", choices=["easy", "normal", "hard"], default="normal")
    parser.add_argument("--provider", choices=sorted(PROVIDERS), help="SONG is a song id of this catalog")
    parser.add_argument("--endpoint", help="the provider's host, e.g. http://127.0.0.1:8640 (cloudsim)")
    parser.add_argument("--db", type=Path, help="library database: cache of extracted melodies")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--debug", action="store_true", help="verbose logs on stderr")


def run(args: argparse.Namespace) -> int:
    try:
        if not args.sung.is_file():
            raise _UsageError(f"no such file: {args.sung}")
        if args.latency_ms < 0 or args.latency_ms > 2000:
            raise _UsageError("--latency-ms must be within 0..2000")
        args.local_song = None if args.provider else _local_reference(args)
        result = asyncio.run(_score(args))
    except _UsageError as exc:
        print(f"ktvdesk score: {exc}", file=sys.stderr)
        return 2
    except KtvError as exc:
        print(f"ktvdesk score: {exc.message('en')}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['score']:.1f} {result['grade']} (reference: {result['reference']})")
        for line in result["lines"]:
            print(f"  {line['start_ms']:>8} {line['end_ms']:>8} {line['score']:5.1f} {line['rating']}")
    return 0


async def _score(args: argparse.Namespace) -> dict[str, Any]:
    from ktvdesk.catalog.local.melody_cache import MelodyCache
    from ktvdesk.singing.audio import decode
    from ktvdesk.singing.pitch import detect
    from ktvdesk.singing.reference import ReferenceFinder
    from ktvdesk.singing.scorer import Difficulty, score_frames

    finder = ReferenceFinder(cache=MelodyCache(args.db) if args.db else None)
    try:
        melody = await _reference(args, finder)
    finally:
        finder.close()
    frames = detect(decode(args.sung))
    result = score_frames(
        melody,
        frames.midi,
        frames.first_ms,
        difficulty=Difficulty(args.difficulty),
        latency_ms=args.latency_ms,
    )
    return {
        "score": result.score,
        "grade": result.grade,
        "reference": melody.source.value,
        "lines": [
            {"start_ms": r.start_ms, "end_ms": r.end_ms, "score": round(r.score, 1), "rating": r.rating.value}
            for r in result.lines
        ],
    }


async def _reference(args: argparse.Namespace, finder: Any) -> Melody:
    if args.provider:
        lyrics, fetch_pitch = await _catalog_song(args)
        melody: Melody = await finder.find(lyrics=lyrics, fetch_pitch=fetch_pitch)
        return melody
    lyrics, vocal = args.local_song
    melody = await finder.find(lyrics=lyrics, vocal=vocal)
    return melody


def _local_reference(args: argparse.Namespace) -> tuple[Lyrics | None, VocalSource | None]:
    """The lyrics and vocal track of a local SONG, read before the event loop starts."""
    if args.endpoint:
        raise _UsageError("--endpoint needs --provider")
    path = Path(args.song)
    if not path.is_file():
        raise _UsageError(f"no such file: {path}")
    if path.suffix.lower() in NOTES_EXTENSIONS:
        return _parse(path), None
    return _local_song(path)


def _parse(path: Path) -> Lyrics:
    from ktvdesk.lyrics import parse_lyrics

    return parse_lyrics(path.read_bytes())


def _local_song(path: Path) -> tuple[Lyrics | None, VocalSource | None]:
    """The song as the library would index it (layout, sidecars), from a scan of its folder."""
    from ktvdesk.catalog.local.scanner import Scanner
    from ktvdesk.singing.extract import VocalSource

    wanted = os.fsencode(path.resolve())
    scan = Scanner(path.resolve().parent, {}, {}).run()
    record = next((r for r in scan.changed if os.path.realpath(r.path) == wanted), None)
    if record is None:
        reason = next((s.reason for s in scan.skipped if s.path == os.fsdecode(wanted)), "not a song file")
        raise _UsageError(f"{path}: {reason}")
    lyrics = _notes_sidecar(path)
    if lyrics is None and record.lyrics_path is not None:
        try:
            lyrics = _parse(Path(os.fsdecode(record.lyrics_path)))
        except KtvError:
            lyrics = None  # lyrics only help split lines; the vocal track still gives a score
    vocal = VocalSource(
        path=str(path),
        layout=record.layout,
        original_track=record.original_track,
        accompaniment_track=record.accompaniment_track,
        vocal_channel=record.vocal_channel,
        accompaniment_path=os.fsdecode(record.accompaniment_path) if record.accompaniment_path else None,
    )
    return lyrics, vocal


def _notes_sidecar(path: Path) -> Lyrics | None:
    for ext in NOTES_EXTENSIONS:
        candidate = path.with_suffix(ext)
        if candidate.is_file():
            try:
                lyrics = _parse(candidate)
            except KtvError:
                continue
            if lyrics.melody is not None:
                return lyrics
    return None


async def _catalog_song(args: argparse.Namespace) -> tuple[Lyrics | None, FetchPitch | None]:
    from ktvdesk.cli.play import _open_provider
    from ktvdesk.models import Song

    provider = _open_provider(args, args.provider)
    try:
        details = await provider.details([args.song])
        song = details[0].song if details else Song(provider=args.provider, id=args.song, title=args.song)
        try:
            lyrics = await provider.fetch_lyrics(song)
        except KtvError:
            lyrics = None  # notes come with lyrics only; the pitch file may still be there
        fetch = getattr(provider, "fetch_pitch", None)
        pitch: bytes | KtvError | None = None
        if fetch is not None:
            try:
                pitch = await fetch(song)
            except KtvError as exc:
                pitch = exc  # the finder reports it among the reasons
    finally:
        await provider.aclose()

    async def fetch_pitch() -> bytes | None:
        if isinstance(pitch, KtvError):
            raise pitch
        return pitch

    return lyrics, fetch_pitch if fetch is not None else None
