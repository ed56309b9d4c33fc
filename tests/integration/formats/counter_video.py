"""A video that says which frame it is: a white marker band, then the frame number in
binary as black/white bands (most significant first), written with PyAV as MJPEG (every
frame a key frame: seeks land exactly). Read back from any RGB picture of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ktvdesk.playback.vlc_backend import VideoFrames

FPS = 25
FRAME_MS = 1000 // FPS
BITS = 10  # 1023 frames: 40 s at 25 fps
BANDS = BITS + 1
WIDTH, HEIGHT = BANDS * 32, 48


def write_counter_video(path: Path, seconds: float) -> Path:
    import av

    container = av.open(str(path), "w", format="matroska")
    stream = container.add_stream("mjpeg", rate=FPS)
    stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuvj420p"
    stream.options = {"qscale": "2"}
    band = WIDTH // BANDS
    for number in range(int(seconds * FPS)):
        picture = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
        picture[:, :band] = 255  # the marker: a frame of this video is on screen
        for bit in range(BITS):
            if number >> (BITS - 1 - bit) & 1:
                picture[:, (bit + 1) * band : (bit + 2) * band] = 255
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        frame.pts = number
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path


def frame_number(frames: VideoFrames) -> int | None:
    """The number of the frame in `frames` (captured at WIDTH × HEIGHT); None: no frame of
    the counter video (nothing drawn yet, or black)."""
    band = frames.width // BANDS
    y = frames.height // 2

    def lit(index: int) -> bool:
        return sum(frames.pixel(index * band + band // 2, y)) > 3 * 128

    if not lit(0):
        return None
    number = 0
    for bit in range(BITS):
        number = number << 1 | int(lit(bit + 1))
    return number
