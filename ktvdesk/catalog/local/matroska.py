"""Just enough Matroska (EBML) to index a KTV file: tags, audio track count, duration.

mutagen does not read Matroska, and a 2 GB KTV video must not be read whole: the reader
walks the top-level elements of the Segment, jumps over Clusters using the SeekHead and
reads only Info, Tracks and Tags.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO

EBML_HEADER = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
SEEK_HEAD = 0x114D9B74
SEEK = 0x4DBB
SEEK_ID = 0x53AB
SEEK_POSITION = 0x53AC
INFO = 0x1549A966
TIMECODE_SCALE = 0x2AD7B1
DURATION = 0x4489
SEGMENT_TITLE = 0x7BA9
TRACKS = 0x1654AE6B
TRACK_ENTRY = 0xAE
TRACK_TYPE = 0x83
TRACK_NAME = 0x536E
TRACK_LANGUAGE = 0x22B59C
TAGS = 0x1254C367
TAG = 0x7373
TARGETS = 0x63C0
TAG_TRACK_UID = 0x63C5
SIMPLE_TAG = 0x67C8
TAG_NAME = 0x45A3
TAG_STRING = 0x4487
CLUSTER = 0x1F43B675

AUDIO_TRACK = 2
MAX_ELEMENT = 16 * 1024 * 1024  # Info/Tracks/Tags larger than this are not metadata we want
UNKNOWN_SIZE = -1


class MatroskaError(ValueError):
    pass


@dataclass(slots=True)
class AudioTrack:
    name: str | None = None
    language: str | None = None


@dataclass(slots=True)
class MatroskaInfo:
    doc_type: str = "matroska"
    duration_ms: int | None = None
    audio_tracks: list[AudioTrack] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)  # global tags, names lower-cased


def _read_vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int]:
    if pos >= len(data):
        raise MatroskaError("truncated element header")
    first = data[pos]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        mask >>= 1
        length += 1
    if length > 8 or pos + length > len(data):
        raise MatroskaError("bad variable-length integer")
    value = first if keep_marker else first & (mask - 1)
    all_ones = first & (mask - 1) == mask - 1
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
        all_ones = all_ones and byte == 0xFF
    if not keep_marker and all_ones:
        return UNKNOWN_SIZE, pos + length
    return value, pos + length


def _children(data: bytes) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    pos = 0
    while pos < len(data):
        element_id, pos = _read_vint(data, pos, keep_marker=True)
        size, pos = _read_vint(data, pos, keep_marker=False)
        if size == UNKNOWN_SIZE or pos + size > len(data):
            size = len(data) - pos  # a truncated last child: take what is there
        out.append((element_id, data[pos : pos + size]))
        pos += size
    return out


def _uint(data: bytes) -> int:
    return int.from_bytes(data, "big") if data else 0


def _float(data: bytes) -> float:
    if len(data) == 4:
        return float(struct.unpack(">f", data)[0])
    if len(data) == 8:
        return float(struct.unpack(">d", data)[0])
    return 0.0


def _text(data: bytes) -> str:
    return data.rstrip(b"\x00").decode("utf-8", errors="replace")


def probe_matroska(handle: BinaryIO) -> MatroskaInfo:
    """Read the metadata of an open Matroska/WebM file; MatroskaError if it is not one."""
    handle.seek(0)
    element_id, size, _ = _element_header(handle)
    if element_id != EBML_HEADER or size == UNKNOWN_SIZE or size > 4096:
        raise MatroskaError("not a Matroska file (no EBML header)")
    info = MatroskaInfo()
    for child_id, payload in _children(handle.read(size)):
        if child_id == DOC_TYPE:
            info.doc_type = _text(payload)
    if info.doc_type not in ("matroska", "webm"):
        raise MatroskaError(f"unsupported EBML document type {info.doc_type!r}")
    segment_id, segment_size, _ = _element_header(handle)
    if segment_id != SEGMENT:
        raise MatroskaError("no Segment after the EBML header")
    segment_start = handle.tell()
    handle.seek(0, 2)
    file_end = handle.tell()
    segment_end = file_end if segment_size == UNKNOWN_SIZE else min(file_end, segment_start + segment_size)
    _walk_segment(handle, segment_start, segment_end, info)
    return info


def _element_header(handle: BinaryIO) -> tuple[int, int, int]:
    start = handle.tell()
    head = handle.read(12)
    element_id, pos = _read_vint(head, 0, keep_marker=True)
    size, pos = _read_vint(head, pos, keep_marker=False)
    handle.seek(start + pos)
    return element_id, size, pos


def _walk_segment(handle: BinaryIO, start: int, end: int, info: MatroskaInfo) -> None:
    wanted = {INFO, TRACKS, TAGS}
    seen: set[int] = set()
    seek_targets: dict[int, list[int]] = {}
    pos = start
    timecode_scale = 1_000_000
    duration: float | None = None
    while pos < end:
        handle.seek(pos)
        try:
            element_id, size, header_len = _element_header(handle)
        except MatroskaError:
            break
        data_start = pos + header_len
        if element_id == CLUSTER or size == UNKNOWN_SIZE:
            break  # media data from here on: the SeekHead says where the rest is
        if element_id in (*wanted, SEEK_HEAD) and size <= MAX_ELEMENT:
            payload = handle.read(size)
            if element_id == SEEK_HEAD:
                for target, position in _seek_entries(payload):
                    seek_targets.setdefault(target, []).append(start + position)
            elif element_id == INFO:
                timecode_scale, duration = _parse_info(payload, timecode_scale, duration, info.tags)
            elif element_id == TRACKS:
                info.audio_tracks = _parse_tracks(payload)
            elif element_id == TAGS:
                _parse_tags(payload, info.tags)
            seen.add(element_id)
        pos = data_start + size
    for target in wanted - seen:
        for position in seek_targets.get(target, []):
            if not start <= position < end:
                continue
            handle.seek(position)
            try:
                element_id, size, _ = _element_header(handle)
            except MatroskaError:
                continue
            if element_id != target or size == UNKNOWN_SIZE or size > MAX_ELEMENT:
                continue
            payload = handle.read(size)
            if target == INFO:
                timecode_scale, duration = _parse_info(payload, timecode_scale, duration, info.tags)
            elif target == TRACKS:
                info.audio_tracks = _parse_tracks(payload)
            else:
                _parse_tags(payload, info.tags)
    if duration is not None and duration > 0:
        info.duration_ms = round(duration * timecode_scale / 1_000_000)


def _seek_entries(payload: bytes) -> list[tuple[int, int]]:
    entries: list[tuple[int, int]] = []
    for child_id, seek in _children(payload):
        if child_id != SEEK:
            continue
        target = position = None
        for field_id, value in _children(seek):
            if field_id == SEEK_ID:
                target = _uint(value)
            elif field_id == SEEK_POSITION:
                position = _uint(value)
        if target is not None and position is not None:
            entries.append((target, position))
    return entries


def _parse_info(
    payload: bytes, scale: int, duration: float | None, tags: dict[str, str]
) -> tuple[int, float | None]:
    for child_id, value in _children(payload):
        if child_id == SEGMENT_TITLE:
            tags.setdefault("title", _text(value))  # muxers put the title here, not in Tags
        elif child_id == TIMECODE_SCALE:
            scale = _uint(value) or scale
        elif child_id == DURATION:
            duration = _float(value)
    return scale, duration


def _parse_tracks(payload: bytes) -> list[AudioTrack]:
    tracks: list[AudioTrack] = []
    for child_id, entry in _children(payload):
        if child_id != TRACK_ENTRY:
            continue
        kind = 0
        track = AudioTrack()
        for field_id, value in _children(entry):
            if field_id == TRACK_TYPE:
                kind = _uint(value)
            elif field_id == TRACK_NAME:
                track.name = _text(value)
            elif field_id == TRACK_LANGUAGE:
                track.language = _text(value)
        if kind == AUDIO_TRACK:
            tracks.append(track)
    return tracks


def _parse_tags(payload: bytes, out: dict[str, str]) -> None:
    for child_id, tag in _children(payload):
        if child_id != TAG:
            continue
        children = _children(tag)
        targets = next((value for field_id, value in children if field_id == TARGETS), b"")
        if any(field_id == TAG_TRACK_UID for field_id, _ in _children(targets)):
            continue  # per-track tags (encoder, duration): not the song's
        for field_id, simple in children:
            if field_id != SIMPLE_TAG:
                continue
            name = value = None
            for sub_id, sub in _children(simple):
                if sub_id == TAG_NAME:
                    name = _text(sub)
                elif sub_id == TAG_STRING:
                    value = _text(sub)
            if name and value is not None:
                out.setdefault(name.lower(), value)
