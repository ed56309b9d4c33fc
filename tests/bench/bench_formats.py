"""Karaoke formats (issue 18): parse throughput side by side, and a 100,000-file library scan.

Run: `.venv/bin/pytest tests/bench/bench_formats.py -s` (make bench). KTVDESK_BENCH_FILES
sets the size of the scanned tree (default 100,000 files).

* UltraStar: ours (headers, notes → ms, lines, melody) against a naive line-by-line
  parser written here (split on whitespace, no BOM/encoding/relative/duet handling) and
  `ultrastarparser` from PyPI (headers and raw body lines only: it computes no times).
* ASS: our karaoke extraction (events + Aegisub syllables) against `pysubs2` only loading
  the file (no syllables at all).
* KAR: our Soft Karaoke extraction (own SMF reader, tempo map, lines, melody) against
  `mido` only loading the file and walking its merged messages.
* Scan: a tree of tiny files of every kind (UltraStar folders, MP3+G pairs and zips,
  .kar, ASS and LRC sidecars, plain audio), first scan and rescan, against a bare
  `os.scandir` walk of the same tree.

Figures are best-of-N CPU times in this run; read the ratios.
"""

from __future__ import annotations

import io
import os
import time
import wave
import zipfile
from collections.abc import Callable
from pathlib import Path

import mido
import pysubs2
import pytest
from ultrastarparser import versions as usp_versions

from ktvdesk.catalog.local import LibraryIndex
from ktvdesk.lyrics.ass import parse_ass_text
from ktvdesk.lyrics.midi import parse_midi
from ktvdesk.lyrics.ultrastar import parse_ultrastar
from tests.unit.formats.cdg_encoder import make_cdg

REPEATS = 5
FILES = int(os.environ.get("KTVDESK_BENCH_FILES", "100000"))


def best_of(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def report(name: str, ours: float, others: dict[str, float], unit: str) -> None:
    print(f"\n{name}: ours {ours * 1000:.1f} ms per {unit}")
    for other, seconds in others.items():
        print(f"  {other}: {seconds * 1000:.1f} ms  (ours / theirs = {ours / seconds:.2f})")


# ---- UltraStar ----------------------------------------------------------------------


def ultrastar_song(notes: int = 20_000) -> bytes:
    rows = ["#TITLE:Benchmark", "#ARTIST:Synth", "#MP3:x.mp3", "#BPM:312,5", "#GAP:1200"]
    beat = 0
    for i in range(notes):
        kind = ":*FRG"[i % 5] if i % 7 == 0 else ":"
        rows.append(f"{kind} {beat} 3 {i % 24 - 5} la{i % 13} ")
        beat += 4
        if i % 8 == 7:
            rows.append(f"- {beat}")
            beat += 2
    rows.append("E")
    return ("\n".join(rows) + "\n").encode()


def naive_ultrastar(data: bytes) -> list[tuple[float, float, int, str]]:
    """The obvious parser: split each line, no encodings, no relative mode, no duets."""
    text = data.decode("utf-8", "replace")
    headers: dict[str, str] = {}
    notes: list[tuple[float, float, int, str]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            headers[key.upper()] = value
        elif line[:1] in (":", "*", "F", "R", "G"):
            parts = line.split(" ", 4)
            bpm = float(headers["BPM"].replace(",", "."))
            gap = float(headers.get("GAP", "0"))
            beat_ms = 60000 / (bpm * 4)
            start = gap + int(parts[1]) * beat_ms
            notes.append(
                (start, start + int(parts[2]) * beat_ms, int(parts[3]), parts[4] if len(parts) > 4 else "")
            )
        elif line.startswith("E"):
            break
    return notes


def ultrastarparser_parse(data: bytes) -> object:
    text = data.decode("utf-8", "ignore").removeprefix("\ufeff")
    song = usp_versions.ultrastar_version_factory(text)
    song.parse(text)
    return song


def test_ultrastar_throughput() -> None:
    data = ultrastar_song()
    lyrics = parse_ultrastar(data)
    assert lyrics.melody is not None and len(lyrics.melody.notes) == 20_000
    assert len(naive_ultrastar(data)) == 20_000
    ours = best_of(lambda: parse_ultrastar(data))
    report(
        "UltraStar, 20,000 notes",
        ours,
        {
            "naive line-by-line": best_of(lambda: naive_ultrastar(data)),
            "ultrastarparser (PyPI, no timing)": best_of(lambda: ultrastarparser_parse(data)),
        },
        "song",
    )
    print(f"  ours: {20_000 / ours:,.0f} notes/s")


# ---- ASS ----------------------------------------------------------------------------


def ass_file(events: int = 5000) -> str:
    rows = [
        "[Script Info]",
        "ScriptType: v4.00+",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    for i in range(events):
        start = i * 3
        syllables = "".join(f"{{\\k{20 + k}}}ka{k}" for k in range(8))
        rows.append(f"Dialogue: 0,0:{start // 60 % 60:02d}:{start % 60:02d}.00,0:{start // 60 % 60:02d}:"
                    f"{start % 60:02d}.90,Default,,0,0,0,,{{\\fad(100,0)}}{syllables}")  # fmt: skip
        if i % 10 == 0:
            rows.append("Comment: 0,0:00:00.00,0:00:00.00,Default,,0,0,0,template line,{\\pos($x,$y)}")
    return "\n".join(rows) + "\n"


def test_ass_karaoke_extraction() -> None:
    text = ass_file()
    lyrics = parse_ass_text(text)
    assert sum(len(line.words) for line in lyrics.lines) == 5000 * 8
    report(
        "ASS, 5,000 karaoke events (8 syllables each)",
        best_of(lambda: parse_ass_text(text)),
        {
            "pysubs2 loading only (no syllables)": best_of(
                lambda: pysubs2.SSAFile.from_string(text, format_="ass")
            )
        },
        "file",
    )


# ---- KAR ----------------------------------------------------------------------------


def kar_file(syllables: int = 5000) -> bytes:
    song = mido.MidiFile(type=1, ticks_per_beat=480)
    headers = mido.MidiTrack([mido.MetaMessage("text", text=t) for t in ("@KMIDI KARAOKE FILE", "@TBench")])
    headers.append(mido.MetaMessage("set_tempo", tempo=500000))
    words = mido.MidiTrack()
    melody = mido.MidiTrack()
    accompaniment = mido.MidiTrack()
    for i in range(syllables):
        words.append(
            mido.MetaMessage("text", text=("/" if i % 8 == 0 else "") + f"la{i % 10} ", time=240 if i else 0)
        )
        melody.append(mido.Message("note_on", note=60 + i % 12, velocity=90, time=0 if i == 0 else 40))
        melody.append(mido.Message("note_off", note=60 + i % 12, velocity=0, time=200))
        for k in range(3):
            accompaniment.append(mido.Message("note_on", note=48 + k * 4, velocity=60, channel=2, time=0))
        for k in range(3):
            accompaniment.append(
                mido.Message("note_off", note=48 + k * 4, velocity=0, channel=2, time=240 if k == 0 else 0)
            )
    song.tracks.extend([headers, words, melody, accompaniment])
    buffer = io.BytesIO()
    song.save(file=buffer)
    return buffer.getvalue()


def mido_alone(data: bytes) -> int:
    song = mido.MidiFile(file=io.BytesIO(data))
    return sum(1 for message in song if message.is_meta and message.type == "text")


def test_kar_lyric_extraction() -> None:
    data = kar_file()
    lyrics = parse_midi(data)
    assert sum(len(line.words) for line in lyrics.lines) == 5000
    assert lyrics.melody is not None and len(lyrics.melody.notes) == 5000
    report(
        "KAR, 5,000 syllables, 20,000 notes",
        best_of(lambda: parse_midi(data)),
        {"mido loading + walking messages only": best_of(lambda: mido_alone(data))},
        "file",
    )


# ---- scan ---------------------------------------------------------------------------


def _tiny_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(1600))
    return buffer.getvalue()


def make_tree(root: Path, files: int) -> int:
    """About `files` tiny files of every kind; returns how many were written."""
    wav = _tiny_wav()
    cdg = make_cdg(seconds=0.2).data
    kar = kar_file(8)
    ultrastar = b"#TITLE:Lied %d\n#ARTIST:Chor\n#MP3:a.wav\n#BPM:300\n#GAP:0\n: 0 4 0 la\n: 5 4 2 le\nE\n"
    ass = "[Script Info]\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    ass += "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\k50}la{\\k50}le\n"
    written = 0
    folder_index = 0
    while written < files:
        folder = root / f"f{folder_index // 100:03d}" / f"d{folder_index:05d}"
        folder.mkdir(parents=True)
        kind = folder_index % 6
        if kind == 0:  # UltraStar folder: txt + audio
            (folder / "song.txt").write_bytes(ultrastar % folder_index)
            (folder / "a.wav").write_bytes(wav)
            written += 2
        elif kind == 1:  # MP3+G pairs
            for k in range(5):
                (folder / f"SC{folder_index:04d}-{k:02d} - Band {k} - Titel {folder_index}.cdg").write_bytes(
                    cdg
                )
                (folder / f"SC{folder_index:04d}-{k:02d} - Band {k} - Titel {folder_index}.wav").write_bytes(
                    wav
                )
            written += 10
        elif kind == 2:  # zipped pairs
            for k in range(3):
                with zipfile.ZipFile(folder / f"Band - Zip {folder_index} {k}.zip", "w") as archive:
                    archive.writestr("x.cdg", cdg)
                    archive.writestr("x.wav", wav)
            written += 3
        elif kind == 3:  # MIDI karaoke
            for k in range(10):
                (folder / f"Lied {folder_index} {k}.kar").write_bytes(kar)
            written += 10
        else:  # old kinds: audio with LRC or ASS sidecars
            for k in range(8):
                (folder / f"Sänger - Lied {folder_index} {k}.wav").write_bytes(wav)
                sidecar = folder / f"Sänger - Lied {folder_index} {k}.{'lrc' if kind == 4 else 'ass'}"
                sidecar.write_text("[00:01.00]la le\n" if kind == 4 else ass, encoding="utf-8")
            written += 16
        folder_index += 1
    return written


def walk(root: Path) -> int:
    count = 0
    stack = [os.fsencode(root)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    stack.append(entry.path)
                else:
                    entry.stat()
                    count += 1
    return count


@pytest.mark.timeout(1800)
def test_scan_mixed_tree(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    started = time.perf_counter()
    written = make_tree(root, FILES)
    print(f"\nscan: wrote {written:,} files in {time.perf_counter() - started:.1f} s")
    walk_s = best_of(lambda: walk(root), repeats=3)
    with LibraryIndex(tmp_path / "lib.db") as index:
        start = time.perf_counter()
        first = index.scan(root)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = index.scan(root)
        again_s = time.perf_counter() - start
    songs = first.added
    assert again.unchanged == songs and again.added == again.updated == 0
    print(f"scan of {written:,} files → {songs:,} songs ({len(first.unplayable)} unplayable)")
    print(f"  bare os.scandir walk (CPU): {walk_s:.2f} s")
    print(
        f"  first scan (wall): {first_s:.1f} s  ({first_s / walk_s:.0f}× the walk, {songs / first_s:,.0f} songs/s)"
    )
    print(f"  rescan, nothing changed (wall): {again_s:.1f} s  ({again_s / walk_s:.1f}× the walk)")
