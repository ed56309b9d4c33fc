"""A karaoke library of every new kind, made from our own fixtures.

Audio is a pure tone (so rendered sound can be checked), video a solid colour, CD+G comes
from the test encoder, MIDI from mido; the wild corpus is read where it lies.
"""

from __future__ import annotations

import math
import struct
import wave
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.unit.formats.cdg_encoder import make_cdg
from tests.unit.formats.wild import wild_root

VIDEO_RGB = (20, 200, 40)  # the UltraStar video's colour


def write_tone(path: Path, seconds: float, freq: float = 440.0, rate: int = 44_100) -> Path:
    frames = bytearray()
    for i in range(int(seconds * rate)):
        sample = int(12000 * math.sin(2 * math.pi * freq * i / rate))
        frames += struct.pack("<hh", sample, sample)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


def write_video(path: Path, seconds: float, rgb: tuple[int, int, int] = VIDEO_RGB) -> Path:
    import av
    import numpy as np

    container = av.open(str(path), "w")
    stream = container.add_stream("mpeg4", rate=25)
    stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
    picture = np.zeros((96, 160, 3), dtype=np.uint8)
    picture[:, :] = rgb
    for _ in range(int(seconds * 25)):
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path


ULTRASTAR_SONG = """#TITLE:Wolkenlied
#ARTIST:Die Testsänger
#MP3:Wolkenlied.wav
#INSTRUMENTAL:Wolkenlied [Instrumental].wav
#VIDEO:Wolkenlied.mp4
#COVER:cover.jpg
#BPM:300
#GAP:500
#MEDLEYSTARTBEAT:20
#MEDLEYENDBEAT:60
: 0 8 0 Wol
: 10 8 2 ken
- 20
* 20 10 4 zie
: 32 10 5 hen
E
"""

ASS_SONG = """[Script Info]
ScriptType: v4.00+

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.50,0:00:02.50,Default,,0,0,0,,{\\k50}Stern{\\k60}schnup{\\k40}pe
"""


@dataclass(frozen=True)
class Library:
    root: Path
    ultrastar: Path
    cdg_pair: Path
    cdg_zip: Path
    kar: Path
    ass_video: Path
    lonely_cdg: Path
    lonely_audio: Path
    junk_zip: Path
    broken_kar: Path
    no_mp3: Path


def make_library(tmp_path: Path) -> Library:
    root = tmp_path / "songs"
    us = root / "UltraStar" / "Die Testsänger - Wolkenlied"
    us.mkdir(parents=True)
    (us / "Wolkenlied.txt").write_text(ULTRASTAR_SONG, encoding="utf-8")
    write_tone(us / "Wolkenlied.wav", 4.0)
    write_tone(us / "Wolkenlied [Instrumental].wav", 4.0, freq=330.0)
    write_video(us / "Wolkenlied.mp4", 4.0)
    (us / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    broken_us = root / "UltraStar" / "Ohne Ton"
    broken_us.mkdir()
    (broken_us / "Ohne Ton.txt").write_text(
        ULTRASTAR_SONG.replace("Wolkenlied", "Ohne Ton").replace(
            "#TITLE:Ohne Ton", "#TITLE:Stille Nacht Test"
        )
    )
    mp3g = root / "MP3G"
    mp3g.mkdir()
    cdg = make_cdg(seconds=4.0)
    pair = mp3g / "SC8123-05 - Testband - Morgenrot.cdg"
    pair.write_bytes(cdg.data)
    write_tone(mp3g / "SC8123-05 - Testband - Morgenrot.wav", 4.0)
    lonely_audio = write_tone(mp3g / "SC8123-06 - Testband - Abendrot.wav", 1.0)
    staging = tmp_path / "staging"
    staging.mkdir()
    write_tone(staging / "a.wav", 4.0)
    zipped = mp3g / "Zipband - Mittagslicht.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("Zipband - Mittagslicht.cdg", cdg.data)
        archive.write(staging / "a.wav", "Zipband - Mittagslicht.wav")
    junk = mp3g / "Fotos.zip"
    with zipfile.ZipFile(junk, "w") as archive:
        archive.writestr("urlaub.txt", "kein Lied")
    lonely_cdg = root / "Lose" / "Nur Bild.cdg"
    lonely_cdg.parent.mkdir()
    lonely_cdg.write_bytes(cdg.data)
    midi = root / "MIDI"
    midi.mkdir()
    kar = midi / "twinkle.kar"
    kar.write_bytes((wild_root() / "kar" / "dmidiplayer_twinkle.kar").read_bytes())
    broken = midi / "kaputt.kar"
    broken.write_bytes(kar.read_bytes()[:3000])
    anime = root / "Anime"
    anime.mkdir()
    video = write_video(anime / "Sternschnuppe.mp4", 3.0, rgb=(200, 40, 40))
    (anime / "Sternschnuppe.ass").write_text(ASS_SONG, encoding="utf-8")
    return Library(
        root=root,
        ultrastar=us / "Wolkenlied.txt",
        cdg_pair=pair,
        cdg_zip=zipped,
        kar=kar,
        ass_video=video,
        lonely_cdg=lonely_cdg,
        lonely_audio=lonely_audio,
        junk_zip=junk,
        broken_kar=broken,
        no_mp3=broken_us / "Ohne Ton.txt",
    )
