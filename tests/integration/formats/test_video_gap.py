"""UltraStar `#VIDEOGAP` applied for real: an UltraStar folder whose video says which frame
it is, scanned, resolved and played by real libVLC into memory (vmem). At every sample the
frame on screen must be the one for the lyric clock's time plus the gap
(`video_gap.video_time_ms`), within a frame interval and a tolerance for the moment the
sample is taken, also after a seek, a pause and resume, a key change and a restart; before
a negative gap has elapsed nothing of the video is shown."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from ktvdesk.catalog.local.provider import LocalLibraryProvider
from ktvdesk.models import MediaSource
from ktvdesk.playback import PlaybackEngine, PlayerState
from ktvdesk.playback.backend import MediaOptions
from ktvdesk.playback.video_gap import video_time_ms
from ktvdesk.playback.vlc_backend import VideoFrames, VlcBackend
from tests.integration.formats.counter_video import (
    BANDS,
    FRAME_MS,
    HEIGHT,
    WIDTH,
    frame_number,
    write_counter_video,
)
from tests.integration.formats.library_tree import write_tone
from tests.integration.formats.test_playback import until

# A sample reads the clock, then the picture: the frame on screen started up to one frame
# interval before; the rest is libVLC's display jitter and the loop's scheduling.
TOLERANCE_MS = FRAME_MS + 60
# In step: this many samples in a row (0.3 s) within the tolerance; the follower is given
# at most SETTLE_S to get there (it slews by at most 10 %), then judged by `in_step`.
STEADY_SAMPLES = 15
SETTLE_S = 1.5

SONG = """#TITLE:Zählwerk {gap}
#ARTIST:Die Testsänger
#MP3:song.wav
#VIDEO:counter.mkv
#VIDEOGAP:{gap}
#BPM:300
#GAP:0
: 0 8 0 eins
: 10 8 2 zwei
E
"""


@pytest.fixture(scope="module")
def counter_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_counter_video(tmp_path_factory.mktemp("video") / "counter.mkv", 30.0)


async def scanned_source(root: Path, cache: Path, counter: Path, gap: str) -> MediaSource:
    folder = root / f"song {gap}"
    folder.mkdir(parents=True)
    (folder / "song.txt").write_text(SONG.format(gap=gap), encoding="utf-8")
    write_tone(folder / "song.wav", 24.0)
    (folder / "counter.mkv").symlink_to(counter)
    provider = LocalLibraryProvider(cache / "lib.db", roots=[root])
    try:
        await provider.scan()
        (song,) = (await provider.search("Zählwerk")).items
        return await provider.resolve_media(song)
    finally:
        await provider.aclose()


async def settle(offset: Callable[[], Awaitable[int | None]]) -> None:
    """Let the song play on while the follower converges: until the picture is steadily in
    step, or SETTLE_S has passed (the samples taken next then tell)."""
    deadline = time.monotonic() + SETTLE_S
    steady = 0
    while steady < STEADY_SAMPLES and time.monotonic() < deadline:
        found = await offset()
        steady = steady + 1 if found is not None and abs(found) <= TOLERANCE_MS else 0


class Player:
    def __init__(self, backend: VlcBackend, engine: PlaybackEngine, frames: VideoFrames, gap_ms: int) -> None:
        self.backend, self.engine, self.frames, self.gap_ms = backend, engine, frames, gap_ms

    async def offset(self) -> int | None:
        """Shown video time minus wanted video time, 20 ms from now (None: no picture, or
        not playing)."""
        await asyncio.sleep(0.02)  # the sampling period
        audio_ms = self.engine.position_ms
        number = frame_number(self.frames)
        if number is None or self.engine.state is not PlayerState.PLAYING:
            return None
        shown_ms = number * FRAME_MS + FRAME_MS // 2  # the middle of the frame's interval
        return shown_ms - video_time_ms(audio_ms, self.gap_ms)

    async def offsets(self, seconds: float) -> list[int]:
        """The offsets sampled every 20 ms while playing."""
        found = [await self.offset() for _sample in range(int(seconds * 50))]
        return [offset for offset in found if offset is not None]

    async def in_step(self, seconds: float) -> list[int]:
        offsets = await self.offsets(seconds)
        assert len(offsets) > seconds * 25, f"too few pictures: {len(offsets)}"
        within = sum(abs(offset) <= TOLERANCE_MS for offset in offsets) / len(offsets)
        assert abs(statistics.median(offsets)) <= TOLERANCE_MS, offsets
        assert within >= 0.8, (within, offsets)
        return offsets

    async def settle(self) -> None:
        await settle(self.offset)


@pytest.fixture
async def player(
    tmp_path: Path, counter_video: Path
) -> AsyncIterator[Callable[[str], asyncio.Future[Player]]]:
    made: list[Player] = []

    async def make(gap: str) -> Player:
        source = await scanned_source(tmp_path / "songs", tmp_path, counter_video, gap)
        backend = VlcBackend(aout="dummy", video=True)
        frames = backend.capture_video(WIDTH, HEIGHT)
        engine = PlaybackEngine(backend)
        made.append(Player(backend, engine, frames, source.video_gap_ms))
        engine.load(source)
        return made[-1]

    yield make  # type: ignore[misc]
    for made_player in made:
        await made_player.engine.aclose()
        made_player.backend.close()


async def test_positive_gap_skips_the_start_of_the_video_and_follows_the_song(
    player: Callable[[str], asyncio.Future[Player]],
) -> None:
    p = await player("1,5")  # a decimal comma, as many files have
    assert p.gap_ms == 1500
    await until(lambda: p.engine.position_ms >= 500 and frame_number(p.frames) is not None)
    await p.settle()
    await p.in_step(1.0)

    p.engine.seek(8000)
    await until(lambda: p.engine.position_ms >= 8200)
    await p.settle()
    await p.in_step(1.0)

    p.engine.pause()
    await until(lambda: p.engine.state is PlayerState.PAUSED)
    await asyncio.sleep(0.3)  # the last picture libVLC had queued is shown
    paused_at = frame_number(p.frames)
    await asyncio.sleep(0.8)
    assert frame_number(p.frames) == paused_at  # the video holds while the song does
    p.engine.resume()
    await until(lambda: p.engine.state is PlayerState.PLAYING)
    await p.settle()
    await p.in_step(1.0)

    p.engine.set_key(2)  # rebuilds the audio filters: the video must not notice
    await p.settle()
    await p.in_step(1.0)

    p.engine.set_tempo(1.2)  # the song runs faster: so does its video
    await p.settle()
    await p.in_step(1.0)

    p.engine.restart()  # 重唱: from the top, where the video is at the gap again
    await until(lambda: p.engine.position_ms < 1000)
    await p.settle()
    await p.in_step(1.0)


async def test_negative_gap_shows_black_until_the_video_begins(
    player: Callable[[str], asyncio.Future[Player]],
) -> None:
    p = await player("-2")
    assert p.gap_ms == -2000
    await until(lambda: p.engine.position_ms >= 300)
    while p.engine.position_ms < 1700:  # the video's 0 s is at 2 s of the song
        assert frame_number(p.frames) is None, p.engine.position_ms
        await asyncio.sleep(0.05)
    await until(lambda: p.engine.position_ms >= 2500)
    await p.settle()
    await p.in_step(1.0)

    p.engine.seek(500)  # back before the video: black again, then it starts over
    await until(lambda: frame_number(p.frames) is None)
    assert p.engine.position_ms < 1900
    await until(lambda: p.engine.position_ms >= 2200 and frame_number(p.frames) is not None)
    await p.settle()
    await p.in_step(1.0)

    p.engine.stop()
    follower = p.backend.picture_follower()
    assert follower is not None
    await until(lambda: not follower.player.is_playing())


async def test_no_gap_keeps_the_single_player_path(
    player: Callable[[str], asyncio.Future[Player]],
) -> None:
    p = await player("0")
    await until(lambda: p.engine.position_ms >= 1500 and frame_number(p.frames) is not None)
    assert p.backend.picture_follower() is None  # the video is the audio's input slave
    offsets = await p.offsets(1.0)
    assert offsets and abs(statistics.median(offsets)) <= TOLERANCE_MS, offsets


async def test_the_video_goes_to_the_window_the_single_player_path_uses(
    tmp_path: Path, counter_video: Path
) -> None:
    """The stage's native window gets the follower's picture; the audio's player draws none.
    (Nothing is played: the handle is only handed over, as the stage does before a song.)"""
    source = await scanned_source(tmp_path / "songs", tmp_path, counter_video, "0,5")
    backend = VlcBackend(aout="dummy", video=True)
    try:
        backend.set_window(0x5A5A)
        backend.open(
            source.url,
            MediaOptions(slave_video_url=source.video_url, video_gap_ms=source.video_gap_ms),
        )
        follower = backend.picture_follower()
        assert follower is not None
        assert follower.player.get_xwindow() == 0x5A5A
        backend.set_window(0x6B6B)  # the stage window was re-created
        assert follower.player.get_xwindow() == 0x6B6B
    finally:
        backend.close()


# ---- a real native window: the X server's root window, read back with XGetImage ------


class _XImageFuncs(ctypes.Structure):
    _fields_ = [
        ("create_image", ctypes.c_void_p),
        ("destroy_image", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)),
    ]


class _XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.c_void_p),
        ("ints", ctypes.c_int * 7),
        ("masks", ctypes.c_ulong * 3),
        ("obdata", ctypes.c_void_p),
        ("f", _XImageFuncs),
    ]


class XScreen:
    """A private X server (Xvfb) as big as the counter video, and its pixels read back."""

    def __init__(self) -> None:
        if shutil.which("Xvfb") is None:
            pytest.fail("Xvfb is missing (make installs xvfb)")
        read, write = os.pipe()
        self.server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as announced:
            self.display = f":{announced.readline().strip()}"  # written once the server is up
        x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XGetImage.restype = ctypes.POINTER(_XImage)
        x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int]
        x11.XGetImage.argtypes += [ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        x11.XGetPixel.restype = ctypes.c_ulong
        x11.XGetPixel.argtypes = [ctypes.POINTER(_XImage), ctypes.c_int, ctypes.c_int]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x11 = x11
        self._connection = x11.XOpenDisplay(self.display.encode())
        assert self._connection, f"cannot open {self.display}"
        self.root = int(x11.XDefaultRootWindow(self._connection))

    def frame_number(self) -> int | None:
        image = self._x11.XGetImage(self._connection, self.root, 0, 0, WIDTH, HEIGHT, 0xFFFFFFFF, 2)
        try:
            picture = VideoFrames(WIDTH, HEIGHT)
            for x in range(WIDTH // BANDS // 2, WIDTH, WIDTH // BANDS):  # the band centres only
                pixel = self._x11.XGetPixel(image, x, HEIGHT // 2)
                at = (HEIGHT // 2 * WIDTH + x) * 4
                picture.buffer[at : at + 3] = [pixel & 0xFF, pixel >> 8 & 0xFF, pixel >> 16 & 0xFF]
            return frame_number(picture)
        finally:
            image.contents.f.destroy_image(ctypes.addressof(image.contents))

    def close(self) -> None:
        self._x11.XCloseDisplay(self._connection)
        self.server.terminate()
        self.server.wait(10)


@pytest.fixture
def x_screen() -> Iterator[XScreen]:
    screen = XScreen()
    yield screen
    screen.close()


async def test_the_gap_applies_in_a_native_window_too(
    tmp_path: Path, counter_video: Path, x_screen: XScreen
) -> None:
    """What the stage shows: libVLC's X11 output in a native window (here the root window
    of a private X server, read back pixel by pixel), in step as in memory."""
    source = await scanned_source(tmp_path / "songs", tmp_path, counter_video, "1,5")
    backend = VlcBackend(aout="dummy", video=True, extra_args=(f"--x11-display={x_screen.display}",))
    engine = PlaybackEngine(backend)

    async def offset() -> int | None:
        await asyncio.sleep(0.02)  # the sampling period
        audio_ms, number = engine.position_ms, x_screen.frame_number()
        if number is None:
            return None
        return number * FRAME_MS + FRAME_MS // 2 - video_time_ms(audio_ms, source.video_gap_ms)

    try:
        backend.set_window(x_screen.root)
        engine.load(source)
        await until(lambda: engine.position_ms >= 500 and x_screen.frame_number() is not None)
        await settle(offset)
        found = [await offset() for _sample in range(50)]
        offsets = [o for o in found if o is not None]
        assert len(offsets) > 25 and abs(statistics.median(offsets)) <= TOLERANCE_MS, offsets
    finally:
        await engine.aclose()
        backend.close()
