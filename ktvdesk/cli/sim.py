"""`ktvdesk sim`: run the cloud emulator (cloudsim) in the foreground on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ktvdesk.cloudsim.server import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, SimConfig, serve


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8640, help="port (0: any free port; default 8640)")
    parser.add_argument("--secret-id", default=DEFAULT_SECRET_ID, help="SecretId the emulator accepts")
    parser.add_argument("--secret-key", default=DEFAULT_SECRET_KEY, help="SecretKey the emulator accepts")
    parser.add_argument("--url-ttl", type=int, default=3600, metavar="S", help="CDN media link life (s)")
    parser.add_argument(
        "--token-ttl", type=int, default=7200, metavar="S", help="PlayToken/lyrics link life (s)"
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="delay added to every response")
    parser.add_argument(
        "--error-rate", type=_rate, default=0.0, help="share of requests answered with an error"
    )
    parser.add_argument("--drop-rate", type=_rate, default=0.0, help="share of connections cut mid-body")
    parser.add_argument("--clock-skew", type=float, default=0.0, metavar="S", help="server clock offset (s)")
    parser.add_argument(
        "--catalog-size", type=int, default=3000, help="generated songs besides the demo ones"
    )
    parser.add_argument("--seed", type=int, default=20220527, help="seed of the generated catalog")
    parser.add_argument(
        "--demo-dir", type=Path, default=None, help="demo songs folder (default resources/demo)"
    )
    parser.add_argument("--debug", action="store_true", help="verbose logs on stderr")


def run(args: argparse.Namespace) -> int:
    config = SimConfig(
        host=args.host,
        port=args.port,
        secret_id=args.secret_id,
        secret_key=args.secret_key,
        url_ttl_s=args.url_ttl,
        token_ttl_s=args.token_ttl,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        clock_skew_s=args.clock_skew,
        catalog_size=args.catalog_size,
        seed=args.seed,
    )
    if args.demo_dir is not None:
        config.demo_dir = args.demo_dir
    try:
        serve(config, announce=lambda line: print(line, flush=True))
    except (ValueError, OSError) as exc:
        print(f"ktvdesk sim: {exc}", file=sys.stderr)
        return 2
    return 0
