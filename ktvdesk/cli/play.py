"""`ktvdesk play SOURCE`: headless playback for diagnostics and tests.

SOURCE is a file path or an http(s) URL. `--report json` prints one JSON object per
engine event on stdout and a final summary. Where the media comes from is decided by
`_source_from_args`: issue 8 adds `--provider/--endpoint` there (a catalog resolves a
song id to a `MediaSource` and doubles as the recovery resolver).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from ktvdesk.errors import KtvError
from ktvdesk.models import Channel, ClipSegment, MediaSource, VocalLayout


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="FILE_OR_URL", help="a media file or an http(s) URL")
    parser.add_argument("--headless", action="store_true", help="no video window, no sound card")
    parser.add_argument("--seconds", type=float, help="stop after this many seconds (default: to the end)")
    parser.add_argument("--vocal", choices=["original", "accompaniment"], default="original")
    parser.add_argument(
        "--layout",
        choices=[layout.value for layout in VocalLayout],
        default=VocalLayout.MIXED.value,
        help="how the vocal is carried (default: mixed, accompaniment by vocal reduction)",
    )
    parser.add_argument("--vocal-channel", choices=["left", "right"], default="left", help="for left_right")
    parser.add_argument("--accompaniment-url", help="for separate_file: the accompaniment file or URL")
    parser.add_argument("--key", type=int, default=0, help="semitones, -6..6")
    parser.add_argument("--tempo", type=float, default=1.0, help="0.75..1.25, pitch unchanged")
    parser.add_argument("--clip", metavar="BEGIN_MS:END_MS", help="play only this segment")
    parser.add_argument("--prelude-ms", type=int, default=0, help="lead-in before the clip")
    parser.add_argument("--normalize", action="store_true", help="loudness normalisation")
    parser.add_argument("--volume", type=int, default=100, help="0..100")
    parser.add_argument("--audio-out-file", type=Path, metavar="OUT.wav", help="render the audio to a WAV")
    parser.add_argument("--report", choices=["json", "text"], default="text")
    parser.add_argument("--debug", action="store_true", help="verbose logs on stderr")


class _UsageError(Exception):
    pass


def _parse_clip(text: str | None) -> ClipSegment | None:
    if not text:
        return None
    begin, sep, end = text.partition(":")
    try:
        if not sep:
            raise ValueError(text)
        return ClipSegment(begin_ms=int(begin), end_ms=int(end))
    except ValueError as exc:
        raise _UsageError(f"--clip wants BEGIN_MS:END_MS with END after BEGIN, got {text!r}") from exc


def _source_from_args(args: argparse.Namespace) -> MediaSource:
    url = str(args.source)
    if "://" not in url and not Path(url).is_file():
        raise _UsageError(f"no such file: {url}")
    layout = VocalLayout(args.layout)
    if layout is VocalLayout.SEPARATE_FILE and not args.accompaniment_url:
        raise _UsageError("--layout separate_file needs --accompaniment-url")
    return MediaSource(
        url=url,
        layout=layout,
        vocal_channel=Channel(args.vocal_channel),
        accompaniment_url=args.accompaniment_url,
        clip=_parse_clip(args.clip),
        prelude_ms=max(0, args.prelude_ms),
    )


def run(args: argparse.Namespace) -> int:
    try:
        source = _source_from_args(args)
        if args.seconds is not None and args.seconds <= 0:
            raise _UsageError("--seconds must be positive")
    except _UsageError as exc:
        print(f"ktvdesk play: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_play(args, source))
    except KtvError as exc:
        print(f"ktvdesk play: {exc.message('en')} ({exc.detail})", file=sys.stderr)
        return 2


async def _play(args: argparse.Namespace, source: MediaSource) -> int:
    from ktvdesk.playback import EndReason, EventKind, PlaybackEngine, PlaybackEvent, VocalMode
    from ktvdesk.playback.vlc_backend import VlcBackend

    backend = VlcBackend(
        audio_out_file=args.audio_out_file,
        aout="dummy" if args.headless and args.audio_out_file is None else None,
        video=not args.headless,
    )

    async def same_url_again(current: MediaSource) -> MediaSource:
        # Without a catalog there is nothing to refresh: retry the same link.
        return current

    engine = PlaybackEngine(backend, resolver=same_url_again if source.is_network else None)
    done = asyncio.Event()
    counts = {"errors": 0, "recoveries": 0}
    end_reason: list[EndReason] = []

    def on_event(event: PlaybackEvent) -> None:
        if event.kind is EventKind.ERROR:
            counts["errors"] += 1
        elif event.kind is EventKind.RECOVERED:
            counts["recoveries"] += 1
        elif event.kind is EventKind.END:
            end_reason.append(event.reason or EndReason.FINISHED)
            done.set()
        _report(args.report, event.as_dict())

    engine.subscribe(on_event)
    try:
        engine.set_volume(args.volume)
        engine.set_key(args.key)
        engine.set_tempo(args.tempo)
        engine.set_normalize(args.normalize)
        engine.set_vocal(VocalMode(args.vocal))
        engine.load(source)
        try:
            await asyncio.wait_for(done.wait(), timeout=args.seconds)
        except TimeoutError:
            engine.stop()
        summary: dict[str, Any] = {
            "event": "summary",
            "source": _display(source.url),
            "position_ms": engine.reached_ms,
            "end": end_reason[0].value if end_reason else None,
            "errors": counts["errors"],
            "recoveries": counts["recoveries"],
        }
        if args.audio_out_file is not None:
            summary["audio_out_file"] = str(args.audio_out_file)
        _report(args.report, summary)
    finally:
        await engine.aclose()
        backend.close()
    return 1 if end_reason and end_reason[0] is EndReason.FAILED else 0


def _display(url: str) -> str:
    from ktvdesk.logs import redact

    return redact(url)


def _report(mode: str, payload: dict[str, Any]) -> None:
    if mode == "json":
        line = json.dumps(payload, ensure_ascii=False)
    elif payload.get("event") != "position":
        fields = " ".join(f"{key}={value}" for key, value in payload.items() if key != "event")
        line = f"{payload.get('event')}: {fields}"
    else:
        return
    try:
        print(line, flush=True)
    except BrokenPipeError:
        # The reader went away (`| head`): finish quietly, as the docs of `signal` advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
