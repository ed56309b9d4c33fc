"""Read what a media file says about itself: tags, duration, ReplayGain, audio tracks.

mutagen covers the audio formats; Matroska goes through our own EBML reader; MP4 audio
tracks are counted from the `moov/trak` boxes and Ogg streams from their first pages
(mutagen reads only the first track of either). MPEG
program streams and AVI are only sanity-checked: their names carry the metadata in KTV
collections. A file that claims a format but does not parse as it raises `ProbeError`,
which the scanner turns into a logged skip.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import mutagen

from ktvdesk.catalog.local.matroska import MatroskaError, probe_matroska


class ProbeError(Exception):
    """The file is not a readable media file of the kind its extension says."""


MUTAGEN_EXTENSIONS = frozenset({".mp3", ".m4a", ".mp4", ".ogg", ".opus", ".flac", ".wav"})
MATROSKA_EXTENSIONS = frozenset({".mkv", ".mka", ".webm"})
MPEG_PS_EXTENSIONS = frozenset({".mpg", ".mpeg", ".vob"})
AVI_EXTENSIONS = frozenset({".avi"})
MEDIA_EXTENSIONS = MUTAGEN_EXTENSIONS | MATROSKA_EXTENSIONS | MPEG_PS_EXTENSIONS | AVI_EXTENSIONS


@dataclass(slots=True)
class MediaInfo:
    tags: dict[str, list[str]] = field(default_factory=dict)  # lower-case names
    duration_ms: int | None = None
    replaygain_db: float | None = None
    audio_tracks: int | None = None  # None: unknown
    container: str = ""
    track_names: list[str] = field(default_factory=list)  # audio tracks, when the container names them

    def first(self, *names: str) -> str | None:
        for name in names:
            for value in self.tags.get(name, ()):
                if value.strip():
                    return value.strip()
        return None

    def all(self, *names: str) -> list[str]:
        return [value.strip() for name in names for value in self.tags.get(name, ()) if value.strip()]


# ID3 frame and MP4 atom names → the vorbis-comment style names used everywhere else.
_ID3_NAMES = {
    "TIT2": "title",
    "TPE1": "artist",
    "TALB": "album",
    "TCON": "genre",
    "TLAN": "language",
    "TIT3": "subtitle",
}
_MP4_NAMES = {"\xa9nam": "title", "\xa9ART": "artist", "\xa9alb": "album", "\xa9gen": "genre"}
_GAIN = re.compile(r"([-+]?\d+(?:\.\d+)?)")


def probe(path: Path) -> MediaInfo:
    suffix = path.suffix.lower()
    container = suffix.lstrip(".")
    try:
        with path.open("rb") as handle:
            if suffix in MATROSKA_EXTENSIONS:
                return _probe_matroska(handle, container)
            if suffix in MPEG_PS_EXTENSIONS:
                _check_mpeg_ps(handle)
                return MediaInfo(container=container)
            if suffix in AVI_EXTENSIONS:
                if handle.read(12)[8:12] != b"AVI ":
                    raise ProbeError("not an AVI file (no RIFF/AVI header)")
                return MediaInfo(container=container)
            info = _probe_mutagen(path, container)
            if suffix in (".m4a", ".mp4"):
                info.audio_tracks = _count_mp4_audio_tracks(handle)
            elif suffix in (".ogg", ".opus"):
                info.audio_tracks = _count_ogg_streams(handle)
            return info
    except ProbeError:
        raise
    except OSError as exc:
        raise ProbeError(f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:  # mutagen raises many kinds on damaged files
        raise ProbeError(f"damaged {container} file: {type(exc).__name__}: {exc}") from exc


def _probe_matroska(handle: BinaryIO, container: str) -> MediaInfo:
    try:
        mkv = probe_matroska(handle)
    except MatroskaError as exc:
        raise ProbeError(str(exc)) from exc
    info = MediaInfo(container=container, duration_ms=mkv.duration_ms, audio_tracks=len(mkv.audio_tracks))
    info.tags = {name: [value] for name, value in mkv.tags.items()}
    info.track_names = [track.name or "" for track in mkv.audio_tracks]
    info.replaygain_db = _replaygain(info.tags)
    return info


def _check_mpeg_ps(handle: BinaryIO) -> None:
    head = handle.read(4)
    if head not in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        raise ProbeError("not an MPEG program stream (no pack header)")


def _probe_mutagen(path: Path, container: str) -> MediaInfo:
    audio: Any = mutagen.File(path)
    if audio is None:
        raise ProbeError(f"not a recognisable {container} file")
    info = MediaInfo(container=container)
    length = getattr(audio.info, "length", None)
    if length:
        info.duration_ms = round(float(length) * 1000)
    info.tags = _normalise_tags(audio.tags)
    info.replaygain_db = _replaygain(info.tags)
    return info


def _normalise_tags(tags: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if tags is None:
        return out

    def add(name: str, values: Any) -> None:
        if not isinstance(values, list | tuple):
            values = [values]
        texts = [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in values]
        out.setdefault(name.lower(), []).extend(texts)

    for key in list(tags.keys()):
        value = tags[key]
        if hasattr(value, "FrameID"):  # ID3
            frame_id = value.FrameID
            if frame_id in _ID3_NAMES:
                add(_ID3_NAMES[frame_id], list(value.text))
            elif frame_id == "TXXX":
                add(str(value.desc), list(value.text))
            continue
        name = str(key)
        if name in _MP4_NAMES:
            add(_MP4_NAMES[name], value)
        elif name.startswith("----:"):
            add(name.rsplit(":", 1)[-1], value)
        elif not name.startswith("\xa9"):
            add(name, value)
    return out


def _replaygain(tags: dict[str, list[str]]) -> float | None:
    for name in ("replaygain_track_gain", "replaygain_album_gain"):
        for value in tags.get(name, ()):
            match = _GAIN.search(value)
            if match:
                return float(match.group(1))
    for name in ("r128_track_gain", "r128_album_gain"):
        for value in tags.get(name, ()):
            try:
                # Q7.8 relative to -23 LUFS; ReplayGain's reference is -18 LUFS.
                return round(int(value) / 256 + 5.0, 2)
            except ValueError:
                continue
    return None


_OGG_AUDIO_HEADS = (b"OpusHead", b"\x01vorbis", b"\x7fFLAC", b"Speex   ")


def _count_ogg_streams(handle: BinaryIO) -> int | None:
    """Audio streams of an Ogg file: every logical stream opens with a BOS page up front
    (mutagen reads only the first stream)."""
    handle.seek(0)
    count = 0
    while True:
        header = handle.read(27)
        if len(header) < 27 or header[:4] != b"OggS":
            return count or None
        if not header[5] & 0x02:  # the first page without BOS: all streams have begun
            return count
        segments = handle.read(header[26])
        body = handle.read(sum(segments))
        if body.startswith(_OGG_AUDIO_HEADS):
            count += 1


def _count_mp4_audio_tracks(handle: BinaryIO) -> int | None:
    """Count `trak` boxes whose handler is `soun`; None when the box tree is unusual."""
    handle.seek(0, 2)
    end = handle.tell()
    moov = _find_box(handle, 0, end, b"moov")
    if moov is None:
        return None
    count = 0
    for trak_start, trak_end in _boxes(handle, *moov, b"trak"):
        mdia = _find_box(handle, trak_start, trak_end, b"mdia")
        if mdia is None:
            continue
        hdlr = _find_box(handle, *mdia, b"hdlr")
        if hdlr is None:
            continue
        handle.seek(hdlr[0] + 8)
        if handle.read(4) == b"soun":
            count += 1
    return count


def _boxes(handle: BinaryIO, start: int, end: int, kind: bytes) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    pos = start
    while pos + 8 <= end:
        handle.seek(pos)
        header = handle.read(8)
        if len(header) < 8:
            break
        size, box = struct.unpack(">I4s", header)
        header_len = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            header_len = 16
        elif size == 0:
            size = end - pos
        if size < header_len:
            break
        if box == kind:
            found.append((pos + header_len, min(end, pos + size)))
        pos += size
    return found


def _find_box(handle: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    boxes = _boxes(handle, start, end, kind)
    return boxes[0] if boxes else None
