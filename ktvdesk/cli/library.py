"""`ktvdesk library`: scan folders into a library index, search it, show its statistics.

    ktvdesk library scan DIR [DIR…] --db PATH [--split-folder DIR=left|right] [--json]
    ktvdesk library search QUERY --db PATH [--limit N] [--json]
    ktvdesk library stats --db PATH [--json]

Errors are one line on stderr and exit status 2. Skipped files are logged on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from ktvdesk.errors import KtvError
from ktvdesk.models import Channel

if TYPE_CHECKING:
    from ktvdesk.catalog.local.index import SongKind


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help="log debug output on stderr")
    actions = parser.add_subparsers(dest="action", required=True)

    scan = actions.add_parser("scan", help="index (or re-index) song folders")
    scan.add_argument("dirs", nargs="+", type=Path, metavar="DIR")
    scan.add_argument("--db", type=Path, required=True, help="the index file (created when missing)")
    scan.add_argument(
        "--split-folder",
        action="append",
        default=[],
        metavar="DIR=CHANNEL",
        help="declare a folder of left/right-split songs; CHANNEL (left/right) carries the vocal",
    )
    scan.add_argument("--json", action="store_true", help="print the report as JSON")

    search = actions.add_parser("search", help="search the index")
    search.add_argument("query")
    search.add_argument("--db", type=Path, required=True)
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--json", action="store_true", help="print a JSON list of songs")

    stats = actions.add_parser("stats", help="what the index holds")
    stats.add_argument("--db", type=Path, required=True)
    stats.add_argument("--json", action="store_true")


def _fail(message: str) -> int:
    print(f"ktvdesk library: {message}", file=sys.stderr)
    return 2


def _split_folders(values: list[str]) -> dict[Path, Channel]:
    folders: dict[Path, Channel] = {}
    for value in values:
        folder, sep, channel = value.rpartition("=")
        if not sep or channel.lower() not in ("left", "right"):
            raise ValueError(f"--split-folder wants DIR=left or DIR=right, not {value!r}")
        folders[Path(folder)] = Channel(channel.lower())
    return folders


def run(args: argparse.Namespace) -> int:
    from ktvdesk.catalog.local import LibraryIndex

    if args.action != "scan" and not args.db.is_file():
        return _fail(f"no library index at {args.db} (run `ktvdesk library scan DIR --db {args.db}` first)")
    if args.action == "search" and args.limit < 1:
        return _fail("--limit must be at least 1")
    try:
        split = _split_folders(args.split_folder) if args.action == "scan" else {}
        with LibraryIndex(args.db) as index:
            if args.action == "scan":
                missing = [str(d) for d in args.dirs if not d.is_dir()]
                if missing:
                    return _fail(f"not a folder: {', '.join(missing)}")
                report = index.scan(args.dirs, split_folders=split)
                if args.json:
                    data = asdict(report)
                    data["skipped"] = [{"path": p, "reason": r} for p, r in report.skipped]
                    data["unplayable"] = [{"path": p, "reason": r} for p, r in report.unplayable]
                    print(json.dumps(data, ensure_ascii=False, indent=2))
                else:
                    print(
                        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
                        f"removed {report.removed}, skipped {len(report.skipped)}"
                    )
                    # One line per song that is listed but cannot play, with the reason.
                    for path, reason in report.unplayable:
                        print(f"unplayable: {path}: {reason}")
                return 0
            if args.action == "search":
                songs = index.search(args.query, args.limit)
                kinds = index.song_kinds([song.id for song in songs])
                if args.json:
                    rows = [
                        {
                            "id": song.id,
                            "title": song.title,
                            "singers": list(song.singers),
                            "album": song.album,
                            "duration_ms": song.duration_ms,
                            "path": song.path,
                            **_kind_fields(kinds.get(song.id)),
                        }
                        for song in songs
                    ]
                    # ensure_ascii escapes the lone surrogates of undecodable file names.
                    print(json.dumps(rows, ensure_ascii=not _utf8_safe(rows), indent=2))
                else:
                    for song in songs:
                        print(f"{song.id}\t{song.title}\t{song.singers_text}\t{song.album or ''}")
                return 0
            stats = index.stats()
            if args.json:
                print(json.dumps(asdict(stats), ensure_ascii=False, indent=2))
            else:
                minutes = stats.total_duration_ms // 60000
                layouts = ", ".join(f"{name} {count}" for name, count in sorted(stats.layouts.items()))
                print(f"songs {stats.songs}, singers {stats.singers}, with lyrics {stats.with_lyrics}")
                print(f"total {minutes} min in {stats.folders} folders; layouts: {layouts or '-'}")
            return 0
    except (KtvError, ValueError, OSError) as exc:
        return _fail(str(exc))


def _kind_fields(kind: SongKind | None) -> dict[str, str | None]:
    """`kind` (media, ultrastar, mp3+g, midi), `lyrics` ("graphics" for CD+G), `unplayable`."""
    if kind is None:
        return {}
    return {"kind": kind.kind, "lyrics": kind.lyrics_kind, "unplayable": kind.unplayable}


def _utf8_safe(value: object) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
