"""`ktvdesk lyrics parse|convert`: the lyrics engine from the command line.

Errors are one line on stderr and exit status 2, never a traceback: scripts and the
tests read these outputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import FORMATS, Lyrics, parse_lyrics, to_json_dict, write_lrc
from ktvdesk.lyrics.lrc_tags import format_tag
from ktvdesk.lyrics.writer import write_ultrastar

EXIT_BAD_INPUT = 2
_FORMAT_CHOICES = ["auto", *FORMATS]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    parse = sub.add_parser("parse", help="parse a lyric file and print it")
    parse.add_argument("file", type=Path)
    parse.add_argument("--format", default="auto", choices=_FORMAT_CHOICES)
    parse.add_argument("--json", action="store_true", help="print the parsed lyrics as JSON")
    convert = sub.add_parser("convert", help="convert a lyric file to LRC, enhanced LRC or UltraStar")
    convert.add_argument("file", type=Path)
    convert.add_argument("--format", default="auto", choices=_FORMAT_CHOICES)
    convert.add_argument("--to", required=True, choices=["lrc", "enhanced-lrc", "ultrastar"])
    convert.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")


def run(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
    try:
        lyrics = parse_lyrics(data, args.format)
    except LyricsError as exc:
        return _fail(f"{args.file}: {exc.detail}")
    if args.action == "parse":
        if args.json:
            _write_stdout(json.dumps(to_json_dict(lyrics), ensure_ascii=False, indent=2) + "\n")
        else:
            _write_stdout(_human(lyrics))
        return 0
    try:
        text = (
            write_ultrastar(lyrics)
            if args.to == "ultrastar"
            else write_lrc(lyrics, args.to == "enhanced-lrc")
        )
    except LyricsError as exc:
        return _fail(f"{args.file}: {exc.detail}")
    if args.output is None:
        _write_stdout(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    return 0


def _human(lyrics: Lyrics) -> str:
    rows = [f"format: {lyrics.format}  lines: {len(lyrics.lines)}  offset_ms: {lyrics.offset_ms}"]
    rows += [f"{key}: {value}" for key, value in lyrics.meta.items() if key != "language"]
    if lyrics.melody is not None:
        rows.append(f"notes: {len(lyrics.melody.notes)}  players: {len(lyrics.melody.players)}")
    for line in lyrics.lines:
        singer = f"P{line.player} " if line.player is not None else ""
        rows.append(f"[{format_tag(line.start_ms)} - {format_tag(line.end_ms)}] {singer}{line.text}")
        if line.translation:
            rows.append(f"{' ' * 27}{line.translation}")
    return "\n".join(rows) + "\n"


def _write_stdout(text: str) -> None:
    # Bytes, not text: the console encoding may not hold Chinese (C locale, Windows).
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _fail(message: str) -> int:
    print(f"ktvdesk lyrics: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_BAD_INPUT
