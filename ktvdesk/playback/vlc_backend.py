"""The only module that talks to libVLC (placeholder probe; the playback work extends it)."""

from __future__ import annotations


def probe_vlc() -> tuple[bool, str]:
    """(available, reason). Never raises: a missing libVLC must not stop the GUI."""
    try:
        import vlc

        instance = vlc.Instance("--quiet", "--no-video", "--aout=dummy")
        if instance is None:
            return False, "libVLC refused to start"
        version = vlc.libvlc_get_version()
        instance.release()
        return True, f"libVLC {version.decode(errors='replace') if isinstance(version, bytes) else version}"
    # python-vlc raises NameError/OSError when the library is absent, and even calls
    # sys.exit(1) at import when PYTHON_VLC_LIB_PATH names a missing file.
    except (Exception, SystemExit) as exc:
        return False, f"libVLC not found ({type(exc).__name__}: {exc})"
