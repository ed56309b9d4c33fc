"""The files behind Yinsuda's accompaniment segment links: only SegmentBegin–SegmentEnd.

`DescribeKTVMusicAccompanySegmentUrl` ("获取歌曲伴奏片段链接，可用于抢唱") links a file that
holds just the segment: the document's own example is 1087189 bytes for 91798–120177 ms,
about 28 s, never the whole song. So the emulator cuts the accompaniment itself: the
file's playing time is exactly `SegmentEnd − SegmentBegin` and `FileSize` is its length
in bytes. Serving the whole song there would let a client that misreads the link pass.

Every segment is a 16-bit PCM WAV: a generated song's tone is sliced sample-exactly; a
demo song's accompaniment is decoded for the window with PyAV (the demo files are Opus in
Matroska, which cannot be cut on a packet boundary to the millisecond).
"""

from __future__ import annotations

import io
import wave
from functools import lru_cache
from pathlib import Path

from ktvdesk.cloudsim.catalog import SimSong, media_bytes

SEGMENT_EXT = "wav"
_SUFFIX = "-seg"
# Demo segments are decoded to this: plenty for a preview, a few hundred KB a second.
_DEMO_RATE = 22_050


def segment_file(song: SimSong) -> str:
    """The CDN file name of the song's segment (next to `SimSong.media_file`)."""
    return f"{song.id}{_SUFFIX}.{SEGMENT_EXT}"


def segment_song_id(file: str) -> str | None:
    """The song id a segment file name stands for; None for any other file."""
    stem, _, ext = file.rpartition(".")
    if ext != SEGMENT_EXT or not stem.endswith(_SUFFIX):
        return None
    return stem[: -len(_SUFFIX)]


def segment_bytes(song: SimSong) -> bytes:
    begin_ms, end_ms = song.chorus_ms
    if song.media_path is None:
        return _tone_slice(media_bytes(song), begin_ms, end_ms)
    return _decoded_slice(song.media_path, begin_ms, end_ms)


def _wav(frames: bytes, rate: int, channels: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _tone_slice(whole: bytes, begin_ms: int, end_ms: int) -> bytes:
    # `whole` is the catalog's cached tone: one object per song, its hash computed once.
    with wave.open(io.BytesIO(whole), "rb") as source:
        rate = source.getframerate()
        channels = source.getnchannels()
        source.setpos(begin_ms * rate // 1000)
        frames = source.readframes((end_ms - begin_ms) * rate // 1000)
    return _wav(frames, rate, channels)


@lru_cache(maxsize=16)
def _decoded_slice(path: Path, begin_ms: int, end_ms: int) -> bytes:
    import av
    from av.audio.resampler import AudioResampler

    want = (end_ms - begin_ms) * _DEMO_RATE // 1000
    pcm = bytearray()
    resampler = AudioResampler(format="s16", layout="mono", rate=_DEMO_RATE)
    with av.open(str(path)) as container:
        audio = [s for s in container.streams if s.type == "audio"]
        marks = ("伴奏", "accompaniment")
        track = next(
            (s for s in audio if any(m in (s.metadata.get("title") or "").lower() for m in marks)),
            audio[-1],
        )
        first_sample = begin_ms * _DEMO_RATE // 1000
        seen = 0  # resampled samples so far, counted from the file's start
        for frame in container.decode(track):
            if not isinstance(frame, av.AudioFrame):
                continue
            for out in resampler.resample(frame):
                data = bytes(out.planes[0])[: out.samples * 2]
                start, stop = seen, seen + out.samples
                seen = stop
                if stop <= first_sample:
                    continue
                lo = max(0, first_sample - start)
                pcm += data[lo * 2 :]
            if len(pcm) >= want * 2:
                break
    pcm = pcm[: want * 2]
    pcm += bytes(want * 2 - len(pcm))  # a song shorter than its segment: pad with silence
    return _wav(bytes(pcm), _DEMO_RATE, 1)
