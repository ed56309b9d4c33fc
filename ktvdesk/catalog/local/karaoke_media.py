"""What the player gets for the karaoke kinds: UltraStar, MP3+G (loose or zipped), MIDI.

* UltraStar: the `#AUDIO`/`#MP3` file, `#INSTRUMENTAL` as the 伴唱 file, `#VIDEO` over it
  at its `#VIDEOGAP` (played by the backend on a player of its own, `playback/video_gap.py`);
  a clip request plays the medley section, otherwise `#START`..`#END` is played.
* MP3+G: the audio, with the `.cdg` as the picture stream (libVLC's CD+G decoder draws
  it; verified with the audio as the input and the graphics as its slave). A zipped pair is
  unpacked once into the cache folder, keyed by the zip's path, size and mtime.
* MIDI: the `.kar`/`.mid` itself; libVLC's FluidSynth module plays it.
An unplayable song raises `DamagedMediaError` with the reason the scan found.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

from ktvdesk.catalog.local.index import MediaRow
from ktvdesk.catalog.local.karaoke_songs import KIND_MIDI, KIND_MP3G, KIND_ULTRASTAR, zip_pair
from ktvdesk.errors import DamagedMediaError, UserMessage
from ktvdesk.models import ClipSegment, MediaSource, VocalLayout

UNPLAYABLE = UserMessage("这首歌无法播放：{reason}", "This song cannot be played: {reason}")
KARAOKE_KINDS = frozenset({KIND_ULTRASTAR, KIND_MP3G, KIND_MIDI})


def karaoke_source(row: MediaRow, *, want_clip: bool, cache: Path) -> MediaSource:
    if row.unplayable is not None:
        raise DamagedMediaError(
            f"{row.path}: {row.unplayable}",
            user_message=UserMessage(
                UNPLAYABLE.zh.format(reason=row.unplayable), UNPLAYABLE.en.format(reason=row.unplayable)
            ),
        )
    extras = row.extras
    if row.kind == KIND_MIDI:
        return MediaSource(url=row.path, container="midi", duration_ms=row.duration_ms)
    if row.kind == KIND_MP3G:
        if row.path.lower().endswith(".zip"):
            audio, graphics = unpack_pair(
                Path(row.path), str(extras["zip_audio"]), str(extras["zip_cdg"]), cache
            )
        else:
            audio, graphics = Path(str(extras["audio"])), Path(row.path)
        return MediaSource(
            url=str(audio),
            container=audio.suffix.lstrip(".").lower() or None,
            video_url=str(graphics),
            duration_ms=row.duration_ms,
        )
    clip = None
    if want_clip and "clip_begin_ms" in extras:
        clip = ClipSegment(begin_ms=int(extras["clip_begin_ms"]), end_ms=int(extras["clip_end_ms"]))
    else:
        clip = _start_end(row)
    accompaniment = row.accompaniment_path
    return MediaSource(
        url=str(extras["audio"]),
        container=Path(str(extras["audio"])).suffix.lstrip(".").lower() or None,
        layout=VocalLayout.SEPARATE_FILE if accompaniment else VocalLayout.MIXED,
        accompaniment_url=accompaniment,
        video_url=str(extras["video"]) if "video" in extras else None,
        video_gap_ms=int(extras.get("video_gap_ms", 0)),
        clip=clip,
        duration_ms=row.duration_ms,
    )


def file_source(
    row: MediaRow, *, want_clip: bool, cache: Path, chorus: ClipSegment | None = None
) -> MediaSource:
    """What the player gets for any indexed song: a karaoke kind's assembly of its files,
    else the media file itself with `chorus` as its clip (when a clip is wanted). Shared
    by the venue server, which serves rooms what the local provider gives the player."""
    if row.kind in KARAOKE_KINDS:
        return karaoke_source(row, want_clip=want_clip, cache=cache)
    return MediaSource(
        clip=chorus if want_clip else None,
        url=row.path,
        container=row.container or None,
        layout=row.layout,
        original_track=row.original_track,
        accompaniment_track=row.accompaniment_track,
        vocal_channel=row.vocal_channel,
        accompaniment_url=row.accompaniment_path,
        duration_ms=row.duration_ms,
        replaygain_db=row.replaygain_db,
    )


def _start_end(row: MediaRow) -> ClipSegment | None:
    """UltraStar `#START`/`#END` as the part of the audio to play (None: all of it).

    The engine plays a clip from its begin and stops at its end, on the media's own clock:
    note and lyric times stay the file's (absolute from the audio's 0 ms), so they need no
    shift. Without `#END` the song runs to the end of its audio.
    """
    start = int(row.extras.get("start_ms", 0))
    end = row.extras.get("end_ms")
    stop = int(end) if end is not None else row.duration_ms
    if (start <= 0 and end is None) or stop is None or stop <= start:
        return None
    return ClipSegment(begin_ms=max(0, start), end_ms=stop)


def unpack_pair(archive: Path, audio_name: str, cdg_name: str, cache: Path) -> tuple[Path, Path]:
    """The zip's audio and graphics as files (VLC's CD+G demuxer needs a `.cdg` file)."""
    info = archive.stat()
    key = hashlib.sha1(f"{archive.resolve()}|{info.st_size}|{info.st_mtime_ns}".encode()).hexdigest()[:16]
    target = cache / "mp3g" / key
    audio = target / ("audio" + Path(audio_name).suffix.lower())
    graphics = target / "graphics.cdg"
    if audio.is_file() and graphics.is_file():
        return audio, graphics
    partial = target.with_name(key + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zipped:
            if zip_pair(zipped.namelist()) != (cdg_name, audio_name):
                raise DamagedMediaError(
                    f"{archive}: the zip changed since the scan",
                    user_message=UserMessage(
                        "压缩包已变化，请重新扫描歌曲库。", "The zip changed: rescan the library."
                    ),
                )
            # Member names are never used as paths: a hostile `../` name writes nothing.
            with zipped.open(audio_name) as src, (partial / audio.name).open("wb") as dst:
                shutil.copyfileobj(src, dst)
            with zipped.open(cdg_name) as src, (partial / graphics.name).open("wb") as dst:
                shutil.copyfileobj(src, dst)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
    except (OSError, zipfile.BadZipFile) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise DamagedMediaError(
            f"{archive}: cannot unpack: {exc}",
            user_message=UserMessage("无法解压这首 MP3+G 歌曲。", "This MP3+G zip cannot be unpacked."),
        ) from exc
    return audio, graphics
