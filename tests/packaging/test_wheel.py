"""`make dist` end to end: build the sdist and the wheel, install the wheel into a fresh
virtual environment, and run the installed `ktvdesk` from outside the source tree.

Real everything: `python -m build` (isolated build, as `make dist`), `python -m venv`, pip
(it fetches the dependencies through the machine's package index and its cache), and the
GUI rendering offscreen.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest

import ktvdesk
from tests.packaging.conftest import REPO, child_env, png_size

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel: Path


@dataclass(frozen=True)
class Installed:
    venv: Path
    home: Path  # a working folder outside the repository

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout_s: int = 300) -> str:
    proc = subprocess.run(
        cmd, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout_s
    )
    assert proc.returncode == 0, (
        f"{cmd} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], cwd=REPO)
    (sdist,) = out.glob("ktvdesk-*.tar.gz")
    (wheel,) = out.glob("ktvdesk-*.whl")
    return Built(sdist, wheel)


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("fresh")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(built.wheel)],
        cwd=root,
        env=child_env(root),
    )
    home = root / "user"
    home.mkdir()
    yield Installed(venv, home)


def resource_files(names: list[str], prefix: str) -> set[str]:
    return {name[len(prefix) :] for name in names if name.startswith(prefix) and not name.endswith("/")}


def test_wheel_and_sdist_carry_every_resource(built: Built) -> None:
    expected = {
        str(path.relative_to(REPO / "resources"))
        for path in (REPO / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert any(name.startswith("demo/") for name in expected), "the source tree has no demo songs"
    assert "themes/dark.qss" in expected
    with zipfile.ZipFile(built.wheel) as wheel:
        in_wheel = resource_files(wheel.namelist(), "ktvdesk/resources/")
        (metadata_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    assert in_wheel == expected
    with tarfile.open(built.sdist) as sdist:
        files = [member.name for member in sdist.getmembers() if member.isfile()]
        top = files[0].split("/")[0]
        in_sdist = resource_files(files, f"{top}/resources/")
        assert f"{top}/setup.py" in files
    assert in_sdist == expected
    assert metadata["Version"] == ktvdesk.__version__
    requires = {req.split(";")[0].strip() for req in metadata.get_all("Requires-Dist") or []}
    assert any(req.startswith("PySide6-Essentials") for req in requires)
    assert any(req.startswith("python-vlc") for req in requires)


def test_installed_version(installed: Installed) -> None:
    out = run(
        [str(installed.bin / "ktvdesk"), "--version"], cwd=installed.home, env=child_env(installed.home)
    )
    assert out.strip() == f"ktvdesk {ktvdesk.__version__}"


PROBE = """
import json, sysconfig
from PySide6.QtWidgets import QApplication
import ktvdesk, ktvdesk.paths as paths
from ktvdesk.ui.theme import apply_theme

app = QApplication([])
apply_theme(app, "dark")
demo = paths.demo_library_dir()
print(json.dumps({
    "site_packages": sysconfig.get_paths()["purelib"],
    "package": ktvdesk.__file__,
    "resources": str(paths.resources_dir()),
    "demo_files": sorted(p.name for p in demo.rglob("*") if p.is_file()),
    "theme_file": (paths.resources_dir() / "themes" / "dark.qss").read_text(encoding="utf-8"),
    "style_sheet": app.styleSheet(),
}))
"""


def test_resources_load_from_the_installed_package(installed: Installed) -> None:
    out = run([str(installed.bin / "python"), "-c", PROBE], cwd=installed.home, env=child_env(installed.home))
    found = json.loads(out.strip().splitlines()[-1])
    site = Path(found["site_packages"]).resolve()
    assert site.is_relative_to(installed.venv.resolve())
    assert Path(found["package"]).resolve().is_relative_to(site), "ktvdesk imported from outside the venv"
    resources = Path(found["resources"]).resolve()
    assert resources == site / "ktvdesk" / "resources"
    assert not resources.is_relative_to(REPO)
    lyric_files = [name for name in found["demo_files"] if name.endswith((".lrc", ".krc"))]
    media_files = [name for name in found["demo_files"] if name.endswith((".mkv", ".ogg", ".opus", ".mp4"))]
    assert lyric_files and media_files, found["demo_files"]
    assert found["style_sheet"] and found["style_sheet"] == found["theme_file"]


def test_installed_app_renders_a_screenshot_outside_the_source_tree(installed: Installed) -> None:
    shot = installed.home / "out.png"
    proc = subprocess.run(
        [str(installed.bin / "ktvdesk"), "--screenshot", "out.png"],
        check=False,
        cwd=installed.home,
        env=child_env(installed.home),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    width, height = png_size(shot.read_bytes())
    assert width >= 640 and height >= 400
