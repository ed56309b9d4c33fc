"""Singing sits at the lyrics level of the layers contract: it imports nothing above it.

A static check of every import statement in `ktvdesk/singing` (also the ones inside
functions, which import-linter sees too), so the rule fails here in the unit run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ktvdesk.singing

ABOVE_SINGING = (
    "ktvdesk.catalog",
    "ktvdesk.playback",
    "ktvdesk.storage",
    "ktvdesk.refresh",
    "ktvdesk.session",
    "ktvdesk.queue_mirror",
    "ktvdesk.scoring",
    "ktvdesk.kiosk",
    "ktvdesk.remote",
    "ktvdesk.venue",
    "ktvdesk.services",
    "ktvdesk.ui",
    "ktvdesk.cli",
)


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_singing_imports_nothing_above_its_layer() -> None:
    package = Path(ktvdesk.singing.__file__).parent
    offending = [
        f"{path.name} -> {name}"
        for path in sorted(package.glob("*.py"))
        for name in _imported_modules(path)
        if name.startswith(ABOVE_SINGING)
    ]
    assert len(list(package.glob("*.py"))) > 5
    assert offending == []
