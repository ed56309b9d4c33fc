"""`ktvdesk config show [--json] [--config FILE]`: the settings in effect and where each
came from (the file, the environment, or the default), plus the configuration problems.

Secrets are never settings (see `ktvdesk.keystore`): only whether each one is set, and
where, is shown; never a value.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from ktvdesk import paths
from ktvdesk.config import LoadedSettings, load_settings
from ktvdesk.keystore import SECRETS, find_secret

_DIRS = {
    "config_dir": ("KTVDESK_CONFIG_DIR", paths.config_dir),
    "data_dir": ("KTVDESK_DATA_DIR", paths.data_dir),
    "log_dir": ("KTVDESK_LOG_DIR", paths.log_dir),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = sub.add_parser("show", help="the effective settings and where each came from")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--config", metavar="FILE", help="configuration file (default: platform config dir)")
    show.add_argument(
        "--no-keyring", action="store_true", help="do not ask the keyring whether secrets are stored"
    )


def run(args: argparse.Namespace) -> int:
    loaded = load_settings(Path(args.config) if args.config else None)
    report = build_report(loaded, use_keyring=not args.no_keyring)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_text(report)
    return 0


def build_report(loaded: LoadedSettings, *, use_keyring: bool = True) -> dict[str, Any]:
    settings = {
        key: {"value": value, "source": loaded.source_of(key)}
        for key, value in _flat(loaded.settings.model_dump(mode="json")).items()
    }
    secrets: dict[str, str] = {}
    for name in SECRETS:
        _value, source = find_secret(name, use_keyring=use_keyring)
        secrets[name] = "not set" if source == "none" else f"set ({source})"
    dirs = {
        name: {"path": str(where()), "source": "environment" if os.environ.get(var) else "default"}
        for name, (var, where) in _DIRS.items()
    }
    return {
        "config_file": str(loaded.path),
        "config_file_exists": loaded.path.is_file(),
        "settings": settings,
        "problems": list(loaded.problems),
        "secrets": secrets,
        "paths": dirs,
    }


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dict):  # a section: one entry per key
            flat.update({f"{name}.{sub}": item for sub, item in value.items()})
        else:
            flat[name] = value
    return flat


def _print_text(report: dict[str, Any]) -> None:
    state = "" if report["config_file_exists"] else " (not found: defaults)"
    print(f"# config file: {report['config_file']}{state}")
    width = max(map(len, report["settings"]))
    for key, entry in report["settings"].items():
        value = json.dumps(entry["value"], ensure_ascii=False)
        print(f"{key.ljust(width)} = {value}  # {entry['source']}")
    print()
    for name, state in report["secrets"].items():
        print(f"secret {name}: {state}")
    for name, entry in report["paths"].items():
        print(f"{name}: {entry['path']}  # {entry['source']}")
    for problem in report["problems"]:
        print(f"problem: {problem}", file=sys.stderr)
