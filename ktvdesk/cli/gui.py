"""`ktvdesk` with no command: the GUI."""

from __future__ import annotations

import argparse
import os

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
    remote = parser.add_argument_group("phone remote (扫码点歌)")
    remote.add_argument("--remote", action="store_true", help="let phones in the room queue songs")
    remote.add_argument(
        "--remote-host", metavar="ADDR", help="address to listen on (default: the primary LAN address)"
    )
    remote.add_argument("--remote-port", type=int, metavar="N", help="port (default: any free port)")
    remote.add_argument(
        "--remote-url-file", metavar="FILE", help="write the room URL (with its token) here once serving"
    )
    venue = parser.add_argument_group("venue room (with --kiosk; the room key in KTVDESK_VENUE_ROOM_KEY)")
    venue.add_argument("--venue", metavar="URL", help="the venue server, e.g. http://10.0.0.2:8650")
    venue.add_argument("--room", metavar="ROOM", help="this terminal's room name")
    return parser


def run(args: argparse.Namespace) -> int:
    # The app uses no pydantic plugin; looking for them reads every installed package's
    # metadata when the first model is built (~50 ms of the start-up, issue 15).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from ktvdesk.ui.app import run_gui

    return run_gui(args)
