"""libVLC behind the `PlayerBackend` contract: the only module that imports `vlc`.

Audio filters. libVLC 3 has no public API for audio filters, and `--audio-filter` on the
instance is ignored: each media player creates its own `audio-filter` variable (without
inheriting), and the equalizer API is the only thing that ever writes it. The audio
output also lives longer than one media and copies the player's variables when it is
created. So filters are set the way VLC's own equalizer code does it, through
libvlccore's `var_SetChecked`: on the player (for audio outputs created later) and on
the live audio output (where a change rebuilds the filter chain at once, without
reloading the media). Verified on rendered audio by tests/integration/playback.

libvlccore's ABI is not public: `var_SetChecked` and the `vlc_value_t`, `vlc_list_t` and
`vlc_object_t` layouts read below are VLC 3.0's (4.0 removed `vlc_list_children`). A wrong
guess is a crash, not an error, so they are used only on a build whose
`libvlc_get_version()` is in `VERIFIED_VLC_SERIES`; elsewhere key change and vocal
reduction are turned off with a message, and playback still works.

Rendering to a file uses the memory output (amem) and writes the WAV here rather than
libVLC's `afile` output: afile applies no volume (fades and mute would be missing) and
truncates its file whenever the output restarts (every filter or channel change).
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import ctypes.util
import logging
import os
import re
import sys
import threading
import wave
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ktvdesk.errors import PlaybackError, UserMessage, VlcUnavailableError
from ktvdesk.models import Channel
from ktvdesk.playback.backend import AudioFilters, BackendEvent, EventSink, FadeEnvelope, MediaOptions
from ktvdesk.playback.video_gap import PictureFollower

log = logging.getLogger(__name__)

VLC_MISSING = UserMessage(
    "无法使用 VLC 播放组件。请安装 VLC 媒体播放器（3.0 或更新版本）后重新启动 ktvdesk。",
    "VLC could not be used. Please install VLC media player (3.0 or newer) and restart ktvdesk.",
)

VLC_UNVERIFIED = UserMessage(
    "此版本的 VLC（{version}）未经 ktvdesk 验证：为避免崩溃，升降调和消除原唱已停用。请安装 VLC 3.0。",
    "This VLC build ({version}) has not been verified with ktvdesk: key change and vocal reduction "
    "are turned off so that it cannot crash. Please install VLC 3.0.",
)

# (major, minor) series whose libvlccore internals match what _VarAccess assumes.
VERIFIED_VLC_SERIES = frozenset({(3, 0)})

# libvlccore variable types (vlc_variables.h, VLC 3).
_VAR_INTEGER = 0x0030
_VAR_STRING = 0x0040
_VAR_FLOAT = 0x0050
_STEREO_MODE = {None: 1, Channel.LEFT: 3, Channel.RIGHT: 4}  # AOUT_VAR_CHAN_*

RENDER_RATE = 48_000
RENDER_CHANNELS = 2


def _import_vlc() -> Any:
    """python-vlc, or an exception saying why not (it may even call sys.exit on import)."""
    try:
        import vlc
    except SystemExit as exc:  # python-vlc exits when PYTHON_VLC_LIB_PATH cannot be loaded
        raise ImportError(f"python-vlc could not load libVLC (exit {exc.code})") from None
    return vlc


def vlccore_refusal(version: str) -> str | None:
    """Why libvlccore's internals must not be touched on this build; None when they may."""
    match = re.match(r"\s*(\d+)\.(\d+)\.(\d+)", version)
    if match is None:
        return f"unrecognised libVLC version {version!r}"
    if (int(match[1]), int(match[2])) not in VERIFIED_VLC_SERIES:
        return f"libVLC {version} is not a verified build (3.0.x)"
    return None


def _version_of(vlc: Any) -> str:
    return bytes(vlc.libvlc_get_version()).decode("utf-8", "replace")


def probe_vlc(*, start: bool = True) -> tuple[bool, str]:
    """Is libVLC usable here? Never raises; the reason is for logs and the about box.

    `start` also starts an instance, which proves the plugins load but costs a libVLC
    start-up (~150 ms of CPU). The app passes False: its backend starts the one instance it
    plays with right after, and a failure there is reported just the same.
    """
    try:
        vlc = _import_vlc()
        if start:
            instance = vlc.Instance("--quiet", "--no-video", "--aout=dummy")
            if instance is None:
                return False, "libVLC refused to start (bad option or broken plugins)"
            instance.release()
        version = _version_of(vlc)
    except Exception as exc:  # NameError (no libvlc_new), OSError, ImportError...
        return False, f"libVLC is not available: {type(exc).__name__}: {exc}"
    refusal = vlccore_refusal(version)
    if refusal is not None:
        filters = f"audio filters off: {refusal}"
    else:
        filters = "audio filters available" if _VarAccess.load(vlc) else "audio filters unavailable"
    return True, f"libVLC {version} ({filters})"


class _Value(ctypes.Union):
    _fields_ = (
        ("i_int", ctypes.c_int64),
        ("b_bool", ctypes.c_bool),
        ("f_float", ctypes.c_float),
        ("psz_string", ctypes.c_char_p),
        ("p_address", ctypes.c_void_p),
    )


class _List(ctypes.Structure):
    _fields_ = (("i_type", ctypes.c_int), ("i_count", ctypes.c_int), ("p_values", ctypes.POINTER(_Value)))


class _VarAccess:
    """libvlccore's object variables, for what libVLC 3's public API cannot reach."""

    _instance: _VarAccess | None = None
    _tried = False

    def __init__(self, core: ctypes.CDLL) -> None:
        core.var_Create.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int)
        core.var_Create.restype = ctypes.c_int
        core.var_SetChecked.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, _Value)
        core.var_SetChecked.restype = ctypes.c_int
        core.vlc_list_children.argtypes = (ctypes.c_void_p,)
        core.vlc_list_children.restype = ctypes.POINTER(_List)
        core.vlc_list_release.argtypes = (ctypes.POINTER(_List),)
        core.vlc_list_release.restype = None
        self._core = core

    @classmethod
    def load(cls, vlc: Any) -> _VarAccess | None:
        """libvlccore, or None when it is absent. Call only on a verified build."""
        if cls._tried:
            return cls._instance
        cls._tried = True
        libvlc_dir = os.path.dirname(getattr(vlc.dll, "_name", "") or "")
        names = {
            "win32": ("libvlccore.dll",),
            "darwin": ("libvlccore.dylib", "libvlccore.9.dylib"),
        }.get(sys.platform, ("libvlccore.so.9", "libvlccore.so"))
        for name in names:
            for candidate in (os.path.join(libvlc_dir, name), name) if libvlc_dir else (name,):
                try:
                    cls._instance = cls(ctypes.CDLL(candidate))
                    return cls._instance
                except (OSError, AttributeError):
                    continue
        log.warning("libvlccore not found: key change, vocal reduction and normalisation are unavailable")
        return None

    @contextlib.contextmanager
    def audio_outputs(self, player: int) -> Iterator[list[int]]:
        """The player's live audio outputs, held (not destroyed) while in the block."""
        children = self._core.vlc_list_children(player)
        try:
            found: list[int] = []
            for index in range(children.contents.i_count):
                address = children.contents.p_values[index].p_address
                if address and ctypes.cast(address, ctypes.POINTER(ctypes.c_char_p))[0] == b"audio output":
                    found.append(address)
            yield found
        finally:
            self._core.vlc_list_release(children)

    def set(self, obj: int, name: str, value: str | float | int, *, create: bool = False) -> bool:
        if isinstance(value, str):
            kind, cvalue = _VAR_STRING, _Value(psz_string=value.encode())
        elif isinstance(value, float):
            kind, cvalue = _VAR_FLOAT, _Value(f_float=value)
        else:
            kind, cvalue = _VAR_INTEGER, _Value(i_int=value)
        if create:
            self._core.var_Create(obj, name.encode(), kind)
        return bool(self._core.var_SetChecked(obj, name.encode(), kind, cvalue) == 0)


class _WavRecorder:
    """Receives the mixed PCM from libVLC's memory output and writes what is heard.

    libVLC hands audio to the memory output as soon as it is decoded, up to a caching
    period before it would be heard, and the memory output ignores volume set before it
    starts. So this recorder behaves like a sound card with its own volume control:
    volume, mute and fades are applied here, per sample, at the media time each sample
    belongs to, and libVLC's own volume stays at 100 %.
    """

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._wav: wave.Wave_write | None = wave.open(str(path), "wb")  # noqa: SIM115 - closed in close()
        self._wav.setnchannels(RENDER_CHANNELS)
        self._wav.setsampwidth(2)
        self._wav.setframerate(RENDER_RATE)
        self.envelope: FadeEnvelope | None = None
        self.rate = 1.0
        self.volume_gain = 1.0
        self.muted = False
        self._base_ms = 0.0
        self._frames = 0

    def restart_at(self, media_ms: int) -> None:
        with self._lock:
            self._base_ms = float(media_ms)
            self._frames = 0

    def write(self, data: bytes) -> None:
        with self._lock:
            if self._wav is None:
                return
            frames = len(data) // (2 * RENDER_CHANNELS)
            data = self._scaled(data, frames)
            self._frames += frames
            self._wav.writeframesraw(data)

    def _scaled(self, data: bytes, frames: int) -> bytes:
        volume = 0.0 if self.muted else self.volume_gain
        envelope = self.envelope
        ms_per_frame = 1000 * self.rate / RENDER_RATE
        first = self._base_ms + self._frames * ms_per_frame
        last = first + frames * ms_per_frame
        if volume == 1.0 and (envelope is None or min(envelope.gain(first), envelope.gain(last)) >= 1.0):
            return data
        samples = array.array("h", data)
        if envelope is None:
            for index in range(len(samples)):
                samples[index] = int(samples[index] * volume)
        else:
            for index in range(len(samples)):
                gain = volume * envelope.gain(first + (index // RENDER_CHANNELS) * ms_per_frame)
                samples[index] = int(samples[index] * gain)
        return samples.tobytes()

    def close(self) -> None:
        with self._lock:
            if self._wav is not None:
                self._wav.close()
                self._wav = None


class VideoFrames:
    """The last picture libVLC drew into memory (RV32: B, G, R, X per pixel)."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.buffer = (ctypes.c_ubyte * (width * height * 4))()
        self.count = 0
        self._drawn = threading.Event()

    def shown(self) -> None:  # libVLC's video thread
        self.count += 1
        self._drawn.set()

    def wait(self, timeout_s: float) -> bool:
        return self._drawn.wait(timeout_s)

    def clear(self) -> None:
        """Black, as a window shows when its video stops."""
        ctypes.memset(self.buffer, 0, len(self.buffer))
        self.count += 1

    def rgb32(self) -> bytes:
        """A copy of the picture (libVLC may be drawing the next one meanwhile)."""
        return bytes(self.buffer)

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        at = (y * self.width + x) * 4
        return self.buffer[at + 2], self.buffer[at + 1], self.buffer[at]


class VlcBackend:
    """One libVLC instance and media player.

    `audio_out_file` renders the audio to a WAV instead of the sound card; `aout`
    picks an output module ("dummy" for headless tests); `video` False disables video
    decoding entirely (audio-only), otherwise video goes to `set_window`'s handle.
    """

    def __init__(
        self,
        *,
        audio_out_file: Path | None = None,
        aout: str | None = None,
        video: bool = False,
        extra_args: Sequence[str] = (),
        vlc_version: str | None = None,
    ) -> None:
        """`vlc_version` stands in for `libvlc_get_version()` (tests simulate other builds)."""
        try:
            self._vlc = _import_vlc()
            args = ["--quiet", "--no-stats", *(() if video else ("--no-video",))]
            if aout:
                args.append(f"--aout={aout}")
            args.extend(extra_args)
            instance, self.midi_problem = _instance_with_soundfont(self._vlc, args)
        except Exception as exc:
            raise VlcUnavailableError(
                f"libVLC is not available: {type(exc).__name__}: {exc}", user_message=VLC_MISSING
            ) from exc
        if instance is None:
            raise VlcUnavailableError(
                f"libVLC refused its options {args!r}", user_message=VLC_MISSING, code="bad_option"
            )
        self._instance = instance
        self._closed = False
        self._player = instance.media_player_new()
        self._media: Any = None
        self._sink: EventSink | None = None
        version = vlc_version if vlc_version is not None else _version_of(self._vlc)
        refusal = vlccore_refusal(version)
        self._no_filters = VLC_MISSING
        if refusal is None:
            self._vars = _VarAccess.load(self._vlc)
        else:
            log.warning("%s: key change and vocal reduction are off", refusal)
            self._vars = None
            self._no_filters = UserMessage(
                VLC_UNVERIFIED.zh.format(version=version), VLC_UNVERIFIED.en.format(version=version)
            )
        self._filters = AudioFilters()
        self._recorder: _WavRecorder | None = None
        self._callbacks: list[Any] = []  # ctypes callbacks must outlive libVLC's use of them
        self._video = video
        self._window: int | None = None
        self._captured = False  # capture_video: every picture goes to memory
        self._graphics: VideoFrames | None = None
        self._capture: VideoFrames | None = None
        self._follower: PictureFollower[Any] | None = None
        self._tempo = 1.0
        if audio_out_file is not None:
            self._start_recording(audio_out_file)
        self._attach_events()

    # ---- events --------------------------------------------------------------------

    def set_event_sink(self, sink: EventSink) -> None:
        self._sink = sink

    def _attach_events(self) -> None:
        et = self._vlc.EventType
        table: dict[Any, Callable[[Any], tuple[BackendEvent, int]]] = {
            et.MediaPlayerOpening: lambda e: (BackendEvent.OPENING, 0),
            et.MediaPlayerBuffering: lambda e: (BackendEvent.BUFFERING, int(e.u.new_cache)),
            et.MediaPlayerPlaying: lambda e: (BackendEvent.PLAYING, 0),
            et.MediaPlayerPaused: lambda e: (BackendEvent.PAUSED, 0),
            et.MediaPlayerStopped: lambda e: (BackendEvent.STOPPED, 0),
            et.MediaPlayerEndReached: lambda e: (BackendEvent.END, 0),
            et.MediaPlayerEncounteredError: lambda e: (BackendEvent.ERROR, 0),
            et.MediaPlayerTimeChanged: lambda e: (BackendEvent.TIME, int(e.u.new_time)),
            et.MediaPlayerLengthChanged: lambda e: (BackendEvent.LENGTH, int(e.u.new_length)),
        }
        manager = self._player.event_manager()
        for event_type, convert in table.items():
            manager.event_attach(event_type, self._forward, convert)

    def _forward(self, event: Any, convert: Callable[[Any], tuple[BackendEvent, int]]) -> None:
        # libVLC thread: never call back into libVLC here, only hand the event over.
        sink = self._sink
        if sink is not None:
            kind, value = convert(event)
            sink(kind, value)

    # ---- media ---------------------------------------------------------------------

    def open(self, url: str, options: MediaOptions) -> None:
        if self.midi_problem is not None and url.lower().endswith(MIDI_EXTENSIONS):
            problem = self.midi_problem
            raise PlaybackError(
                f"cannot play {url}: {problem}",
                user_message=UserMessage(
                    MIDI_UNAVAILABLE.zh.format(problem=problem), MIDI_UNAVAILABLE.en.format(problem=problem)
                ),
                code="no_midi",
            )
        if url.lower().endswith(MIDI_EXTENSIONS):
            _initialise_instpatch()
        media_options = [
            f":start-time={options.start_ms / 1000:.3f}",
            *((f":stop-time={options.stop_ms / 1000:.3f}",) if options.stop_ms is not None else ()),
            *((f":http-user-agent={options.user_agent}",) if options.user_agent else ()),
            *((f":network-caching={options.network_caching_ms}",) if options.network_caching_ms else ()),
            *((f":file-caching={options.file_caching_ms}",) if options.file_caching_ms else ()),
            *(
                (f":audio-track={options.audio_track_index}",)
                if options.audio_track_index is not None
                else ()
            ),
        ]
        if self._recorder is not None:
            self._recorder.restart_at(options.start_ms)
        media = self._instance.media_new(url, *media_options)
        if options.slave_audio_url:
            media.slaves_add(self._vlc.MediaSlaveType.audio, 4, _as_uri(options.slave_audio_url))
        self._drop_follower()
        if self._follows_picture(options):
            assert options.slave_video_url is not None
            media.add_option(":no-video")  # the picture is the follower's alone
            self._follower = self._make_follower(options.slave_video_url, options.video_gap_ms)
        elif options.slave_video_url:
            # libVLC 3 adds only audio and subtitle slaves through its API; `:input-slave`
            # takes any input. CD+G verified both ways round: the audio stays the master
            # input so the clock and the length are the song's.
            media.add_option(f":input-slave={_as_uri(options.slave_video_url)}")
        self._route_picture(options.slave_video_url)
        self._player.set_media(media)
        if self._media is not None:
            self._media.release()
        self._media = media

    def _route_picture(self, picture_url: str | None) -> None:
        """CD+G graphics to memory at their own size, every other picture to the window.

        A window would get the picture scaled by the video output, smoothed (blurred
        glyph edges); in memory the views scale it themselves with nearest-neighbour
        (`ui/graphics_lyrics.py`), and both the desktop lyric area and the stage show it.
        libVLC picks the output when the media starts, so switching per song is safe.
        """
        if not self._video or self._captured:
            return
        if picture_url is not None and picture_url.lower().endswith(".cdg"):
            if self._graphics is None:
                self._graphics = self._frames_into_memory(*CDG_PICTURE)
                # libVLC takes CD+G pictures for interlaced and its automatic deinterlacer
                # blends lines into colours the song never had: off for graphics.
                self._vlc.libvlc_video_set_deinterlace(self._player, None)
        elif self._graphics is not None:
            self._graphics = None
            if self._vars is not None:  # the public API cannot set "automatic" (-1) again
                self._vars.set(self._player_address(), "deinterlace", -1)
            self.set_window(self._window)  # back to the stage's window

    def graphics_frames(self) -> VideoFrames | None:
        """The CD+G picture of the song that is on, unscaled; None for other songs."""
        return self._graphics

    # ---- a video at a gap from its audio (UltraStar #VIDEOGAP) ----------------------

    def _follows_picture(self, options: MediaOptions) -> bool:
        """A gap the slave path cannot apply: the video gets a media player of its own."""
        url = options.slave_video_url
        return bool(self._video and url and options.video_gap_ms and not url.lower().endswith(".cdg"))

    def _make_follower(self, url: str, gap_ms: int) -> PictureFollower[Any]:
        player = self._instance.media_player_new()
        if self._capture is not None:
            self._draw_into(player, self._capture)
        else:
            self._show_in_window(player, self._window or 0)

        def start(video_ms: int) -> None:
            media = self._instance.media_new(
                _as_uri(url),
                ":no-audio",
                f":start-time={video_ms / 1000:.3f}",
                f":file-caching={_VIDEO_CACHING_MS}",
            )
            player.set_media(media)
            media.release()  # the player holds its own reference
            player.play()

        capture = self._capture
        follower: PictureFollower[Any] = PictureFollower(
            player, gap_ms, start, blank=capture.clear if capture is not None else lambda: None
        )
        follower.set_tempo(self._tempo)

        def published(event: Any) -> None:  # libVLC's thread: only note the value
            follower.published(int(event.u.new_time))

        self._callbacks.append(published)
        player.event_manager().event_attach(self._vlc.EventType.MediaPlayerTimeChanged, published)
        return follower

    def _drop_follower(self) -> None:
        follower, self._follower = self._follower, None
        if follower is not None:
            follower.player.stop()
            follower.player.release()

    def sync_picture(self, media_ms: int) -> None:
        """The audio is at `media_ms` (the engine's lyric clock) and playing: keep the
        video of a song with a video gap in step. Nothing to do for other songs."""
        if self._follower is not None:
            self._follower.follow(media_ms)

    def picture_follower(self) -> PictureFollower[Any] | None:
        """The video's own player while a song with a video gap is on (diagnostics)."""
        return self._follower

    # ---- transport -----------------------------------------------------------------

    def play(self) -> None:
        if self._player.play() != 0:
            log.warning("libVLC refused to play")

    def pause(self) -> None:
        self._player.set_pause(1)
        if self._follower is not None:
            self._follower.pause()

    def resume(self) -> None:
        self._player.set_pause(0)
        if self._follower is not None:
            self._follower.resume()

    def stop(self) -> None:
        self._player.stop()
        if self._follower is not None:
            self._follower.stop()

    def seek(self, ms: int) -> None:
        if self._recorder is not None:
            self._recorder.restart_at(ms)
        self._player.set_time(max(0, int(ms)))
        if self._follower is not None:
            self._follower.seek(max(0, int(ms)))

    def get_time(self) -> int:
        return int(self._player.get_time())

    def is_playing(self) -> bool:
        return bool(self._player.is_playing())

    def get_length(self) -> int:
        return int(self._player.get_length())

    # ---- audio ---------------------------------------------------------------------

    def set_volume(self, percent: int) -> None:
        percent = max(0, min(200, int(percent)))
        if self._recorder is not None:
            self._recorder.volume_gain = (percent / 100) ** 3  # libVLC's volume curve
            return
        self._player.audio_set_volume(percent)

    def set_fade(self, envelope: FadeEnvelope | None) -> bool:
        if self._recorder is None:
            return False
        self._recorder.envelope = envelope
        return True

    def set_mute(self, muted: bool) -> None:
        if self._recorder is not None:
            self._recorder.muted = muted
            return
        self._player.audio_set_mute(muted)

    def set_rate(self, rate: float) -> None:
        # libVLC keeps the pitch on rate changes (its scaletempo "audio-time-stretch").
        self._player.set_rate(float(rate))
        self._tempo = float(rate)
        if self._follower is not None:
            self._follower.set_tempo(self._tempo)
        if self._recorder is not None:
            self._recorder.rate = float(rate)

    def audio_track_ids(self) -> list[int]:
        described = self._player.audio_get_track_description() or []
        return [int(track_id) for track_id, _name in described if int(track_id) >= 0]

    def set_audio_track(self, track_id: int) -> None:
        self._player.audio_set_track(track_id)

    def set_stereo_channel(self, channel: Channel | None) -> None:
        """Play one channel of a stereo source on both speakers (None: normal stereo)."""
        mode = _STEREO_MODE[channel]
        if self._vars is None:
            self._player.audio_set_channel(mode)
            return
        self._set_everywhere("stereo-mode", mode)

    def set_audio_filters(self, filters: AudioFilters) -> None:
        if filters == self._filters:
            return
        if self._vars is None:
            wanted, self._filters = filters.chain(), filters
            if wanted:
                raise VlcUnavailableError(
                    f"audio filters {wanted} need libvlccore on a verified libVLC build",
                    user_message=self._no_filters,
                    code="no_filters",
                )
            return
        chain = ":".join(filters.chain())
        rebuild = filters.pitch_semitones != self._filters.pitch_semitones and bool(filters.pitch_semitones)
        self._filters = filters
        # The pitch filter reads its shift when it is built; the value must sit on the
        # player too, because the filter's own variable dies with the filter.
        self._set_everywhere("pitch-shift", float(filters.pitch_semitones), create_on_player=True)
        if rebuild:
            self._set_everywhere("audio-filter", "")
        self._set_everywhere("audio-filter", chain)

    def _set_everywhere(self, name: str, value: str | float | int, *, create_on_player: bool = True) -> None:
        assert self._vars is not None
        player = self._player_address()
        self._vars.set(player, name, value, create=create_on_player)
        with self._vars.audio_outputs(player) as outputs:
            for output in outputs:
                self._vars.set(output, name, value, create=True)

    def _player_address(self) -> int:
        pointer = self._player._as_parameter_
        if isinstance(pointer, ctypes.c_void_p):
            return int(pointer.value or 0)
        return int(pointer)

    def _start_recording(self, path: Path) -> None:
        recorder = _WavRecorder(path)

        @self._vlc.CallbackDecorators.AudioPlayCb  # type: ignore[untyped-decorator]
        def on_play(_opaque: Any, samples: int, count: int, _pts: int) -> None:
            recorder.write(ctypes.string_at(samples, count * 2 * RENDER_CHANNELS))

        self._callbacks.append(on_play)
        self._player.audio_set_callbacks(on_play, None, None, None, None, None)
        self._player.audio_set_format("S16N", RENDER_RATE, RENDER_CHANNELS)
        self._recorder = recorder

    # ---- video ---------------------------------------------------------------------

    def capture_video(self, width: int, height: int) -> VideoFrames:
        """Decode the picture into memory instead of a window, scaled to `width` × `height`
        (snapshots of the CD+G lyric area in tests; headless diagnostics). Before `play()`."""
        self._captured = True
        self._capture = self._frames_into_memory(width, height)
        return self._capture

    def _frames_into_memory(self, width: int, height: int) -> VideoFrames:
        frames = VideoFrames(width, height)
        self._draw_into(self._player, frames)
        return frames

    def _draw_into(self, player: Any, frames: VideoFrames) -> None:
        vlc = self._vlc
        width, height = frames.width, frames.height

        def lock(_opaque: Any, planes: Any) -> None:
            planes[0] = ctypes.cast(frames.buffer, ctypes.c_void_p)

        def display(_opaque: Any, _picture: Any) -> None:
            frames.shown()

        callbacks = (
            vlc.CallbackDecorators.VideoLockCb(lock),
            vlc.CallbackDecorators.VideoUnlockCb(lambda *_: None),
            vlc.CallbackDecorators.VideoDisplayCb(display),
        )
        self._callbacks.extend(callbacks)
        player.video_set_callbacks(*callbacks, None)
        player.video_set_format("RV32", width, height, width * 4)

    def set_window(self, handle: int | None) -> None:
        """Render video into a native window (X11 id, HWND or NSView); None: libVLC's own."""
        value = int(handle) if handle else 0
        self._window = value or None
        if self._follower is not None and self._capture is None:
            self._show_in_window(self._follower.player, value)
        if self._graphics is not None:
            return  # a CD+G song is on: the window gets the picture from the next song on
        self._show_in_window(self._player, value)

    @staticmethod
    def _show_in_window(player: Any, handle: int) -> None:
        if sys.platform.startswith("win"):
            player.set_hwnd(handle)
        elif sys.platform == "darwin":
            player.set_nsobject(handle)
        else:
            player.set_xwindow(handle)

    # ---- audio device --------------------------------------------------------------

    def audio_devices(self) -> list[tuple[str, str]]:
        """(device id, description) of the audio output in use (PulseAudio sinks, ALSA
        devices); empty where the output offers no choice (dummy, a WAV file)."""
        head = self._player.audio_output_device_enum()
        devices: list[tuple[str, str]] = []
        node = head
        while node:
            device = node.contents
            ident = (device.device or b"").decode("utf-8", "replace")
            if ident:
                devices.append((ident, (device.description or b"").decode("utf-8", "replace") or ident))
            node = device.next
        if head:
            self._vlc.libvlc_audio_output_device_list_release(head)
        return devices

    def set_audio_device(self, device_id: str) -> None:
        """Play through this device (an id of `audio_devices`) from now on."""
        self._player.audio_output_device_set(None, device_id)

    # ---- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        """Release libVLC; later calls on this backend do nothing (never a use-after-free)."""
        if self._closed:
            return
        self._closed = True
        self._sink = None
        self._drop_follower()
        player, self._player = self._player, _ClosedPlayer()
        player.stop()
        player.release()
        if self._media is not None:
            self._media.release()
            self._media = None
        self._instance.release()
        if self._recorder is not None:
            self._recorder.close()


class _ClosedPlayer:
    """Stands in for a released media player: every call is a harmless no-op."""

    def __getattr__(self, name: str) -> Callable[..., int]:
        return lambda *_args, **_kwargs: 0


MIDI_EXTENSIONS = (".kar", ".mid", ".midi")
_VIDEO_CACHING_MS = 300  # the follower's video file: short, so a seek shows soon
# libVLC's CD+G decoder draws the 288 × 192 area inside the 300 × 216 screen's border.
CDG_PICTURE = (288, 192)
# General MIDI soundfonts as Debian ships them (timgm6mb-soundfont, fluid-soundfont-gm).
SOUNDFONTS = (
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
)
MIDI_UNAVAILABLE = UserMessage(
    "无法播放 MIDI 伴奏：{problem}",
    "MIDI karaoke cannot play: {problem}",
)


def find_soundfont() -> str | None:
    override = os.environ.get("KTVDESK_SOUNDFONT")
    candidates = (override,) if override else SOUNDFONTS
    return next((path for path in candidates if path and os.path.isfile(path)), None)


_instpatch_lock = threading.Lock()
_instpatch_ready = False


def _initialise_instpatch() -> None:
    """Runs libinstpatch's one-time set-up here, before libVLC's decoder thread does.

    FluidSynth calls `ipatch_init()` from `new_fluid_synth()`, which registers GLib types
    inside `g_once` sections. libVLC cancels a decoder thread when its song is stopped; a
    song stopped while the first FluidSynth of the process was being made left such a
    section "in progress" for ever, and every later MIDI song then hung its decoder, and
    `stop()` with it (seen in the venue tests: a frozen player). Done once on a thread
    that is never cancelled, the set-up is complete and later calls return at once.
    """
    global _instpatch_ready
    with _instpatch_lock:
        if _instpatch_ready:
            return
        _instpatch_ready = True
        name = ctypes.util.find_library("instpatch-1.0")
        if name is None:
            return  # a FluidSynth built without libinstpatch has no such set-up
        try:
            ctypes.CDLL(name).ipatch_init()
        except (OSError, AttributeError) as exc:
            log.warning("libinstpatch set-up skipped: %s", exc)


def _instance_with_soundfont(vlc: Any, args: list[str]) -> tuple[Any, str | None]:
    """The instance, with FluidSynth's soundfont when both are there, and what MIDI lacks.

    libVLC refuses an instance whose options it does not know: `--soundfont` is known
    only with the FluidSynth plugin, which is how its absence shows.
    """
    soundfont = find_soundfont()
    if soundfont is None:
        return vlc.Instance(*args), "no General MIDI soundfont (.sf2) is installed"
    instance = vlc.Instance(*args, f"--soundfont={soundfont}")
    if instance is not None:
        return instance, None
    return vlc.Instance(*args), "VLC's FluidSynth plugin (vlc-plugin-fluidsynth) is missing"


def _as_uri(url: str) -> str:
    if "://" in url:
        return url
    return Path(url).resolve().as_uri()
