"""The emulator set up for soak tests: second-precise short-lived links and network outages.

Two things the plain emulator cannot do for an all-night test compressed into minutes:

- **Links that live 20 s.** Type-B CDN links carry their issue *minute*, so a 20-second TTL
  would make a link issued at hh:mm:45 dead on arrival. `PreciseCdnSigner` issues Tencent
  type-C links instead, `/<md5>/<unix time, hex>/<file>`: second precision, same md5 auth,
  same 403 once expired, same access log. Yinsuda clients, finding no minute stamp in the
  path, count the TTL from the response time (their documented fallback); the emulated
  Xiaowei `url_expiry_time` is computed from the exact issue second.
- **Outages.** `OutageProxy` is a loopback TCP relay in front of the emulator: every issued
  link and every API endpoint points at it. `refuse_for(ms)` stops listening (connections
  are refused, as when the network blinks) and cuts the connections already open.

`python tests/support/soak_sim.py` runs both in a process of its own, so the event loop of
the player under test is not slowed by the emulator's threads. It prints one JSON line
(`base_url`, `control_url`, credentials) and serves a small control API on another port:
`POST /outage?ms=N`, `GET /access-log`, `GET /songs?n=N`, `GET /stats`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MethodType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ktvdesk.cloudsim.catalog import SimSong
from ktvdesk.cloudsim.cdn import CdnSigner, IssuedLink
from ktvdesk.cloudsim.server import SimHandle, start_in_thread
from ktvdesk.cloudsim.xiaowei import QUALITY_FILES, XiaoweiService
from ktvdesk.cloudsim.zego import DEFAULT_APP_ID, DEFAULT_SERVER_SECRET

_HEX_TS_LEN = 8


class PreciseCdnSigner(CdnSigner):
    """Type-C timestamp links (`/<md5>/<hex unix s>/<file>`); type-B ones still check."""

    def media_url(self, base_url: str, file: str, ttl_s: int) -> str:
        issued_s = int(self._clock.time())
        stamp = f"{issued_s:08x}"
        path = f"/{self._md5(stamp + '/' + file)}/{stamp}/{file}"
        issued = datetime.fromtimestamp(issued_s, UTC)
        self._log.issued(IssuedLink(base_url + path, path, issued, issued + timedelta(seconds=ttl_s)))
        return base_url + path

    def expiry_of(self, url: str, ttl_s: int) -> datetime:
        stamp = urlsplit(url).path.split("/")[2]
        return datetime.fromtimestamp(int(stamp, 16) + ttl_s, UTC)

    def check_media(self, stamp: str, digest: str, file: str, ttl_s: int) -> tuple[int, datetime | None]:
        # The route names its segments for type B (`/{stamp}/{digest}/{file}`); in type C
        # the first one is the md5 and the second the time.
        md5, hex_time = stamp, digest
        if len(hex_time) != _HEX_TS_LEN or len(md5) != 32:
            return super().check_media(stamp, digest, file, ttl_s)
        try:
            issued_s = int(hex_time, 16)
        except ValueError:
            return 403, None
        if self._md5(hex_time + "/" + file) != md5:
            return 403, None
        expires = datetime.fromtimestamp(issued_s + ttl_s, UTC)
        return (200 if self._clock.now() <= expires else 403), expires


def _precise_xiaowei_links(signer: PreciseCdnSigner, service: XiaoweiService) -> None:
    """`url_expiry_time` from the exact issue second (the stock one reads a minute stamp)."""

    def links(self: XiaoweiService, song: SimSong) -> tuple[dict[str, str], int]:
        ttl = self.config.url_ttl_s
        url = signer.media_url(self._base_url(), song.media_file, ttl)
        expiry = int(signer.expiry_of(url, ttl).timestamp())
        return {name: f"{url}?guid=ktvdesk&fromtag={i}" for i, name in enumerate(QUALITY_FILES)}, expiry

    service._links = MethodType(links, service)  # type: ignore[method-assign]


class OutageProxy:
    """A TCP relay on 127.0.0.1 that can refuse connections for a while."""

    def __init__(self, target_port: int, *, host: str = "127.0.0.1") -> None:
        self.host = host
        self.target_port = target_port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="soak-proxy", daemon=True)
        self.outages: list[tuple[datetime, datetime]] = []
        self.refused_since: datetime | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(cut=True), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def refuse_for(self, ms: int) -> None:
        """Refuse (and cut) connections for `ms`, then listen again on the same port."""
        asyncio.run_coroutine_threadsafe(self._outage(ms), self._loop).result(timeout=10)

    async def _outage(self, ms: int) -> None:
        start = datetime.now(UTC)
        self.refused_since = start
        await self._close(cut=True)

        async def later() -> None:
            await asyncio.sleep(ms / 1000)
            await self._listen()
            self.refused_since = None
            self.outages.append((start, datetime.now(UTC)))

        self._loop.create_task(later())

    async def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self._server = await asyncio.start_server(self._relay, sock=sock, backlog=128)

    async def _close(self, *, cut: bool) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if cut:
            for writer in list(self._writers):
                writer.transport.abort()
            self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()
                self._writers.discard(sink)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


@dataclass
class SoakSim:
    handle: SimHandle
    proxy: OutageProxy

    @property
    def base_url(self) -> str:
        return self.proxy.base_url

    def songs(self, count: int) -> dict[str, list[str]]:
        """`count` generated, licensed, non-VIP songs per provider, by each provider's id."""
        state = self.handle.state
        picked = [
            s
            for s in state.catalog.songs
            if not s.demo and s.media_path is None and s.can_play and s.can_sing and not s.vip_only
        ]
        picked = [s for s in picked if getattr(s, "status", 0) == 0][:count]
        return {
            "yinsuda": [s.id for s in picked],
            "xiaowei": [str(state.xiaowei.song_id(s)) for s in picked],
            "zego": [state.zego.song_id(s) for s in picked],
        }

    def access_log(self) -> dict[str, Any]:
        log = self.handle.access_log
        return {
            "uses": [
                {
                    "path": u.path,
                    "used_at": u.used_at.isoformat(),
                    "status": u.status,
                    "expires_at": u.expires_at.isoformat() if u.expires_at else None,
                }
                for u in log.uses()
            ],
            "issued": len(log.issued_links()),
        }

    def stats(self) -> dict[str, Any]:
        faults = self.handle.faults
        return {
            "injected_errors": faults.injected_errors,
            "dropped": faults.dropped,
            "outages": [(a.isoformat(), b.isoformat()) for a, b in self.proxy.outages],
        }

    def stop(self) -> None:
        self.proxy.stop()
        self.handle.stop()


def start_soak_sim(
    *, url_ttl_s: int = 20, token_ttl_s: int = 30, error_rate: float = 0.05, fault_seed: int | None = 8
) -> SoakSim:
    handle = start_in_thread(
        url_ttl_s=url_ttl_s,
        token_ttl_s=token_ttl_s,
        error_rate=error_rate,
        fault_seed=fault_seed,
        catalog_size=300,
        demo_dir=None,
    )
    state = handle.state
    signer = PreciseCdnSigner(state.config.secret_key + ":cdn", state.clock, state.access_log)
    state.cdn = state.yinsuda.cdn = state.xiaowei.cdn = signer
    _precise_xiaowei_links(signer, state.xiaowei)
    zego = state.zego.config
    zego.resource_ttl_ms = url_ttl_s * 1000
    zego.share_token_ttl_ms = token_ttl_s * 1000
    zego.krc_token_ttl_ms = token_ttl_s * 1000
    proxy = OutageProxy(int(handle.base_url.rsplit(":", 1)[1]))
    proxy.start()
    state.base_url = proxy.base_url  # every issued link goes through the proxy too
    return SoakSim(handle, proxy)


def _control_server(sim: SoakSim) -> ThreadingHTTPServer:
    class Control(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _reply(self, payload: object, status: int = 200) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/access-log":
                self._reply(sim.access_log())
            elif url.path == "/songs":
                self._reply(sim.songs(int(query.get("n", ["10"])[0])))
            elif url.path == "/stats":
                self._reply(sim.stats())
            else:
                self._reply({"error": "not found"}, 404)

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/outage":
                ms = int(parse_qs(url.query).get("ms", ["15000"])[0])
                sim.proxy.refuse_for(ms)
                self._reply({"refusing_ms": ms})
            else:
                self._reply({"error": "not found"}, 404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Control)
    threading.Thread(target=server.serve_forever, name="soak-control", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/support/soak_sim.py")
    parser.add_argument("--url-ttl", type=int, default=20)
    parser.add_argument("--token-ttl", type=int, default=30)
    parser.add_argument("--error-rate", type=float, default=0.05)
    parser.add_argument("--fault-seed", type=int, default=8)
    args = parser.parse_args(argv)
    sim = start_soak_sim(
        url_ttl_s=args.url_ttl,
        token_ttl_s=args.token_ttl,
        error_rate=args.error_rate,
        fault_seed=args.fault_seed,
    )
    control = _control_server(sim)
    config = sim.handle.config
    announce = {
        "base_url": sim.base_url,
        "control_url": f"http://127.0.0.1:{control.server_address[1]}",
        "secret_id": config.secret_id,
        "secret_key": config.secret_key,
        "zego_app_id": DEFAULT_APP_ID,
        "zego_server_secret": DEFAULT_SERVER_SECRET,
        "url_ttl_s": args.url_ttl,
        "token_ttl_s": args.token_ttl,
    }
    print(json.dumps(announce), flush=True)
    try:
        sys.stdin.read()  # the parent closes our stdin (or dies): time to go
    finally:
        control.shutdown()
        sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
