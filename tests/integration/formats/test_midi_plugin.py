"""A libVLC without its FluidSynth module: MIDI songs say so, everything else still plays.

Simulated (the plugin is installed here, and a process loads libVLC's modules once): the
instance is asked for an option no module declares, in place of `--soundfont`. That is
exactly how a missing FluidSynth shows, since `--soundfont` is declared by that module
alone, and the refusal is the real libVLC's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ktvdesk.errors import PlaybackError
from ktvdesk.playback import vlc_backend
from ktvdesk.playback.backend import MediaOptions
from ktvdesk.playback.vlc_backend import _import_vlc, find_soundfont
from tests.integration.formats.library_tree import Library
from tests.integration.formats.test_playback import until, wav_rms

PLUGIN_MISSING = "VLC's FluidSynth plugin (vlc-plugin-fluidsynth) is missing"


class _VlcWithoutFluidSynth:
    """The real python-vlc module, except that `--soundfont` is an option nobody knows."""

    def __init__(self, vlc: Any) -> None:
        self._vlc = vlc
        self.asked: list[str] = []

    def Instance(self, *args: str) -> Any:
        self.asked.extend(args)
        unknown = [a.replace("--soundfont=", "--ktvdesk-test-no-fluidsynth=") for a in args]
        return self._vlc.Instance(*unknown)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._vlc, name)


async def test_midi_without_the_fluidsynth_module_says_so(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert find_soundfont() is not None, "the GM soundfont is missing (make installs it)"
    fake = _VlcWithoutFluidSynth(_import_vlc())
    monkeypatch.setattr(vlc_backend, "_import_vlc", lambda: fake)
    out = tmp_path / "after.wav"
    backend = vlc_backend.VlcBackend(audio_out_file=out)
    try:
        assert any(a.startswith("--soundfont=") for a in fake.asked)  # it did try FluidSynth
        assert backend.midi_problem == PLUGIN_MISSING
        with pytest.raises(PlaybackError) as caught:
            backend.open(str(library.kar), MediaOptions())
        error = caught.value
        assert error.code == "no_midi"
        assert "vlc-plugin-fluidsynth" in error.user_message.en and "MIDI" in error.user_message.zh
        # The instance made without the soundfont still plays every other kind of song.
        backend.open(str(library.cdg_pair.with_suffix(".wav")), MediaOptions())
        backend.play()
        await until(lambda: backend.get_time() >= 1000)
    finally:
        backend.close()
    assert wav_rms(out) > 0.05


_SETUP_PROBE = """
import ctypes, ctypes.util, sys
from ktvdesk.playback import vlc_backend
from ktvdesk.playback.backend import MediaOptions
gobject = ctypes.CDLL(ctypes.util.find_library("gobject-2.0"))
gobject.g_type_from_name.restype = ctypes.c_size_t
before = gobject.g_type_from_name(b"IpatchBase")
backend = vlc_backend.VlcBackend(audio_out_file=sys.argv[2])
backend.open(sys.argv[1], MediaOptions())  # opened, not played: no decoder thread yet
after = gobject.g_type_from_name(b"IpatchBase")
backend.close()
print(before, after)
"""


def test_fluidsynths_one_time_setup_is_done_before_libvlcs_decoder_thread_runs(
    library: Library, tmp_path: Path
) -> None:
    """FluidSynth's first synth registers libinstpatch's GLib types in `g_once` sections;
    libVLC cancels the decoder thread of a stopped song, and one cancelled there left the
    section in progress for ever: every later MIDI song hung, and `stop()` with it (seen
    once in the venue tests). The backend does that set-up itself, on the thread that
    opens the song, so no decoder thread ever runs it. In a fresh process: before the
    first open the types do not exist, after it (before any playing) they do."""
    result = subprocess.run(
        [sys.executable, "-c", _SETUP_PROBE, str(library.kar), str(tmp_path / "out.wav")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    before, after = (int(n) for n in result.stdout.split())
    assert before == 0 and after != 0, result.stderr[-2000:]
