"""What tools/dead_code.py keeps although nothing in ktvdesk/ uses it, and why.

Keys are (path, name) as vulture reports them; tools/dead_code.py warns about entries that
no longer match anything.
"""

_PROTOCOL = "an argument a caller passes by name or position: the signature is not ours"
_SIM_CONTROL = "the emulator's control API, which tests and demos drive from outside"
_DB_PROBE = "a health probe of the user database; the crash-safety tests assert with it"

KEPT: dict[tuple[str, str], str] = {
    ("ktvdesk/remote/child.py", "capture_signals"): _PROTOCOL,  # overrides uvicorn.Server's
    ("ktvdesk/remote/room.py", "revision"): (
        "the published state's revision: the event tests and bench_remote compare what the phones heard with it"
    ),
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
    ("ktvdesk/ui/queue_panel.py", "supportedDropActions"): (
        "a Qt model override: the list view asks it whether a row may be dragged to move"
    ),
    ("ktvdesk/ui/mic_settings.py", "blocks_heard"): (
        "how many microphone blocks the open panel has received: the live-microphone test waits on it"
    ),
    ("ktvdesk/storage/favorites.py", "contains"): (
        "whether one song is a favourite: the views keep the keys instead (one read), the "
        "favourites and main-window tests ask it"
    ),
    ("ktvdesk/services.py", "contains"): "FavoritesHook's side of storage.Favorites.contains (same reason)",
    ("ktvdesk/catalog/xiaowei/provider.py", "my_playlists"): (
        "the signed-in user's QQ Music playlists (a resource of the seed); no view lists them "
        "yet, the xiaowei catalog tests read them"
    ),
    ("ktvdesk/ui/song_list.py", "has_chorus"): (
        "check_chorus's known answer for a song: the chorus-preview UI test waits on it"
    ),
    ("ktvdesk/playback/vlc_backend.py", "capture_video"): (
        "decodes the picture into memory; must live in the only module that imports vlc, the "
        "formats tests snapshot CD+G and video frames with it"
    ),
    ("ktvdesk/playback/vlc_backend.py", "pixel"): "reads one pixel of a captured frame (see capture_video)",
    ("ktvdesk/playback/video_gap.py", "do_pause"): _PROTOCOL,  # python-vlc's MediaPlayer.set_pause
    ("ktvdesk/playback/vlc_backend.py", "picture_follower"): (
        "the video-gap song's own video player: the formats tests and bench_video_gap check it"
    ),
    ("ktvdesk/singing/microphone.py", "FileMicrophone"): (
        "the file-backed MicrophoneSource the design calls for: a recording sung in real time, "
        "how the scoring, duet and singing-screen tests and bench_singing sing"
    ),
    ("ktvdesk/singing/microphone.py", "wait_streaming"): (
        "the live singing tests and bench_singing wait on it for a removed microphone's stream to close"
    ),
}
