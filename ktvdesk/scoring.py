"""`SingingController`: scoring beside a `KaraokeSession`, for the desktop and the kiosk
(above the session in the layers; the scoring mechanisms it drives are in `ktvdesk.singing`).

It listens to the session (a song starts, its lyrics arrive, it ends), finds the song's
reference melody, and while the song plays runs a `LivePipeline` on the session's own
`PlaybackClock`. Views subscribe here for the pitch lane (reference, sung frames, line
ratings) and the final score; the session and the playback never wait on scoring, and
a microphone that disappears pauses scoring only — the song plays on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ktvdesk.errors import KtvError
from ktvdesk.models import MediaSource, Song, VocalLayout
from ktvdesk.playback.engine import PlayerState
from ktvdesk.session import KaraokeSession, SessionEvent, SessionEventKind
from ktvdesk.singing.extract import VocalSource
from ktvdesk.singing.melody import Melody
from ktvdesk.singing.microphone import MicrophoneSource, MicrophoneUnavailable
from ktvdesk.singing.pipeline import LineDone, LivePipeline, MicLevel, MicLost, MicRestored, SungFrame
from ktvdesk.singing.reference import FetchPitch, NoReference, ReferenceFinder
from ktvdesk.singing.scorer import Difficulty, ScoreResult
from ktvdesk.storage.scores import ANONYMOUS, SOLO, Scores

log = logging.getLogger(__name__)

_FINISHED = (PlayerState.STOPPED, PlayerState.ENDED, PlayerState.IDLE)


@dataclass(frozen=True, slots=True)
class ScoringState:
    """Whether scoring can run (`reason` says why not), is on, and has a reference."""

    available: bool
    enabled: bool
    reason: str | None = None  # no microphone / no reference: shown on the greyed switch
    listening: bool = False
    notice: str | None = None  # a duet with one microphone: only player 1 is scored


@dataclass(frozen=True, slots=True)
class ReferenceReady:
    song: Song
    melody: Melody


@dataclass(frozen=True, slots=True)
class PartScore:
    """One part of a duet sung on its own microphone."""

    player: int  # the melody's player whose part this is
    result: ScoreResult
    best_before: float | None  # the best score for this part of this song before this one


@dataclass(frozen=True, slots=True)
class FinalScore:
    song: Song
    result: ScoreResult
    reference: str
    best_before: float | None  # the best score for this song (this part) before this one
    duet: tuple[PartScore, ...] = ()  # a duet on two microphones: player 1's part, player 2's


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """What the history keeps of one scored part (a solo is part `SOLO`)."""

    song: Song
    result: ScoreResult
    difficulty: str
    reference: str
    part: int = SOLO
    singer: str | None = None  # who sang it, when the queue knows


DUET_ONE_MIC = "a duet with one microphone: only player 1 is scored"

ControllerEvent = (
    ScoringState | ReferenceReady | FinalScore | SungFrame | LineDone | MicLevel | MicLost | MicRestored
)
MicrophoneFactory = Callable[[], MicrophoneSource]
# → the best before it, or None. Awaited: the app writes on the user-data thread, never
# on the GUI thread at the end of a song.
RecordScore = Callable[[ScoreRecord], Awaitable[float | None]]


class SingingController:
    def __init__(
        self,
        session: KaraokeSession,
        finder: ReferenceFinder,
        microphone: MicrophoneFactory,
        *,
        second_microphone: MicrophoneFactory | None = None,
        no_microphone_reason: str | None = None,
        latency_ms: int = 0,
        latency_of: Callable[[], int] | None = None,
        difficulty: Difficulty = Difficulty.NORMAL,
        record_score: RecordScore | None = None,
        enabled: bool = False,
    ) -> None:
        self.session = session
        self.finder = finder
        self._microphone = microphone
        self._second_microphone = second_microphone  # player 2's, for duets
        self._no_mic = no_microphone_reason
        self.latency_ms = latency_ms
        self._latency_of = latency_of  # read at each song start: the calibration may change
        self.difficulty = difficulty
        self._record = record_score
        self._enabled = enabled and no_microphone_reason is None
        self._listeners: list[Callable[[ControllerEvent], None]] = []
        self._song: Song | None = None
        self._melody: Melody | None = None
        self._reason: str | None = None
        self._pipelines: list[LivePipeline] = []  # one per scored player
        self._parts: list[int] = []  # each pipeline's part: SOLO, or the duet's player
        self._singer: str | None = None  # who queued the song being scored
        self._notice: str | None = None
        self._finding: asyncio.Task[None] | None = None
        self._reporting: set[asyncio.Task[None]] = set()
        self._unsubscribe = session.subscribe(self._on_session)

    # -- observing --------------------------------------------------------------------

    def subscribe(self, listener: Callable[[ControllerEvent], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        listener(self.state)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: ControllerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken view must not stop scoring
                log.exception("singing listener failed")

    @property
    def state(self) -> ScoringState:
        reason = self._no_mic or self._reason
        return ScoringState(
            available=self._no_mic is None,
            enabled=self._enabled,
            reason=reason,
            listening=bool(self._pipelines),
            notice=self._notice,
        )

    @property
    def melody(self) -> Melody | None:
        return self._melody

    # -- the switch -------------------------------------------------------------------

    def set_enabled(self, enabled: bool) -> bool:
        """评分 on/off; refused (False) when there is no microphone."""
        if enabled and self._no_mic is not None:
            self._emit(self.state)
            return False
        self._enabled = enabled
        if enabled:
            self._start_song(self.session.now_playing)
        else:
            self._stop_pipeline(report=False)
        self._emit(self.state)
        return True

    # -- session events ---------------------------------------------------------------

    def _on_session(self, event: SessionEvent) -> None:
        if event.kind is SessionEventKind.NOW_PLAYING:
            self._stop_pipeline(report=True)
            self._start_song(self.session.now_playing)
        elif event.kind is SessionEventKind.STATE and self.session.state in _FINISHED:
            self._stop_pipeline(report=True)  # stopped or ended: the score is final
        elif event.kind is SessionEventKind.LYRICS and self._song is not None and self._melody is None:
            self._find(self._song)  # notes may come with the lyrics

    def _start_song(self, now: object) -> None:
        song = getattr(now, "song", None)
        self._song, self._melody, self._reason = song, None, None
        if song is None or not self._enabled or getattr(now, "preview", False):
            return
        self._find(song)

    def _find(self, song: Song) -> None:
        if self._finding is not None:
            self._finding.cancel()
        self._finding = asyncio.get_running_loop().create_task(self._find_reference(song))

    async def _find_reference(self, song: Song) -> None:
        now = self.session.now_playing
        source = now.source if now is not None else None
        try:
            melody = await self.finder.find(
                lyrics=self.session.lyrics,
                fetch_pitch=self._pitch_fetcher(song),
                vocal=vocal_source(source) if source is not None else None,
            )
        except NoReference as exc:
            self._reason = exc.message("en")
            self._emit(self.state)
            return
        except KtvError as exc:
            self._reason = exc.message("en")
            log.warning("no reference for %s: %s", song.key, exc.detail)
            self._emit(self.state)
            return
        if self._song is None or self._song.key != song.key:
            return  # another song started meanwhile
        self._melody = melody
        self._emit(ReferenceReady(song, melody))
        self._start_pipeline(melody)

    def _pitch_fetcher(self, song: Song) -> FetchPitch | None:
        provider = self.session.providers.get(song.provider)
        fetch = getattr(provider, "fetch_pitch", None)
        if fetch is None:
            return None

        async def fetch_pitch() -> bytes | None:
            data: bytes | None = await fetch(song)
            return data

        return fetch_pitch

    def _start_pipeline(self, melody: Melody) -> None:
        if self.session.engine is None:
            return
        clock = self.session.engine.clock
        loop = asyncio.get_running_loop()
        latency_ms = self._latency_of() if self._latency_of is not None else self.latency_ms
        players = melody.players
        microphones = [self._microphone]
        self._notice = None
        if len(players) > 1:  # a duet: each microphone sings its own part
            if self._second_microphone is not None:
                microphones.append(self._second_microphone)
            else:
                self._notice = DUET_ONE_MIC
        self._parts = [players[index] if len(players) > 1 else SOLO for index in range(len(microphones))]
        now = self.session.now_playing
        self._singer = self.session.singers.singer_of(now.entry_id) if now is not None else None
        pipelines = [
            LivePipeline(
                melody,
                make(),
                clock.now_ms,
                self._emit,
                difficulty=self.difficulty,
                latency_ms=latency_ms,
                player=players[index] if len(players) > 1 else None,
                post=_poster(loop),
            )
            for index, make in enumerate(microphones)
        ]
        started: list[LivePipeline] = []
        try:
            for pipeline in pipelines:
                pipeline.start()
                started.append(pipeline)
        except MicrophoneUnavailable as exc:
            for pipeline in started:
                pipeline.stop()
            self._reason = exc.message("en")
            self._emit(self.state)
            return
        self._pipelines = pipelines
        self._emit(self.state)

    def _stop_pipeline(self, *, report: bool) -> None:
        if self._finding is not None:
            self._finding.cancel()
            self._finding = None
        pipelines, self._pipelines = self._pipelines, []
        if not pipelines:
            return
        results = [pipeline.stop() for pipeline in pipelines]
        song, melody = self._song, self._melody
        if report and song is not None and melody is not None:
            scored = list(zip(self._parts, results, strict=True))
            task = asyncio.ensure_future(self._report(song, melody, scored, self._singer))
            self._reporting.add(task)
            task.add_done_callback(self._reporting.discard)
        self._emit(self.state)

    async def _report(
        self, song: Song, melody: Melody, scored: list[tuple[int, ScoreResult]], singer: str | None
    ) -> None:
        """Keeps each part, then shows the final score with the best before it."""
        parts = tuple(
            [
                PartScore(part, result, await self._keep(song, melody, result, part, singer))
                for part, result in scored
            ]
        )
        first = parts[0]
        duet = parts if len(parts) > 1 else ()
        self._emit(FinalScore(song, first.result, melody.source.value, first.best_before, duet))

    async def _keep(
        self, song: Song, melody: Melody, result: ScoreResult, part: int, singer: str | None
    ) -> float | None:
        """Into the history (each part its own row); the best before it. The queue knows
        who sings the song: player 1's part and a solo are theirs."""
        if self._record is None:
            return None
        try:
            return await self._record(
                ScoreRecord(
                    song,
                    result,
                    self.difficulty.value,
                    melody.source.value,
                    part,
                    singer if part in (SOLO, 1) else None,
                )
            )
        except KtvError as exc:
            log.error("score of %s not kept: %s", song.key, exc.detail)
            return None

    def close(self) -> None:
        self._unsubscribe()
        self._stop_pipeline(report=False)
        for task in self._reporting:
            task.cancel()
        self.finder.close()


def keep_score(scores: Scores, record: ScoreRecord) -> float | None:
    """Stores one scored part in the history; the best for the same part before it."""
    best = scores.best_for_song(record.song, part=record.part)
    result = record.result
    scores.record(
        record.song,
        score=result.score,
        grade=result.grade,
        difficulty=record.difficulty,
        reference=record.reference,
        singer=record.singer or ANONYMOUS,
        part=record.part,
    )
    return None if best is None else best.score


def _poster(loop: asyncio.AbstractEventLoop) -> Callable[[Callable[[], None]], None]:
    def post(call: Callable[[], None]) -> None:
        loop.call_soon_threadsafe(call)

    return post


def vocal_source(source: MediaSource) -> VocalSource | None:
    """Where a playing song's original vocal is, when it is a local file."""
    if source.is_network or source.layout is VocalLayout.ACCOMPANIMENT_ONLY:
        return None
    path = source.url.removeprefix("file://")
    accompaniment = source.accompaniment_url.removeprefix("file://") if source.accompaniment_url else None
    return VocalSource(
        path=path,
        layout=source.layout,
        original_track=source.original_track,
        accompaniment_track=source.accompaniment_track,
        vocal_channel=source.vocal_channel,
        accompaniment_path=accompaniment,
    )
