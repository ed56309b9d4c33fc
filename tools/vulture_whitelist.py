"""What tools/dead_code.py keeps although nothing in ktvdesk/ uses it, and why.

Keys are (path, name) as vulture reports them; tools/dead_code.py warns about entries that
no longer match anything.
"""

_PROTOCOL = "an argument a caller passes by name or position: the signature is not ours"
_SIM_CONTROL = "the emulator's control API, which tests and demos drive from outside"
_DB_PROBE = "a health probe of the user database; the crash-safety tests assert with it"

KEPT: dict[tuple[str, str], str] = {
    ("ktvdesk/config.py", "env_settings"): _PROTOCOL,
    ("ktvdesk/remote/server.py", "capture_signals"): _PROTOCOL,  # overrides uvicorn.Server's
    ("ktvdesk/config.py", "dotenv_settings"): _PROTOCOL,
    ("ktvdesk/config.py", "file_secret_settings"): _PROTOCOL,
    ("ktvdesk/storage/database.py", "exc_type"): _PROTOCOL,
    ("ktvdesk/storage/database.py", "tb"): _PROTOCOL,
    ("ktvdesk/cloudsim/cdn.py", "issued_links"): _SIM_CONTROL,
    ("ktvdesk/cloudsim/cdn.py", "late_uses"): _SIM_CONTROL,
    ("ktvdesk/cloudsim/cdn.py", "uses_of"): _SIM_CONTROL,
    ("ktvdesk/cloudsim/clock.py", "set_skew"): _SIM_CONTROL,
    ("ktvdesk/cloudsim/server.py", "yinsuda_env"): _SIM_CONTROL,
    ("ktvdesk/storage/connection.py", "integrity_check"): _DB_PROBE,
    ("ktvdesk/storage/connection.py", "foreign_key_violations"): _DB_PROBE,
    ("ktvdesk/storage/connection.py", "schema_version"): _DB_PROBE,
    ("ktvdesk/refresh/scheduler.py", "peek"): (
        "the held value without starting a fetch: how the scheduler's tests observe it"
    ),
    ("ktvdesk/ui/lyric_view.py", "animating"): "whether the wipe is running: the stage's UI test observes it",
    ("ktvdesk/ui/mic_settings.py", "blocks_heard"): (
        "how many microphone blocks the open panel has received: the live-microphone test waits on it"
    ),
    ("ktvdesk/ui/song_list.py", "has_chorus"): (
        "check_chorus's known answer for a song: the chorus-preview UI test waits on it"
    ),
    ("ktvdesk/playback/vlc_backend.py", "capture_video"): (
        "decodes the picture into memory; must live in the only module that imports vlc, the "
        "formats tests snapshot CD+G and video frames with it"
    ),
    ("ktvdesk/playback/vlc_backend.py", "pixel"): "reads one pixel of a captured frame (see capture_video)",
    ("ktvdesk/singing/microphone.py", "FileMicrophone"): (
        "the file-backed MicrophoneSource the design calls for: a recording sung in real time, "
        "how the scoring, duet and singing-screen tests and bench_singing sing"
    ),
    ("ktvdesk/singing/audio.py", "write_wav"): (
        "writes the mono 16-bit WAV that `decode` reads back: the singing tests and "
        "bench_singing write their sung fixtures with it"
    ),
}
