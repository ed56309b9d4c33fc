"""Audio in: decode any file PyAV reads (one track, one channel or the mix) to the
detector's mono float32 at 16 kHz, and write test WAVs.

Decoding resamples in the decoder's own resampler (libswresample), so a 48 kHz Opus
track never exists at full rate in memory.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from ktvdesk.errors import KtvError, UserMessage
from ktvdesk.models import Channel
from ktvdesk.singing.pitch import SAMPLE_RATE, Samples


class AudioReadError(KtvError):
    pass


def _unreadable(path: Path, why: str) -> AudioReadError:
    return AudioReadError(
        f"cannot read audio from {path}: {why}",
        user_message=UserMessage(f"无法读取音频：{path.name}", f"Cannot read the audio in {path.name}"),
    )


def decode(path: str | Path, *, track: int = 0, channel: Channel | None = None) -> Samples:
    """Audio track `track` (index among audio streams) as mono float32 at SAMPLE_RATE.

    `channel` picks one side of a stereo track (a left/right KTV rip); None mixes down.
    """
    import av

    path = Path(path)
    try:
        container = av.open(str(path))
    except (OSError, av.FFmpegError) as exc:
        raise _unreadable(path, str(exc)) from exc
    with container:
        streams = [s for s in container.streams if s.type == "audio"]
        if track >= len(streams):
            raise _unreadable(path, f"no audio track {track} (it has {len(streams)})")
        stream = streams[track]
        layout = "stereo" if channel is not None else "mono"
        resampler = av.AudioResampler(format="flt", layout=layout, rate=SAMPLE_RATE)
        chunks: list[Samples] = []
        try:
            for frame in container.decode(stream):
                assert isinstance(frame, av.AudioFrame)
                for out in resampler.resample(frame):
                    chunks.append(_samples(out, channel))
            for out in resampler.resample(None):
                chunks.append(_samples(out, channel))
        except av.FFmpegError as exc:
            raise _unreadable(path, str(exc)) from exc
    if not chunks:
        raise _unreadable(path, "no audio samples")
    return np.concatenate(chunks)


def _samples(frame: object, channel: Channel | None) -> Samples:
    data = np.asarray(frame.to_ndarray(), dtype=np.float32)  # type: ignore[attr-defined]
    if channel is None:
        return data.reshape(-1)
    interleaved = data.reshape(-1, 2)
    return np.ascontiguousarray(interleaved[:, 0 if channel is Channel.LEFT else 1])


def write_wav(path: str | Path, audio: Samples, rate: int = SAMPLE_RATE) -> None:
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
