"""`python -m ktvdesk score` end to end, in a subprocess, on real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ktvdesk.lyrics import parse_lyrics
from ktvdesk.singing.audio import write_wav
from tests.unit.singing.demo_truth import DEMO, true_melody
from tests.unit.singing.voices import noise, voice

ULTRASTAR = """#TITLE:Little Steps
#ARTIST:ktvdesk tests
#MP3:steps.ogg
#BPM:150
#GAP:500
: 0 3 0 Lit
: 4 3 2 tle
* 8 6 4 steps
- 16
: 18 3 5 up
: 22 3 7 the
: 26 6 9 hill
- 34
: 36 3 7 and
: 40 3 5 down
F 44 4 4 a
: 48 8 0 gain
E
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "score", *args],
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )


def test_ultrastar_notes_file(tmp_path: Path) -> None:
    txt = tmp_path / "steps.txt"
    txt.write_text(ULTRASTAR, encoding="utf-8")
    melody = parse_lyrics(txt.read_bytes()).melody
    assert melody is not None
    for name, semitones in (("on", 0.0), ("off", 3.0)):
        write_wav(tmp_path / f"{name}.wav", voice(melody, semitones=semitones))
    on = _run(str(txt), "--sung", str(tmp_path / "on.wav"), "--json")
    assert on.returncode == 0, on.stderr
    result = json.loads(on.stdout)
    assert result["reference"] == "notes"
    assert result["score"] >= 95 and result["grade"] in {"SSS", "SS"}
    assert [set(line) >= {"start_ms", "end_ms", "score"} for line in result["lines"]] == [True] * 3
    assert result["lines"][0]["start_ms"] == 500
    off = json.loads(_run(str(txt), "--sung", str(tmp_path / "off.wav"), "--json").stdout)
    assert off["score"] <= 30


@pytest.mark.parametrize(
    ("media", "title"),
    [
        ("split/Twinkle Twinkle Little Star-Jane Taylor.ogg", "Twinkle Twinkle Little Star"),
        ("separate/两只老虎.opus", "两只老虎"),
    ],
)
def test_vocal_track_of_a_local_song(tmp_path: Path, media: str, title: str) -> None:
    truth = true_melody(title)
    write_wav(tmp_path / "late.wav", voice(truth, delay_ms=150))
    write_wav(tmp_path / "noise.wav", noise((truth.end_ms + 1000) / 1000))
    args = [str(DEMO / media), "--db", str(tmp_path / "library.db"), "--json"]
    late = _run(*args, "--sung", str(tmp_path / "late.wav"), "--latency-ms", "150")
    assert late.returncode == 0, late.stderr
    result = json.loads(late.stdout)
    assert result["reference"] == "vocal-track"
    assert result["score"] >= 95
    assert len(result["lines"]) >= 6  # lines from the song's lyrics
    noisy = json.loads(_run(*args, "--sung", str(tmp_path / "noise.wav")).stdout)  # cached melody
    assert noisy["score"] <= 15


def test_no_reference_is_exit_2_and_one_line(tmp_path: Path) -> None:
    write_wav(tmp_path / "sung.wav", np.zeros(16000, dtype=np.float32))
    shutil.copy(DEMO / "separate" / "两只老虎_伴奏.opus", tmp_path / "两只老虎_伴奏.opus")
    done = _run(str(tmp_path / "两只老虎_伴奏.opus"), "--sung", str(tmp_path / "sung.wav"), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "No score for this song" in done.stderr and "no original vocal track" in done.stderr


def test_a_file_with_no_voice_in_it_has_no_reference(tmp_path: Path) -> None:
    write_wav(tmp_path / "hiss.wav", noise(5.0))
    done = _run(str(tmp_path / "hiss.wav"), "--sung", str(tmp_path / "hiss.wav"))
    assert done.returncode == 2
    assert "no voice found" in done.stderr and "Traceback" not in done.stderr


def test_bad_arguments_are_one_line(tmp_path: Path) -> None:
    done = _run(str(tmp_path / "missing.mkv"), "--sung", str(tmp_path / "missing.wav"))
    assert done.returncode == 2 and done.stderr.startswith("ktvdesk score: no such file")


def test_catalog_song_scored_against_its_pitch_file(tmp_path: Path) -> None:
    """`--provider yinsuda` against cloudsim over loopback: the MidiUrl pitch file is the reference."""
    import os

    from ktvdesk.cloudsim import start_in_thread
    from ktvdesk.cloudsim.catalog import pitch_bytes
    from ktvdesk.singing.reference import read_pitch_file

    sim = start_in_thread(catalog_size=200)
    try:
        playable = [
            s for s in sim.state.catalog.songs if s.id.startswith("mid-") and s.has_lyrics and not s.status
        ]
        with_pitch = next(s for s in playable if s.has_pitch)
        without = next(s for s in playable if not s.has_pitch)
        melody = read_pitch_file(pitch_bytes(with_pitch))
        write_wav(tmp_path / "sung.wav", voice(melody, semitones=-12))
        env = {k: v for k, v in os.environ.items() if not k.startswith("KTVDESK_")}
        env.update(sim.yinsuda_env())
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
        env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
        base = [sys.executable, "-m", "ktvdesk", "score", "--provider", "yinsuda", "--endpoint", sim.base_url]

        def score(song_id: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*base, song_id, "--sung", str(tmp_path / "sung.wav"), "--json"],
                capture_output=True, text=True, timeout=170, check=False, env=env,
            )  # fmt: skip

        done = score(with_pitch.id)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["reference"] == "pitch-file" and result["score"] >= 90
        missing = score(without.id)
        assert missing.returncode == 2 and "no pitch file" in missing.stderr
    finally:
        sim.stop()
