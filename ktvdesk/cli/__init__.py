"""Command line: `ktvdesk [GUI options]` starts the app, `ktvdesk COMMAND …` runs a tool.

Each sub-command lives in its own module `ktvdesk.cli.<name>` exposing
`add_arguments(parser)` and `run(args) -> int`; modules are imported only when their
command runs, so `ktvdesk --version` and GUI start-up stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Protocol, cast

COMMANDS: dict[str, str] = {
    "lyrics": "parse and convert lyric files (LRC, KRC, QRC, WebVTT, UltraStar, ASS, MIDI/KAR)",
    "library": "scan and search the local song library",
    "catalog": "call one cloud catalog provider (diagnostics)",
    "sim": "run the local cloud emulator (cloudsim)",
    "play": "headless playback for diagnostics and tests",
    "kiosk": "kiosk administration (set the admin PIN)",
    "score": "score a recording of singing against a song's melody",
    "config": "show the effective settings and where each came from",
    "venue": "run a KTV venue: the server, the shared library scan, rooms and desk staff",
}


class _CommandModule(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def _command_module(name: str) -> _CommandModule:
    return cast(_CommandModule, importlib.import_module(f"ktvdesk.cli.{name}"))


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        import multiprocessing  # ~20 ms of CPU: not at every start (the first frame needs none)

        # In a frozen bundle a spawned worker (the phone remote, melody extraction) starts
        # the executable again: this runs the worker and exits instead of opening a window.
        multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        return _run_command(args[0], args[1:])
    from ktvdesk.cli import gui

    parser = gui.build_parser(_commands_epilog())
    return gui.run(parser.parse_args(args))


def _run_command(name: str, rest: list[str]) -> int:
    module = _command_module(name)
    parser = argparse.ArgumentParser(prog=f"ktvdesk {name}", description=COMMANDS[name])
    module.add_arguments(parser)
    ns = parser.parse_args(rest)
    from ktvdesk.logs import setup_cli_logging

    setup_cli_logging(debug=bool(getattr(ns, "debug", False)))
    try:
        return module.run(ns)
    except KeyboardInterrupt:
        return 130


def _commands_epilog() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    return "commands (ktvdesk COMMAND --help):\n" + "\n".join(lines)
