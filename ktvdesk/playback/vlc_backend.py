"""libVLC behind the `PlayerBackend` contract: the only module that imports `vlc`.

Audio filters. libVLC 3 has no public API for audio filters, and `--audio-filter` on the
instance is ignored: each media player creates its own `audio-filter` variable (without
inheriting), and the equalizer API is the only thing that ever writes it. The audio
output also lives longer than one media and copies the player's variables when it is
created. So filters are set the way VLC's own equalizer code does it, through
libvlccore's `var_SetChecked`: on the player (for audio outputs created later) and on
the live audio output (where a change rebuilds the filter chain at once, without
reloading the media). Verified on rendered audio by tests/integration/playback.

Rendering to a file uses the memory output (amem) and writes the WAV here rather than
libVLC's `afile` output: afile applies no volume (fades and mute would be missing) and
truncates its file whenever the output restarts (every filter or channel change).
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import logging
import os
import sys
import threading
import wave
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ktvdesk.errors import UserMessage, VlcUnavailableError
from ktvdesk.models import Channel
from ktvdesk.playback.backend import AudioFilters, BackendEvent, EventSink, FadeEnvelope, MediaOptions

log = logging.getLogger(__name__)

VLC_MISSING = UserMessage(
    "无法使用 VLC 播放组件。请安装 VLC 媒体播放器（3.0 或更新版本）后重新启动 ktvdesk。",
    "VLC could not be used. Please install VLC media player (3.0 or newer) and restart ktvdesk.",
)

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


def probe_vlc() -> tuple[bool, str]:
    """Is libVLC usable here? Never raises; the reason is for logs and the about box."""
    try:
        vlc = _import_vlc()
        instance = vlc.Instance("--quiet", "--no-video", "--aout=dummy")
        if instance is None:
            return False, "libVLC refused to start (bad option or broken plugins)"
        try:
            version = vlc.libvlc_get_version().decode("utf-8", "replace")
        finally:
            instance.release()
    except Exception as exc:  # NameError (no libvlc_new), OSError, ImportError...
        return False, f"libVLC is not available: {type(exc).__name__}: {exc}"
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
    ) -> None:
        try:
            self._vlc = _import_vlc()
            args = ["--quiet", "--no-stats", *(() if video else ("--no-video",))]
            if aout:
                args.append(f"--aout={aout}")
            args.extend(extra_args)
            instance = self._vlc.Instance(*args)
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
        self._vars = _VarAccess.load(self._vlc)
        self._filters = AudioFilters()
        self._recorder: _WavRecorder | None = None
        self._callbacks: list[Any] = []  # ctypes callbacks must outlive libVLC's use of them
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
        self._player.set_media(media)
        if self._media is not None:
            self._media.release()
        self._media = media

    def play(self) -> None:
        if self._player.play() != 0:
            log.warning("libVLC refused to play")

    def pause(self) -> None:
        self._player.set_pause(1)

    def resume(self) -> None:
        self._player.set_pause(0)

    def stop(self) -> None:
        self._player.stop()

    def seek(self, ms: int) -> None:
        if self._recorder is not None:
            self._recorder.restart_at(ms)
        self._player.set_time(max(0, int(ms)))

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
            if filters.chain():
                raise VlcUnavailableError(
                    "libvlccore is needed for audio filters", user_message=VLC_MISSING, code="no_filters"
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

    def set_window(self, handle: int | None) -> None:
        """Render video into a native window (X11 id, HWND or NSView); None: libVLC's own."""
        value = int(handle) if handle else 0
        if sys.platform.startswith("win"):
            self._player.set_hwnd(value)
        elif sys.platform == "darwin":
            self._player.set_nsobject(value)
        else:
            self._player.set_xwindow(value)

    # ---- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        """Release libVLC; later calls on this backend do nothing (never a use-after-free)."""
        if self._closed:
            return
        self._closed = True
        self._sink = None
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
        return lambda *args, **kwargs: 0


def _as_uri(url: str) -> str:
    if "://" in url:
        return url
    return Path(url).resolve().as_uri()
