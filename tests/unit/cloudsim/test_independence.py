"""cloudsim is built from the documents, not from the clients it is meant to test.

An emulator that validates requests with the client's models or checks signatures with
the client's signer agrees with the client's bugs. The only ktvdesk code it may use is
the domain data around the catalog: paths to the demo library, and the lyrics parser that
turns the demo songs' LRC files into the VTT Yinsuda serves.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ktvdesk.cloudsim

ALLOWED = {
    "ktvdesk",  # `from ktvdesk import paths`
    "ktvdesk.paths",
    "ktvdesk.lyrics",  # catalog.py only: demo lyrics → VTT (domain data, not a protocol)
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("ktvdesk") and not name.startswith("ktvdesk.cloudsim")}


def test_cloudsim_imports_no_client_code() -> None:
    folder = Path(ktvdesk.cloudsim.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert len(modules) >= 10
    offending = {path.name: _imports(path) - ALLOWED for path in modules}
    assert {name: found for name, found in offending.items() if found} == {}
    lyrics_users = sorted(path.name for path in modules if "ktvdesk.lyrics" in _imports(path))
    assert lyrics_users in ([], ["catalog.py"])
