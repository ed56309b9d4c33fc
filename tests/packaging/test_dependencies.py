"""What the wheel declares matches what ktvdesk imports, and installed code finds its
resources through `ktvdesk.paths` only.

Static checks over the real source: every third-party module imported anywhere under
ktvdesk/ (lazy imports inside functions included) must come from a distribution listed
in pyproject's runtime `dependencies`, and every runtime dependency must show its licence
in the About dialog.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.packaging.conftest import REPO

# A handler for any of these makes an import optional (the code runs on without it).
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dependencies() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project["dependencies"]:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        assert match, requirement
        names.add(normalise(match.group(1)))
    return names


def _optional(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside `try: … except ImportError` (or a broader handler) or `if TYPE_CHECKING:`."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Try) and child in parent.body:
            for handler in parent.handlers:
                caught = handler.type
                if caught is None:  # bare except
                    return True
                names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
                if any(isinstance(n, ast.Name) and n.id in IMPORT_ERRORS for n in names):
                    return True
        if isinstance(parent, ast.If) and "TYPE_CHECKING" in ast.unparse(parent.test):
            return True
        child, parent = parent, parents.get(parent)
    return False


def third_party_imports() -> Iterator[tuple[str, Path, int]]:
    for path in sorted((REPO / "ktvdesk").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top == "ktvdesk" or top in sys.stdlib_module_names or _optional(node, parents):
                    continue
                yield top, path.relative_to(REPO), node.lineno


def test_every_runtime_import_is_a_declared_dependency() -> None:
    declared = runtime_dependencies()
    providers = packages_distributions()
    problems = []
    for module, path, line in third_party_imports():
        dists = {normalise(d) for d in providers.get(module, [])}
        if not dists:
            problems.append(f"{path}:{line}: imports {module}, which no installed distribution provides")
        elif not dists & declared:
            problems.append(
                f"{path}:{line}: imports {module} from {sorted(dists)}, not in [project] dependencies"
            )
    assert not problems, "\n".join(problems)


def test_the_scan_sees_lazy_imports() -> None:
    # vlc is imported inside a function only: a scan of module-level imports would miss it.
    found = {module for module, _, _ in third_party_imports()}
    assert {"vlc", "PySide6", "httpx", "pydantic"} <= found


def test_every_runtime_dependency_shows_its_licence_in_about() -> None:
    from ktvdesk.ui.about import COMPONENTS

    shown = {normalise(c.distribution) for c in COMPONENTS if c.distribution}
    missing = runtime_dependencies() - shown
    assert not missing, f"add these to ktvdesk/ui/about.py COMPONENTS with their licence: {sorted(missing)}"


def _resources_from_file(node: ast.AST) -> bool:
    """`Path(__file__)… / "resources"` or `os.path.join(…__file__…, "resources")`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        right = node.right
        names_resources = (
            isinstance(right, ast.Constant)
            and isinstance(right.value, str)
            and right.value.split("/")[0] == "resources"
        )
        return names_resources and "__file__" in ast.unparse(node.left)
    if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("path.join"):
        text = ast.unparse(node)
        return "__file__" in text and any(
            isinstance(a, ast.Constant) and a.value == "resources" for a in node.args
        )
    return False


def test_only_ktvdesk_paths_locates_the_bundled_resources() -> None:
    """A wheel ships resources/ as ktvdesk/resources (and a PyInstaller bundle keeps that
    layout): a module that builds `…/resources` from its own `__file__` finds them in a
    source checkout and nowhere else. `paths.resources_dir()` knows both places."""
    offenders = []
    for path in sorted((REPO / "ktvdesk").rglob("*.py")):
        if path == REPO / "ktvdesk" / "paths.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [
            f"{path.relative_to(REPO)}:{n.lineno}"
            for n in ast.walk(tree)
            if isinstance(n, ast.expr) and _resources_from_file(n)
        ]
    assert not offenders, (
        "use ktvdesk.paths.resources_dir() / demo_library_dir() instead of a path built from __file__: "
        + ", ".join(offenders)
    )


def test_the_resources_guard_recognises_the_patterns() -> None:
    bad = [
        'Path(__file__).resolve().parents[3] / "resources" / "demo"',
        'Path(__file__).parent / "resources/icons"',
        'os.path.join(os.path.dirname(__file__), "resources")',
    ]
    good = ['paths.resources_dir() / "demo"', 'payload["resources"]', 'base / "resources"']
    for source, expected in [(s, True) for s in bad] + [(s, False) for s in good]:
        tree = ast.parse(source)
        assert any(_resources_from_file(n) for n in ast.walk(tree)) is expected, source
