"""The `ktvdesk lyrics` command, run as users and scripts run it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ktvdesk.lyrics import encode_krc


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "lyrics", *map(str, args)],
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def krc_file(tmp_path: Path) -> Path:
    path = tmp_path / "song.krc"
    path.write_bytes(encode_krc("[ti:晨曲]\r\n[offset:100]\r\n[1000,1000]<0,400,0>早<400,600,0>安\r\n"))
    return path


def test_parse_json_has_exactly_the_documented_shape(krc_file: Path) -> None:
    result = run_cli("parse", krc_file, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout.decode("utf-8"))
    assert doc == {
        "format": "krc",
        "meta": {"title": "晨曲", "offset": "100"},
        "offset_ms": 100,
        "lines": [
            {
                "start_ms": 900,
                "end_ms": 1900,
                "text": "早安",
                "translation": None,
                "romanization": None,
                "words": [
                    {"start_ms": 900, "end_ms": 1300, "text": "早"},
                    {"start_ms": 1300, "end_ms": 1900, "text": "安"},
                ],
            }
        ],
    }


def test_parse_with_explicit_format_and_human_output(krc_file: Path) -> None:
    result = run_cli("parse", krc_file, "--format", "krc")
    assert result.returncode == 0
    assert "早安" in result.stdout.decode("utf-8")


def test_convert_to_enhanced_lrc_file(krc_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "song.lrc"
    result = run_cli("convert", krc_file, "--to", "enhanced-lrc", "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "[ti:晨曲]\n[00:00.900]<00:00.900>早<00:01.300>安<00:01.900>\n"


def test_convert_to_plain_lrc_on_stdout(krc_file: Path) -> None:
    result = run_cli("convert", krc_file, "--to", "lrc")
    assert result.stdout.decode("utf-8") == "[ti:晨曲]\n[00:00.900]早安\n[00:01.900]\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n not lyrics at all", "not recognised"),
        (b"krc1\x00garbage", "inflate"),
        (b"[ti:nothing timed]\n[00:01.00]\n", "no timed lines"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.lrc"
    path.write_bytes(content)
    result = run_cli("parse", path, "--json")
    assert result.returncode == 2
    assert result.stdout == b""
    err = result.stderr.decode("utf-8")
    assert err.count("\n") == 1 and expected in err
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("convert", tmp_path / "nope.krc", "--to", "lrc")
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "cannot read" in result.stderr.decode()


def test_unwritable_output_exits_2(krc_file: Path, tmp_path: Path) -> None:
    result = run_cli("convert", krc_file, "--to", "lrc", "-o", tmp_path / "missing-dir" / "x.lrc")
    assert result.returncode == 2
    assert "cannot write" in result.stderr.decode() and "Traceback" not in result.stderr.decode()
