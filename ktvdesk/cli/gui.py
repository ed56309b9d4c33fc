"""`ktvdesk` with no command: the GUI."""

from __future__ import annotations

import argparse

from ktvdesk import __version__


def build_parser(epilog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ktvdesk",
        description="ktvdesk — a desktop karaoke (KTV) player.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ktvdesk {__version__}")
    parser.add_argument("--kiosk", action="store_true", help="run locked down on a KTV room terminal")
    parser.add_argument("--provider", choices=["local", "yinsuda", "xiaowei", "zego"], help="catalog to open")
    parser.add_argument("--library", metavar="DIR", action="append", help="add a song folder (repeatable)")
    parser.add_argument("--screen", type=int, metavar="N", help="screen for the control window")
    parser.add_argument("--stage-screen", type=int, metavar="N", help="screen for the stage (lyrics/video)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="user interface language")
    parser.add_argument("--demo-cloud", action="store_true", help="start cloudsim in-process and use it")
    parser.add_argument("--screenshot", metavar="PNG", help="render the main window to PNG and exit")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: platform config dir)")
    parser.add_argument("--debug", action="store_true", help="verbose logging")
    return parser


def run(args: argparse.Namespace) -> int:
    from ktvdesk.ui.app import run_gui

    return run_gui(args)
