"""`ktvdesk library`: placeholder until its issue fills it in."""

from __future__ import annotations

import argparse

from ktvdesk.cli import not_available_yet


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER)


def run(args: argparse.Namespace) -> int:
    return not_available_yet("library")
