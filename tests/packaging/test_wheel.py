"""`make dist` end to end: build the sdist and the wheel, install the wheel into a fresh
virtual environment, and run the installed `ktvdesk` from outside the source tree.

Real everything: `python -m build` (isolated build, as `make dist`), `python -m venv`, pip
(it fetches the dependencies through the machine's package index and its cache), and the
GUI rendering offscreen.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
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
    # The fresh environment needs no pip of its own (ensurepip took 6 s): this
    # environment's pip installs into it (`--python`), resolving the wheel's declared
    # dependencies from the package index as a user's pip would. Nor are the ~2,400
    # installed modules byte-compiled ahead (another 10 s): Python compiles what the app
    # imports when it imports it.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=root)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    run([*pip, "install", "-q", "--no-compile", str(built.wheel)], cwd=root, env=child_env(root))
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


# Module names that mark code written for tests, benchmarks or the README's pictures.
TEST_ONLY_NAMES = re.compile(
    r"^(tests?|testing|conftest|test_.*|.*_test|bench_.*|soak.*|.*screenshots|fakes?|fake_.*)$"
)


def wheel_modules(wheel: Path) -> dict[str, str]:
    """Every Python module the wheel installs: dotted name -> source."""
    with zipfile.ZipFile(wheel) as archive:
        return {
            name.removesuffix(".py").removesuffix("/__init__").replace("/", "."): archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith(".py")
        }


def extra_requirements(wheel: Path) -> tuple[set[str], set[str]]:
    """(runtime distributions, distributions of the test and bench extras), normalised."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(name).decode())
    runtime: set[str] = set()
    testing: set[str] = set()
    for requirement in metadata.get_all("Requires-Dist") or []:
        spec, _, marker = requirement.partition(";")
        dist = normalise(re.split(r"[<>=!~\[ (]", spec.strip(), maxsplit=1)[0])
        if not marker:
            runtime.add(dist)
        elif re.search(r"""extra\s*==\s*["'](test|bench)["']""", marker):
            testing.add(dist)
    return runtime, testing


def normalise(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def hard_imports(source: str) -> set[str]:
    """Top-level names the module imports, except optional ones (inside a `try` that
    catches ImportError or any exception: the module works without them)."""
    names: set[str] = set()

    def visit(node: ast.AST, optional: bool) -> None:
        if isinstance(node, ast.Try):
            catches = {h.type.id if isinstance(h.type, ast.Name) else None for h in node.handlers}
            guarded = bool(catches & {"ImportError", "ModuleNotFoundError", "Exception", None})
            for child in node.body:
                visit(child, optional or guarded)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, optional)
            return
        if not optional and isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif not optional and isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child, optional)

    visit(ast.parse(source), False)
    return names


def test_the_wheel_holds_no_test_only_module(built: Built) -> None:
    modules = wheel_modules(built.wheel)
    assert "ktvdesk.session" in modules and "ktvdesk.playback.vlc_backend" in modules
    assert {name.split(".")[0] for name in modules} == {"ktvdesk"}, "a second top-level package"
    by_name = sorted(name for name in modules if any(TEST_ONLY_NAMES.match(p) for p in name.split(".")))
    assert by_name == [], f"test-only modules in the wheel: {by_name}"

    runtime, testing = extra_requirements(built.wheel)
    test_only_dists = testing - runtime
    assert {"pytest", "hypothesis"} <= test_only_dists
    # Import names -> distributions, as installed in this (test) environment.
    dists_of = {
        top: {normalise(d) for d in dists}
        for top, dists in importlib.metadata.packages_distributions().items()
    }
    offenders = {
        f"{module} imports {top}"
        for module, source in modules.items()
        for top in hard_imports(source)
        if dists_of.get(top, set()) & test_only_dists
    }
    assert not offenders, f"runtime modules need a test-only distribution: {sorted(offenders)}"
