"""`ktvdesk catalog --provider NAME [--endpoint URL] ACTION … [--json]`: one provider call.

The command is two-stage: the options common to every provider are parsed here, then the
chosen provider's module (`ktvdesk.cli.catalog_<name>`) supplies its own actions. Adding a
provider means adding one module and one line to `PROVIDERS`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from ktvdesk.errors import KtvError
from ktvdesk.logs import redact

PROVIDERS: dict[str, str] = {
    "yinsuda": "ktvdesk.cli.catalog_yinsuda",
    "xiaowei": "ktvdesk.cli.catalog_xiaowei",
    "zego": "ktvdesk.cli.catalog_zego",
}


@dataclass(frozen=True, slots=True)
class CliAction:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Any, argparse.Namespace], Awaitable[Any]]  # (provider, args) → JSON-able


# Argument and output helpers every provider's action table uses.


def no_args(parser: argparse.ArgumentParser) -> None:
    return None


def song_id_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song_id")


def paging_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=20, help="results per page (≤ 50)")
    parser.add_argument("--cursor", help="cursor printed by the previous page")


def dump(model: Any) -> Any:
    """A pydantic model as the JSON the command prints."""
    return model.model_dump(mode="json", exclude_none=True)


class ProviderCli(Protocol):
    ACTIONS: Sequence[CliAction]

    def open_provider(self, args: argparse.Namespace) -> Any:
        """The provider object; raises `ConfigError` when it is not configured."""
        ...


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", choices=sorted(PROVIDERS), default="yinsuda", help="catalog provider")
    parser.add_argument(
        "--endpoint", help="replace the provider's host, e.g. http://127.0.0.1:8640 (cloudsim)"
    )
    parser.add_argument("--json", action="store_true", help="print compact JSON (default: indented)")
    parser.add_argument("--debug", action="store_true", help="verbose logs on stderr")
    parser.add_argument("action", help="provider action; `ACTION --help` for its arguments")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.epilog = "yinsuda actions: " + ", ".join(a.name for a in _module("yinsuda").ACTIONS)


def _module(provider: str) -> ProviderCli:
    return cast(ProviderCli, importlib.import_module(PROVIDERS[provider]))


def _action_parser(provider: str, module: ProviderCli) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"ktvdesk catalog --provider {provider}")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action in module.ACTIONS:
        sub = actions.add_parser(action.name, help=action.help, description=action.help)
        # Accepted after the action too (`search X --json`); SUPPRESS keeps the earlier value.
        sub.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="compact JSON")
        action.add_arguments(sub)
        sub.set_defaults(_run=action.run)
    return parser


def run(args: argparse.Namespace) -> int:
    module = _module(args.provider)
    parsed = _action_parser(args.provider, module).parse_args([args.action, *args.rest])
    merged = argparse.Namespace(**{**vars(args), **vars(parsed)})
    try:
        result = asyncio.run(_call(module, merged))
    except KtvError as exc:
        rid = f" [RequestId {exc.request_id}]" if exc.request_id else ""
        print(f"ktvdesk catalog: {exc.message('en')} ({redact(exc.detail)}){rid}", file=sys.stderr)
        return 2
    indent = None if merged.json else 2
    try:
        print(json.dumps(result, ensure_ascii=False, indent=indent, default=str))
    except BrokenPipeError:  # `… | head`: the reader is gone, which is fine
        sys.stderr.close()
    return 0


async def _call(module: ProviderCli, args: argparse.Namespace) -> Any:
    provider = module.open_provider(args)
    try:
        return await args._run(provider, args)
    finally:
        await provider.aclose()
