"""Real media files for the library tests, written with PyAV (bundled ffmpeg) and tagged with mutagen."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import av
import pytest

from ktvdesk.catalog.local import LibraryIndex

_CODECS = {
    ".mkv": ("matroska", "libopus", 48000),
    ".mka": ("matroska", "libopus", 48000),
    ".ogg": ("ogg", "libopus", 48000),
    ".opus": ("ogg", "libopus", 48000),
    ".flac": ("flac", "flac", 44100),
    ".wav": ("wav", "pcm_s16le", 44100),
    ".m4a": ("mp4", "aac", 44100),
    ".mp3": ("mp3", "libmp3lame", 44100),
}


def _tone(rate: int, samples: int, channels: int, freq: float) -> bytes:
    frames = bytearray()
    for i in range(samples):
        value = int(8000 * math.sin(2 * math.pi * freq * i / rate))
        frames += struct.pack("<h", value) * channels
    return bytes(frames)


def write_media(
    path: Path,
    *,
    tracks: int = 1,
    channels: int = 1,
    seconds: float = 0.3,
    metadata: dict[str, str] | None = None,
    track_titles: tuple[str, ...] = (),
) -> Path:
    """A short tone file in the format its extension names, with container metadata."""
    fmt, codec, rate = _CODECS[path.suffix.lower()]
    path.parent.mkdir(parents=True, exist_ok=True)
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        streams = []
        for index in range(tracks):
            stream = out.add_stream(codec, rate=rate, layout=layout)
            if index < len(track_titles):
                stream.metadata["title"] = track_titles[index]
            streams.append(stream)
        total = int(rate * seconds)
        chunk = 960 if "opus" in codec else 1152
        for index, stream in enumerate(streams):
            pcm = _tone(rate, total, channels, 440.0 + 110 * index)
            for start in range(0, total, chunk):
                count = min(chunk, total - start)
                frame = av.AudioFrame(format="s16", layout=layout, samples=count)
                frame.planes[0].update(pcm[start * 2 * channels : (start + count) * 2 * channels])
                frame.sample_rate = rate
                frame.pts = start
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode(None):
                out.mux(packet)
    return path


@pytest.fixture
def index(tmp_path: Path):
    with LibraryIndex(tmp_path / "db" / "library.db") as library:
        yield library
