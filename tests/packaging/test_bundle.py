"""The PyInstaller one-folder app (`make bundle`), run as a user would: from outside the
source tree, on the system libVLC.

Building takes about two minutes on two cores, so this is not part of `make test`:
    KTVDESK_TEST_BUNDLE=build  .venv/bin/pytest tests/packaging/test_bundle.py   # builds into a temp dir
    KTVDESK_TEST_BUNDLE=dist/bundle/ktvdesk  .venv/bin/pytest …                  # checks a built one
(`make bundle` installs PyInstaller into the venv.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ktvdesk
from tests.packaging.conftest import REPO, child_env, png_size

CHOICE = os.environ.get("KTVDESK_TEST_BUNDLE", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        not CHOICE, reason="set KTVDESK_TEST_BUNDLE=build (or a bundle folder) to test the bundle"
    ),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if CHOICE != "build":
        folder = (REPO / CHOICE).resolve()
        assert (folder / "ktvdesk").is_file(), f"no bundle at {folder}: run make bundle"
        return folder
    work = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    assert pyinstaller.exists(), "PyInstaller is not installed: run make bundle once (it installs it)"
    proc = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(REPO / "packaging" / "ktvdesk.spec")],
        check=False, cwd=REPO, capture_output=True, text=True, timeout=840,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work / "dist" / "ktvdesk"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


def run(bundle: Path, home: Path, *args: str, exe: str = "ktvdesk") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / exe), *args],
        check=False,
        cwd=home,
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_version(bundle: Path, home: Path) -> None:
    for exe in ("ktvdesk", "ktvdesk-cli"):
        proc = run(bundle, home, "--version", exe=exe)
        assert proc.returncode == 0 and proc.stdout.strip() == f"ktvdesk {ktvdesk.__version__}", proc.stderr


def test_screenshot(bundle: Path, home: Path) -> None:
    proc = run(bundle, home, "--screenshot", "out.png", "--debug")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "playback on" in proc.stderr, "the bundle did not reach the system libVLC"
    width, height = png_size((home / "out.png").read_bytes())
    assert width >= 640 and height >= 400


def test_resources_inside_and_no_libvlc_copy(bundle: Path) -> None:
    resources = bundle / "_internal" / "ktvdesk" / "resources"
    assert (resources / "themes" / "dark.qss").is_file()
    assert list((resources / "demo").rglob("*.lrc"))
    # Linux: the system libVLC and its plugins, never a mismatched copy.
    assert not [p for p in bundle.rglob("libvlc*") if p.is_file()]


def test_lazy_subcommands_and_system_libvlc_playback(bundle: Path, home: Path) -> None:
    demo = sorted((bundle / "_internal" / "ktvdesk" / "resources" / "demo").glob("*.mkv"))[0]
    lyrics = run(bundle, home, "lyrics", "parse", str(demo.with_suffix(".lrc")), "--json", exe="ktvdesk-cli")
    assert lyrics.returncode == 0, lyrics.stderr
    assert json.loads(lyrics.stdout)["lines"]
    play = run(
        bundle, home, "play", str(demo), "--headless", "--seconds", "1", "--report", "json", exe="ktvdesk-cli"
    )
    assert play.returncode == 0, play.stderr
    summary = json.loads(play.stdout.strip().splitlines()[-1])
    assert summary["errors"] == 0 and summary["position_ms"] > 0
