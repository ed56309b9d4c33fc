"""The live path through real audio plumbing (PulseAudio null sink → monitor → PortAudio)."""

from __future__ import annotations

import threading
import time

from ktvdesk.singing.calibration import click, measure_latency
from ktvdesk.singing.melody import Melody
from ktvdesk.singing.microphone import SoundDeviceMicrophone
from ktvdesk.singing.pipeline import LineDone, LivePipeline, MicLost, SingingEvent, SungFrame
from ktvdesk.singing.pitch import Samples, detect
from ktvdesk.singing.scorer import score_frames
from tests.integration.singing.conftest import SINK, Pulse, RawPlayer
from tests.unit.singing.voices import demo_melody, voice


def _melody() -> Melody:
    return demo_melody(seconds=14)


def _calibrate(player: RawPlayer, mic: SoundDeviceMicrophone) -> int:
    return measure_latency(mic, lambda: player.write(click()))


def _sing_live(
    pulse: Pulse, player: RawPlayer, audio: Samples, melody: Melody, latency_ms: int
) -> tuple[float, list[SingingEvent]]:
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
        melody, SoundDeviceMicrophone(pulse_source=pulse.monitor), song_ms, listen, latency_ms=latency_ms
    )
    pipeline.start()
    try:
        assert pipeline.listening.wait(10), "the microphone delivered nothing"
        started_ns = time.monotonic_ns()
        player.write(audio)
        assert heard_to_the_end.wait(60), "the singing was not heard to its end"
    finally:
        result = pipeline.stop()
    return result.score, events


def test_live_score_matches_the_offline_score(pulse: Pulse) -> None:
    melody = _melody()
    player = pulse.raw_player()
    try:
        latency = _calibrate(player, SoundDeviceMicrophone(pulse_source=pulse.monitor))
        assert 0 <= latency < 1500
        for name, semitones in (("on", 0.0), ("off", 3.0)):
            audio = voice(melody, semitones=semitones)
            frames = detect(audio)
            offline = score_frames(melody, frames.midi, frames.first_ms).score
            live, events = _sing_live(pulse, player, audio, melody, latency)
            if name == "on":  # the must-hold: the live score of a WAV within 5 of its offline score
                assert abs(live - offline) <= 5, (name, live, offline, latency)
            assert any(isinstance(e, SungFrame) and e.frame.pitch is not None for e in events)
            assert len([e for e in events if isinstance(e, LineDone)]) >= 1
            if name == "on":
                assert live >= 90
            else:
                assert live <= 30
    finally:
        player.close()


def test_unplugged_microphone_pauses_scoring_with_a_message(pulse: Pulse) -> None:
    melody = _melody()
    lost = threading.Event()
    messages: list[str] = []

    def listen(event: SingingEvent) -> None:
        if isinstance(event, MicLost):
            messages.append(event.message)
            lost.set()

    pipeline = LivePipeline(
        melody, SoundDeviceMicrophone(pulse_source=pulse.monitor), lambda: 0, listen, lost_after_ms=400
    )
    pipeline.start()
    try:
        # The device stops delivering. (Unloading the sink instead makes PortAudio's ALSA
        # layer spin on the dead stream: a known PortAudio/ALSA-pulse weakness.)
        pulse.pactl("suspend-sink", SINK, "1")
        assert lost.wait(20), "no MicLost event after the source vanished"
        assert pipeline.scorer.paused
        assert "microphone" in messages[0]
    finally:
        pipeline.stop()
