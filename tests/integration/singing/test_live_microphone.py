"""The live path through real audio plumbing, on PulseAudio and on PipeWire: the singer is
played into a null sink, ktvdesk records the sink's monitor through PortAudio (ALSA's pulse
device), and the source is really removed (its module unloaded) to unplug the microphone."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ktvdesk.scoring import ControllerEvent, FinalScore, SingingController
from ktvdesk.singing.calibration import measure_latency_through
from ktvdesk.singing.melody import Melody
from ktvdesk.singing.microphone import SoundDeviceMicrophone
from ktvdesk.singing.pipeline import (
    LineDone,
    LivePipeline,
    MicLevel,
    MicLost,
    MicRestored,
    SingingEvent,
    SungFrame,
)
from ktvdesk.singing.pitch import Samples, detect
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.singing.scorer import score_frames
from tests.integration.singing.conftest import Karaoke, Pulse, RawClicks, RawPlayer
from tests.unit.singing.voices import demo_melody, voice

GONE_S = 1.0  # how long the tests watch a removed microphone


def _melody() -> Melody:
    return demo_melody(seconds=10)


@contextmanager
def _player(server: Pulse) -> Iterator[RawPlayer]:
    """A steady player into the sink (silence between takes): the monitor keeps flowing."""
    player = server.raw_player()
    try:
        yield player
    finally:
        player.close()


def _sing_live(
    server: Pulse, player: RawPlayer, audio: Samples, melody: Melody, latency_ms: int
) -> tuple[float, list[SingingEvent], LivePipeline]:
    events: list[SingingEvent] = []
    started_ns = 0
    heard_to_the_end = threading.Event()

    def song_ms() -> int:  # the song clock: starts when the audio is handed to the player
        return (time.monotonic_ns() - started_ns) // 1_000_000 if started_ns else -10_000

    def listen(event: SingingEvent) -> None:
        events.append(event)
        if isinstance(event, SungFrame) and event.frame.time_ms > melody.end_ms + 300:
            heard_to_the_end.set()

    pipeline = LivePipeline(
        melody, SoundDeviceMicrophone(pulse_source=server.monitor), song_ms, listen, latency_ms=latency_ms
    )
    pipeline.start()
    try:
        assert pipeline.listening.wait(10), "the microphone delivered nothing"
        started_ns = time.monotonic_ns()
        player.write(audio)
        assert heard_to_the_end.wait(60), "the singing was not heard to its end"
    finally:
        result = pipeline.stop()
    return result.score, events, pipeline


def test_live_score_matches_the_offline_score(audio_server: Pulse) -> None:
    melody = _melody()
    with _player(audio_server) as player:
        calibration = measure_latency_through(
            SoundDeviceMicrophone(pulse_source=audio_server.monitor), RawClicks(player)
        )
        latency = calibration.latency_ms
        assert 0 <= latency < 1500
        for name, semitones in (("on", 0.0), ("off", 3.0)):
            audio = voice(melody, semitones=semitones)
            frames = detect(audio)
            offline = score_frames(melody, frames.midi, frames.first_ms).score
            live, events, pipeline = _sing_live(audio_server, player, audio, melody, latency)
            print(
                f"{audio_server.kind} {name}: live {live} offline {offline} latency {latency} ms, oldest block {pipeline.max_backlog_ms:.0f} ms, "
                f"{getattr(pipeline.microphone, 'stats', None)}"
            )
            if name == "on":  # the must-hold: the live score of a WAV within 5 of its offline score
                assert abs(live - offline) <= 5, (name, live, offline, latency)
                assert live >= 90
            else:
                assert live <= 30
            assert pipeline.overruns == 0  # no samples lost on the way in
            assert any(isinstance(e, SungFrame) and e.frame.pitch is not None for e in events)
            assert len([e for e in events if isinstance(e, LineDone)]) >= 1


def _cpu_share_while(watch_s: float) -> float:
    """This process's CPU (all threads) over the next `watch_s` seconds, in cores."""
    cpu, wall = time.process_time(), time.monotonic()
    threading.Event().wait(watch_s)  # a measuring window, not a synchronisation
    return (time.process_time() - cpu) / (time.monotonic() - wall)


def test_a_removed_source_pauses_scoring_closes_the_stream_and_comes_back(audio_server: Pulse) -> None:
    """The module providing the source is unloaded mid-capture: the stream ends, scoring
    pauses with a message, nothing polls the dead device; reloaded, it all comes back."""
    events: list[SingingEvent] = []
    lost, restored = threading.Event(), threading.Event()

    def listen(event: SingingEvent) -> None:
        events.append(event)
        if isinstance(event, MicLost):
            lost.set()
        elif isinstance(event, MicRestored):
            restored.set()

    mic = SoundDeviceMicrophone(pulse_source=audio_server.monitor)
    pipeline = LivePipeline(_melody(), mic, lambda: 0, listen)
    with _player(audio_server):  # (PulseAudio ends the player with its sink)
        pipeline.start()
        try:
            assert pipeline.listening.wait(10), "the microphone delivered nothing"
            assert not lost.is_set(), (events, mic.stats)
            audio_server.pactl("unload-module", audio_server.null_sink_module())
            assert lost.wait(10), "no MicLost after the source was removed"
            assert (
                pipeline.scorer.paused
                and "microphone" in next(e for e in events if isinstance(e, MicLost)).message
            )
            assert mic.wait_streaming(False, 10), "the dead stream was left open"
            cpu = _cpu_share_while(GONE_S)
            print(f"{audio_server.kind}: CPU while unplugged {cpu:.3f} cores, {mic.stats}")
            assert not mic.streaming  # not reopened on another source while ours is gone
            assert mic.stats.losses == 1

            audio_server.load_null_sink()
            with _player(audio_server):
                assert restored.wait(20), "no MicRestored after the source came back"
                assert not pipeline.scorer.paused and mic.streaming and mic.stats.reopens >= 1
        finally:
            pipeline.stop()
    assert not mic.streaming


def test_a_source_removed_before_its_first_block_is_closed(audio_server: Pulse) -> None:
    """The case that spun a core: the source vanishes while the fresh stream is still
    starting (ALSA's pulse device can take two seconds to deliver a first block)."""
    lost = threading.Event()
    mic = SoundDeviceMicrophone(pulse_source=audio_server.monitor)
    pipeline = LivePipeline(
        _melody(), mic, lambda: 0, lambda e: lost.set() if isinstance(e, MicLost) else None, lost_after_ms=400
    )
    pipeline.start()
    try:
        audio_server.pactl("unload-module", audio_server.null_sink_module())
        assert lost.wait(10), "no MicLost for a source that never delivered"
        assert mic.wait_streaming(False, 10), "the stream of a vanished source was left open"
        print(f"{audio_server.kind}: CPU while gone {_cpu_share_while(GONE_S):.3f} cores, {mic.stats}")
        assert not mic.streaming
    finally:
        pipeline.stop()


async def test_unplugged_mid_song_scoring_pauses_and_the_song_plays_on(
    karaoke: Karaoke, audio_server: Pulse
) -> None:
    """The same removal beside a real session: a message, the song plays on, a final score."""
    karaoke.provider.notes = NOTES
    server = audio_server
    mic = SoundDeviceMicrophone(pulse_source=server.monitor)
    controller = SingingController(karaoke.session, ReferenceFinder(), lambda: mic, enabled=True)
    unplugged = threading.Event()

    def unplug_once_heard(event: ControllerEvent) -> None:
        if isinstance(event, MicLevel) and not unplugged.is_set():
            unplugged.set()
            threading.Thread(target=server.pactl, args=("unload-module", server.null_sink_module())).start()

    controller.subscribe(unplug_once_heard)
    try:
        with _player(server):
            events = await karaoke.sing(controller)  # it asserts the song still plays past 4.3 s
        assert unplugged.is_set()
        assert any(isinstance(e, MicLost) and "microphone" in e.message for e in events)
        assert any(isinstance(e, FinalScore) for e in events)
        assert mic.stats.losses >= 1 and not mic.streaming
    finally:
        controller.close()


NOTES = """#TITLE:Four Steps
#ARTIST:ktvdesk tests
#MP3:x.wav
#BPM:120
#GAP:1500
: 0 4 0 one
: 4 4 4 two
- 10
: 12 4 7 three
* 16 4 5 four
E
"""
