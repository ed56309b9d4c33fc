"""The soak scenario, shared by the short test (make test) and the long benchmark (make soak).

Real parts end to end: cloudsim in a process of its own (`tests/support/soak_sim.py`:
second-precise 20 s links, 30 s tokens, 5 % injected errors, an outage proxy), the three
real providers over loopback HTTP, `RefreshScheduler` + `FreshMedia`, and `PlaybackEngine`
on real libVLC (dummy audio output). A small queue driver stands in for the session: it
advances through the songs, tells FreshMedia about every queue change, pauses once and
cuts the network once, and records every engine event with its time.

What the summary measures:
- every song reached its end (END with reason FINISHED, once per queued song);
- user-visible errors: an ERROR the engine will not retry, a FAILED end, a song that could
  not be resolved, lyrics that could not be fetched;
- gaps: from the engine leaving PLAYING (other than for a pause) to PLAYING again, classed
  as "start" (between songs), "recovery" (stream error → fresh link), "resume" (after the
  pause) or "outage" (overlapping the network outage: not attributable to refresh);
- the emulator's access log: every media / lyrics link used before it expired (status 200,
  use time <= expiry), i.e. no link was ever refused as expired;
- event-loop lag: a probe sleeping 10 ms at a time, actual minus scheduled wake-up.

The generated emulator songs are 30 s tone WAVs (their catalog entries say so too); for the
short run the driver plays a clip of the first `clip_ms` of each song.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ktvdesk.catalog.base import CatalogProvider, MediaRequest
from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.catalog.yinsuda.settings import YinsudaSettings
from ktvdesk.catalog.zego.provider import ZegoProvider
from ktvdesk.catalog.zego.settings import load_zego_settings
from ktvdesk.errors import KtvError
from ktvdesk.models import ClipSegment, MediaSource, Song
from ktvdesk.playback import EndReason, EventKind, PlaybackEngine, PlaybackEvent, PlayerState
from ktvdesk.refresh import RefreshScheduler
from ktvdesk.refresh.media import FreshMedia, play_token_source

SOAK_SIM = Path(__file__).parents[2] / "support" / "soak_sim.py"
PROVIDERS = ("yinsuda", "xiaowei", "zego")
GAP_LIMIT_MS = 1000
OUTAGE_GRACE_MS = 3000  # reconnects right after the outage still belong to it


@dataclass(frozen=True, slots=True)
class SoakPlan:
    songs_per_provider: int
    clip_ms: int | None  # None: each emulator song whole (30 s)
    pause_ms: int
    pause_song: int  # queue index of the song paused mid-way
    outage_ms: int
    outage_song: int
    # Where in those songs (media ms) the pause and the outage begin; None: half / a quarter.
    pause_at_ms: int | None = None
    outage_at_ms: int | None = None
    url_ttl_s: int = 20
    token_ttl_s: int = 30
    error_rate: float = 0.05
    providers: tuple[str, ...] = PROVIDERS


@dataclass(slots=True)
class Gap:
    start_s: float
    end_s: float
    kind: str
    song: int

    @property
    def ms(self) -> int:
        return round((self.end_s - self.start_s) * 1000)


@dataclass
class SoakReport:
    plan: SoakPlan
    queued: list[str] = field(default_factory=list)  # song keys in play order
    finished: list[int] = field(default_factory=list)  # queue indexes that ended FINISHED
    user_errors: list[str] = field(default_factory=list)
    retried_errors: int = 0
    recoveries: int = 0
    gaps: list[Gap] = field(default_factory=list)
    fresh_resume: bool = False
    paused_ms: int = 0
    outage: tuple[float, float] | None = None
    refresh_calls: int = 0
    provider_resolves: int = 0
    link_uses: int = 0
    link_violations: list[dict[str, Any]] = field(default_factory=list)
    links_issued: int = 0
    injected_errors: int = 0
    lag_ms: list[float] = field(default_factory=list)
    wall_s: float = 0.0

    def attributable_gaps(self) -> list[Gap]:
        return [g for g in self.gaps if g.kind != "outage"]

    def long_gaps(self) -> list[Gap]:
        return [g for g in self.attributable_gaps() if g.ms > GAP_LIMIT_MS]

    def lag_p99_ms(self) -> float:
        return _percentile(self.lag_ms, 99)

    def summary(self) -> str:
        plan = self.plan
        by_provider = {p: 0 for p in plan.providers}
        for index in self.finished:
            by_provider[self.queued[index].split(":", 1)[0]] += 1
        gaps = self.attributable_gaps()
        kinds = sorted({g.kind for g in self.gaps})
        per_kind = ", ".join(
            f"{k} n={len(v)} max={max(g.ms for g in v)} ms"
            for k in kinds
            if (v := [g for g in self.gaps if g.kind == k])
        )
        lines = [
            f"soak: {len(self.queued)} songs ({', '.join(f'{p} {n}' for p, n in by_provider.items())} finished), "
            f"{'clips of ' + str(plan.clip_ms) + ' ms' if plan.clip_ms else 'whole songs'}, "
            f"URL TTL {plan.url_ttl_s} s, token TTL {plan.token_ttl_s} s, {plan.error_rate:.0%} injected errors, "
            f"wall {self.wall_s:.0f} s",
            f"  reached the end: {len(set(self.finished))}/{len(self.queued)}; user-visible errors: "
            f"{len(self.user_errors)} {self.user_errors[:3] if self.user_errors else ''}",
            f"  stream errors recovered by the engine: {self.retried_errors} errors, {self.recoveries} recoveries; "
            f"server-injected faults: {self.injected_errors}",
            f"  pause {self.paused_ms / 1000:.0f} s, resumed on a fresh link: {self.fresh_resume}; "
            f"outage {plan.outage_ms / 1000:.0f} s",
            f"  gaps: {per_kind or 'none'}",
            f"  longest gap attributable to refresh: {max((g.ms for g in gaps), default=0)} ms "
            f"(limit {GAP_LIMIT_MS}); over the limit: {[(g.kind, g.ms) for g in self.long_gaps()]}",
            f"  refreshes: {self.refresh_calls} scheduler runs, {self.provider_resolves} media resolves",
            f"  access log: {self.link_uses} link uses of {self.links_issued} issued links, "
            f"{len(self.link_violations)} used after expiry/refused",
            f"  event-loop lag: p50 {_percentile(self.lag_ms, 50):.1f} ms, p99 {self.lag_p99_ms():.1f} ms, "
            f"max {max(self.lag_ms, default=0):.1f} ms over {len(self.lag_ms)} wake-ups (target p99 <= 20 ms)",
        ]
        return "\n".join(lines)


def _percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


class SimProcess:
    """`tests/support/soak_sim.py` in a child process; its stdin closing stops it."""

    def __init__(self, plan: SoakPlan) -> None:
        self._proc = subprocess.Popen(
            [
                sys.executable,
                str(SOAK_SIM),
                "--url-ttl",
                str(plan.url_ttl_s),
                "--token-ttl",
                str(plan.token_ttl_s),
                "--error-rate",
                str(plan.error_rate),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError("the soak emulator did not start")
        self.info: dict[str, Any] = json.loads(line)
        self.base_url: str = self.info["base_url"]

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.info["control_url"] + path, timeout=10) as reply:
            return json.loads(reply.read())

    def post(self, path: str) -> Any:
        request = urllib.request.Request(self.info["control_url"] + path, data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def stop(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


def open_providers(sim: SimProcess, plan: SoakPlan) -> dict[str, CatalogProvider]:
    info, base = sim.info, sim.base_url
    retry = RetryPolicy()  # the production policy
    made: dict[str, CatalogProvider] = {}
    if "yinsuda" in plan.providers:
        settings = YinsudaSettings.model_validate(
            {
                "secret_id": info["secret_id"],
                "secret_key": info["secret_key"],
                "app_name": "ktvdesk-soak",
                "user_id": "soak-singer",
                "endpoint": base,
                "url_ttl_s": plan.url_ttl_s,
                "timeout_s": 5.0,
            }
        )
        made["yinsuda"] = YinsudaProvider(settings, retry=retry)
    if "xiaowei" in plan.providers:
        xw = load_xiaowei_settings(
            {},
            endpoint=base,
            use_keyring=False,
            device_id="soak-device",
            client_ip="203.0.113.7",
            url_ttl_s=plan.url_ttl_s,
            timeout_s=5.0,
        )
        made["xiaowei"] = XiaoweiProvider(xw, retry=retry)
    if "zego" in plan.providers:
        zg = load_zego_settings(
            {},
            endpoint=f"{base}/zego",
            use_keyring=False,
            app_id=info["zego_app_id"],
            server_secret=info["zego_server_secret"],
            user_id="soak-singer",
            room_id="room-1",
            resource_endpoint=f"{base}/zego/venue/resource",
            timeout_s=5.0,
        )
        made["zego"] = ZegoProvider(zg, retry=retry)
    return made


class QueueDriver:
    """What the session does for a queue, reduced to the soak's needs, plus the recording."""

    def __init__(self, plan: SoakPlan, sim: SimProcess, fresh: FreshMedia, songs: list[Song]) -> None:
        self.plan = plan
        self.sim = sim
        self.fresh = fresh
        self.songs = songs
        self.report = SoakReport(plan, queued=[s.key for s in songs])
        self.index = 0
        self.done = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._gap_start: float | None = None
        self._gap_kind = "start"
        self._started = False
        self._paused = False
        self._outage_started = False
        self._last_state = PlayerState.IDLE
        self.engine: PlaybackEngine | None = None

    def fit(self, source: MediaSource) -> MediaSource:
        clip = ClipSegment(begin_ms=0, end_ms=self.plan.clip_ms) if self.plan.clip_ms else None
        return source.model_copy(update={"clip": clip})

    async def resolver(self, stale: MediaSource) -> MediaSource:
        song = self.songs[self.index]
        return self.fit(await self.fresh.recovery_resolver(song, MediaRequest())(stale))

    async def next_source(self, reason: EndReason) -> MediaSource | None:
        while True:
            self.index += 1
            if self.index >= len(self.songs):
                self.fresh.on_queue_changed(None, [])
                self.done.set()
                return None
            source = await self._start_song()
            if source is not None:
                return source

    async def first_source(self) -> MediaSource | None:
        source = await self._start_song()
        if source is None:
            return await self.next_source(EndReason.FAILED)
        return source

    async def _start_song(self) -> MediaSource | None:
        song = self.songs[self.index]
        self.fresh.on_queue_changed(song, self.songs[self.index + 1 :])
        self._spawn(self._lyrics(song))
        try:
            return self.fit(await self.fresh.resolve(song))
        except KtvError as exc:
            self.report.user_errors.append(f"resolve {song.key}: {exc.code} {exc.detail}")
            return None

    async def _lyrics(self, song: Song) -> None:
        try:
            await self.fresh.fetch_lyrics(song)
        except KtvError as exc:
            self.report.user_errors.append(f"lyrics {song.key}: {exc.code} {exc.detail}")

    def _spawn(self, coro: Any) -> None:
        task = self.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- recording -----------------------------------------------------------------------------

    def on_event(self, event: PlaybackEvent) -> None:
        now = self.loop.time()
        report = self.report
        if event.kind is EventKind.STATE and event.state is not None:
            self._on_state(event.state, now)
        elif event.kind is EventKind.END:
            if event.reason is EndReason.FINISHED:
                report.finished.append(self.index)
            else:
                report.user_errors.append(f"song {self.index} ended {event.reason}")
        elif event.kind is EventKind.ERROR:
            if event.will_retry:
                report.retried_errors += 1
                self._gap_kind = "recovery"
            else:
                detail = event.error.detail if event.error is not None else "?"
                report.user_errors.append(f"song {self.index}: {detail}")
        elif event.kind is EventKind.RECOVERED:
            report.recoveries += 1
        elif event.kind is EventKind.POSITION and event.position_ms is not None:
            self._maybe_disturb(event.position_ms)

    def _on_state(self, state: PlayerState, now: float) -> None:
        previous, self._last_state = self._last_state, state
        if state is PlayerState.PLAYING:
            if self._gap_start is not None and self._started:
                self.report.gaps.append(self._classify(Gap(self._gap_start, now, self._gap_kind, self.index)))
            self._started = True
            self._gap_start = None
            return
        if state is PlayerState.PAUSED or self._gap_start is not None:
            return
        self._gap_start = now
        if previous is PlayerState.PAUSED:
            self._gap_kind = "resume"
        elif state is PlayerState.RECOVERING:
            self._gap_kind = "recovery"
        else:
            self._gap_kind = "start"

    def _classify(self, gap: Gap) -> Gap:
        outage = self.report.outage
        if outage is not None:
            start, end = outage
            if gap.start_s <= end + OUTAGE_GRACE_MS / 1000 and gap.end_s >= start:
                gap.kind = "outage"
        return gap

    def _maybe_disturb(self, position_ms: int) -> None:
        plan = self.plan
        half = (plan.clip_ms or 30_000) // 2
        pause_at = half if plan.pause_at_ms is None else plan.pause_at_ms
        outage_at = half // 2 if plan.outage_at_ms is None else plan.outage_at_ms
        if self.index == plan.pause_song and not self._paused and position_ms >= pause_at:
            self._paused = True
            self._spawn(self._pause_and_resume())
        if self.index == plan.outage_song and not self._outage_started and position_ms >= outage_at:
            self._outage_started = True
            self._spawn(self._outage())

    async def _pause_and_resume(self) -> None:
        engine = self.engine
        assert engine is not None
        engine.pause()
        start = self.loop.time()
        await asyncio.sleep(self.plan.pause_ms / 1000)
        self.report.paused_ms = round((self.loop.time() - start) * 1000)
        song, current = self.songs[self.index], engine.source
        fresh = None if current is None else await self.fresh.fresh_for_resume(song, current, MediaRequest())
        self.report.fresh_resume = fresh is not None
        if fresh is None:
            engine.resume()
        else:
            engine.resume_on(self.fit(fresh))

    async def _outage(self) -> None:
        start = self.loop.time()
        self.report.outage = (start, start + self.plan.outage_ms / 1000)
        await asyncio.to_thread(self.sim.post, f"/outage?ms={self.plan.outage_ms}")


async def _lag_probe(samples: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        due = loop.time() + 0.01
        await asyncio.sleep(0.01)
        samples.append(max(0.0, (loop.time() - due) * 1000))


def _check_access_log(report: SoakReport, log: dict[str, Any]) -> None:
    report.links_issued = int(log["issued"])
    for use in log["uses"]:
        report.link_uses += 1
        expires = use["expires_at"]
        late = expires is None or datetime.fromisoformat(use["used_at"]) > datetime.fromisoformat(expires)
        if use["status"] not in (200, 206) or late:
            report.link_violations.append(use)


async def run_soak(plan: SoakPlan) -> SoakReport:
    from ktvdesk.playback.vlc_backend import VlcBackend

    loop = asyncio.get_running_loop()
    started = loop.time()
    sim = await asyncio.to_thread(SimProcess, plan)
    providers: dict[str, CatalogProvider] = {}
    scheduler = RefreshScheduler()
    backend = VlcBackend(aout="dummy", video=False)
    fresh: FreshMedia | None = None
    try:
        providers = open_providers(sim, plan)
        ids = await asyncio.to_thread(sim.get, f"/songs?n={plan.songs_per_provider}")
        songs = [
            Song(provider=name, id=ids[name][n], title=f"{name} {n}")
            for n in range(plan.songs_per_provider)
            for name in plan.providers
        ]
        scheduler.start()
        tokens = {"yinsuda": play_token_source(providers["yinsuda"])} if "yinsuda" in providers else {}
        fresh = FreshMedia(providers, scheduler, tokens=tokens)
        driver = QueueDriver(plan, sim, fresh, songs)
        engine = PlaybackEngine(backend, resolver=driver.resolver, next_source=driver.next_source)
        driver.engine = engine
        engine.subscribe(driver.on_event)
        stop_probe = asyncio.Event()
        probe = loop.create_task(_lag_probe(driver.report.lag_ms, stop_probe))
        try:
            first = await driver.first_source()
            if first is not None:
                engine.load(first)
                await driver.done.wait()
        finally:
            stop_probe.set()
            await probe
            await engine.aclose()
        report = driver.report
        report.refresh_calls = scheduler.refresh_calls
        report.provider_resolves = fresh.resolves
        _check_access_log(report, await asyncio.to_thread(sim.get, "/access-log"))
        report.injected_errors = int((await asyncio.to_thread(sim.get, "/stats"))["injected_errors"])
        report.wall_s = loop.time() - started
        return report
    finally:
        if fresh is not None:
            await fresh.aclose()
        await scheduler.aclose()
        for provider in providers.values():
            await provider.aclose()
        backend.close()
        await asyncio.to_thread(sim.stop)
