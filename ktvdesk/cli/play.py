"""`ktvdesk play SOURCE`: headless playback for diagnostics and tests.

SOURCE is a file path or an http(s) URL, or with `--provider NAME [--endpoint URL]` a song
id of that catalog (credentials as `ktvdesk catalog` reads them: keyring, config file,
`KTVDESK_<PROVIDER>_*`). `--report json` prints one JSON object per engine event on stdout
and a final summary. Where the media comes from is decided by `_source_from_args`.

A catalog song is resolved through `FreshMedia` (Yinsuda: the accompaniment segment), so
its link is kept fresh in the background for as long as it plays, and a stream error gets
a fresh link at once (the engine's recovery resolver). `--refresh-log` prints the table of
scheduled refreshes (times to expiry, redacted links) on stderr after every refresh, and
adds `refresh` events to the JSON report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ktvdesk.errors import KtvError
from ktvdesk.models import Channel, ClipSegment, MediaSource, Song, VocalLayout

if TYPE_CHECKING:
    from ktvdesk.catalog.base import CatalogProvider
    from ktvdesk.playback import PlaybackEngine
    from ktvdesk.playback.engine import Resolver
    from ktvdesk.refresh import RefreshEvent
    from ktvdesk.refresh.media import FreshMedia


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ktvdesk.cli.catalog import PROVIDERS

    parser.add_argument(
        "source", metavar="FILE_OR_URL", help="a media file or an http(s) URL; with --provider: a song id"
    )
    parser.add_argument(
        "--provider", choices=sorted(PROVIDERS), help="resolve SOURCE as a song id of this catalog"
    )
    parser.add_argument("--endpoint", help="the provider's host, e.g. http://127.0.0.1:8640 (cloudsim)")
    parser.add_argument("--chorus", action="store_true", help="with --provider: only the chorus clip")
    parser.add_argument(
        "--refresh-log", action="store_true", help="print scheduled refreshes (times to expiry) on stderr"
    )
    parser.add_argument("--headless", action="store_true", help="no video window, no sound card")
    parser.add_argument("--seconds", type=float, help="stop after this many seconds (default: to the end)")
    parser.add_argument("--vocal", choices=["original", "accompaniment"], default="original")
    parser.add_argument(
        "--layout",
        choices=[layout.value for layout in VocalLayout],
        default=VocalLayout.MIXED.value,
        help="how the vocal is carried (default: mixed, accompaniment by vocal reduction)",
    )
    parser.add_argument("--vocal-channel", choices=["left", "right"], default="left", help="for left_right")
    parser.add_argument("--accompaniment-url", help="for separate_file: the accompaniment file or URL")
    parser.add_argument("--key", type=int, default=0, help="semitones, -6..6")
    parser.add_argument("--tempo", type=float, default=1.0, help="0.75..1.25, pitch unchanged")
    parser.add_argument("--clip", metavar="BEGIN_MS:END_MS", help="play only this segment")
    parser.add_argument("--prelude-ms", type=int, default=0, help="lead-in before the clip")
    parser.add_argument("--normalize", action="store_true", help="loudness normalisation")
    parser.add_argument("--volume", type=int, default=100, help="0..100")
    parser.add_argument("--audio-out-file", type=Path, metavar="OUT.wav", help="render the audio to a WAV")
    parser.add_argument("--report", choices=["json", "text"], default="text")
    parser.add_argument("--debug", action="store_true", help="verbose logs on stderr")


class _UsageError(Exception):
    pass


def _parse_clip(text: str | None) -> ClipSegment | None:
    if not text:
        return None
    begin, sep, end = text.partition(":")
    try:
        if not sep:
            raise ValueError(text)
        return ClipSegment(begin_ms=int(begin), end_ms=int(end))
    except ValueError as exc:
        raise _UsageError(f"--clip wants BEGIN_MS:END_MS with END after BEGIN, got {text!r}") from exc


@dataclass(frozen=True, slots=True)
class CatalogSong:
    """`--provider NAME SONG_ID`: resolved at play time, through the catalog."""

    provider: str
    song_id: str
    chorus: bool


def _source_from_args(args: argparse.Namespace) -> MediaSource | CatalogSong:
    if getattr(args, "provider", None):
        song_id = str(args.source).strip()
        if not song_id:
            raise _UsageError("--provider needs a song id")
        return CatalogSong(args.provider, song_id, bool(args.chorus))
    if getattr(args, "endpoint", None):
        raise _UsageError("--endpoint needs --provider")
    url = str(args.source)
    if "://" not in url and not Path(url).is_file():
        raise _UsageError(f"no such file: {url}")
    layout = VocalLayout(args.layout)
    if layout is VocalLayout.SEPARATE_FILE and not args.accompaniment_url:
        raise _UsageError("--layout separate_file needs --accompaniment-url")
    return MediaSource(
        url=url,
        layout=layout,
        vocal_channel=Channel(args.vocal_channel),
        accompaniment_url=args.accompaniment_url,
        clip=_parse_clip(args.clip),
        prelude_ms=max(0, args.prelude_ms),
    )


def run(args: argparse.Namespace) -> int:
    try:
        source = _source_from_args(args)
        if args.seconds is not None and args.seconds <= 0:
            raise _UsageError("--seconds must be positive")
    except _UsageError as exc:
        print(f"ktvdesk play: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_play(args, source))
    except KtvError as exc:
        print(f"ktvdesk play: {exc.message('en')} ({_display(exc.detail)})", file=sys.stderr)
        return 2


def _open_provider(args: argparse.Namespace, name: str) -> CatalogProvider:
    """The provider as `ktvdesk catalog --provider NAME` opens it (its settings, its secrets)."""
    import importlib

    from ktvdesk.cli.catalog import PROVIDERS

    module = importlib.import_module(PROVIDERS[name])
    provider: CatalogProvider = module.open_provider(args)
    return provider


async def _catalog_song(provider: CatalogProvider, wanted: CatalogSong) -> Song:
    """Title and duration from the catalog's details, else a bare id (resolve still works)."""
    try:
        found = await provider.details([wanted.song_id])
    except KtvError as exc:
        if not exc.retryable:
            raise
        found = []
    if found:
        return found[0].song
    return Song(provider=wanted.provider, id=wanted.song_id, title=wanted.song_id)


class _FreshLinks:
    """The catalog side of `play --provider`: provider, scheduler and FreshMedia, closed together."""

    def __init__(self, args: argparse.Namespace, wanted: CatalogSong) -> None:
        from ktvdesk.catalog.base import MediaRequest
        from ktvdesk.refresh import RefreshScheduler
        from ktvdesk.refresh.media import FreshMedia

        self.provider = _open_provider(args, wanted.provider)
        self.scheduler = RefreshScheduler()
        self.fresh: FreshMedia = FreshMedia(
            {wanted.provider: self.provider},
            self.scheduler,
            request=MediaRequest(clip=wanted.chorus),
            lyrics=False,
        )
        self.wanted = wanted
        self.song: Song | None = None

    async def resolve(self, report: str, refresh_log: bool) -> tuple[MediaSource, Resolver]:
        self.scheduler.start()
        if refresh_log:

            def later(event: RefreshEvent) -> None:
                # Next turn: listeners run before the scheduler has finished its bookkeeping.
                asyncio.get_running_loop().call_soon(self._log_refresh, event, report)

            self.scheduler.add_listener(later)
        self.song = await _catalog_song(self.provider, self.wanted)
        self.fresh.on_queue_changed(self.song, [])
        source = await self.fresh.resolve(self.song)
        return source, self.fresh.recovery_resolver(self.song)

    def _log_refresh(self, event: RefreshEvent, report: str) -> None:
        rows = self.scheduler.entries()
        print(f"refresh {event.kind.value} {event.key or ''}\n{self.fresh.debug_table()}", file=sys.stderr)
        if report == "json":
            _report(
                report,
                {
                    "event": "refresh",
                    "kind": event.kind.value,
                    "key": event.key,
                    "entries": [r.as_dict() for r in rows],
                },
            )

    def summary(self) -> dict[str, Any]:
        return {
            "provider": self.wanted.provider,
            "song_id": self.wanted.song_id,
            "refreshes": self.scheduler.refresh_calls,
            "scheduled": [row.as_dict() for row in self.scheduler.entries()],
        }

    async def aclose(self) -> None:
        await self.fresh.aclose()
        await self.scheduler.aclose()
        await self.provider.aclose()


async def _play(args: argparse.Namespace, planned: MediaSource | CatalogSong) -> int:
    links = _FreshLinks(args, planned) if isinstance(planned, CatalogSong) else None
    try:
        if links is not None:
            source, resolver = await links.resolve(args.report, args.refresh_log)
        else:
            assert isinstance(planned, MediaSource)
            source, resolver = planned, None
        return await _play_source(args, source, resolver, links)
    finally:
        if links is not None:
            await links.aclose()


async def _play_source(
    args: argparse.Namespace, source: MediaSource, resolver: Resolver | None, links: _FreshLinks | None
) -> int:
    from ktvdesk.playback import EndReason, EventKind, PlaybackEngine, PlaybackEvent, VocalMode
    from ktvdesk.playback.vlc_backend import VlcBackend

    backend = VlcBackend(
        audio_out_file=args.audio_out_file,
        aout="dummy" if args.headless and args.audio_out_file is None else None,
        video=not args.headless,
    )

    async def same_url_again(current: MediaSource) -> MediaSource:
        # Without a catalog there is nothing to refresh: retry the same link.
        return current

    if resolver is None and source.is_network:
        resolver = same_url_again
    engine: PlaybackEngine = PlaybackEngine(backend, resolver=resolver)
    done = asyncio.Event()
    counts = {"errors": 0, "recoveries": 0}
    end_reason: list[EndReason] = []
    last_error: list[KtvError] = []

    def on_event(event: PlaybackEvent) -> None:
        if event.kind is EventKind.ERROR:
            counts["errors"] += 1
            if event.error is not None and not event.will_retry:
                last_error[:] = [event.error]
        elif event.kind is EventKind.RECOVERED:
            counts["recoveries"] += 1
        elif event.kind is EventKind.END:
            end_reason.append(event.reason or EndReason.FINISHED)
            done.set()
        _report(args.report, event.as_dict())

    engine.subscribe(on_event)
    try:
        engine.set_volume(args.volume)
        engine.set_key(args.key)
        engine.set_tempo(args.tempo)
        engine.set_normalize(args.normalize)
        engine.set_vocal(VocalMode(args.vocal))
        engine.load(source)
        try:
            await asyncio.wait_for(done.wait(), timeout=args.seconds)
        except TimeoutError:
            engine.stop()
        summary: dict[str, Any] = {
            "event": "summary",
            "source": _display(source.url),
            "position_ms": engine.reached_ms,
            "end": end_reason[0].value if end_reason else None,
            "errors": counts["errors"],
            "recoveries": counts["recoveries"],
        }
        if end_reason and end_reason[0] is EndReason.FAILED and last_error:
            summary["error"] = last_error[0].message("en")
            summary["error_code"] = last_error[0].code
            print(f"ktvdesk play: {last_error[0].message('en')}", file=sys.stderr)
        if args.audio_out_file is not None:
            summary["audio_out_file"] = str(args.audio_out_file)
        if links is not None:
            summary.update(links.summary())
        _report(args.report, summary)
    finally:
        await engine.aclose()
        backend.close()
    return 1 if end_reason and end_reason[0] is EndReason.FAILED else 0


def _display(url: str) -> str:
    from ktvdesk.logs import redact

    return redact(url)


def _report(mode: str, payload: dict[str, Any]) -> None:
    if mode == "json":
        line = json.dumps(payload, ensure_ascii=False)
    elif payload.get("event") != "position":
        fields = " ".join(f"{key}={value}" for key, value in payload.items() if key != "event")
        line = f"{payload.get('event')}: {fields}"
    else:
        return
    try:
        print(line, flush=True)
    except BrokenPipeError:
        # The reader went away (`| head`): finish quietly, as the docs of `signal` advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
