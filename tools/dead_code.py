"""`python tools/dead_code.py` (`make lint`): vulture over the runtime package, with a whitelist.

What counts as used: a use inside `ktvdesk/`. A function only the tests call is dead in
the app and is reported (tests of code nobody runs prove nothing about the app).

Reported: unused functions, methods, classes, properties and imports at vulture's 60%
confidence, and anything at 100% (unused arguments, unreachable code). Not reported:
unused class-level variables and attributes below 100%. In this code base those are
pydantic wire fields, enum members and dataclass fields, which are read by pydantic, by
`asdict` or by the other end of a protocol, where vulture cannot see them: at 60% they are
all noise and would drown the signal.

Framework hooks (Qt's virtual methods, module `__getattr__`, httpx's `auth_flow`) are
skipped by name below; everything else that is kept on
purpose is listed in `tools/vulture_whitelist.py` with the reason. A whitelist entry that
no longer matches a finding is reported as stale (a warning: delete the entry).
"""

from __future__ import annotations

import sys
from pathlib import Path

from vulture import Vulture

sys.path.insert(0, str(Path(__file__).parent))
from vulture_whitelist import KEPT

REPO = Path(__file__).resolve().parents[1]
MIN_CONFIDENCE = 60
SILENT_BELOW_100 = {"variable", "attribute"}  # see the module docstring

# Called by frameworks, never by our code.
FRAMEWORK_HOOKS = [
    "*Event",  # Qt: paintEvent, closeEvent, mousePressEvent, contextMenuEvent, …
    "eventFilter",
    "rowCount",
    "columnCount",
    "headerData",
    "__getattr__",  # PEP 562 lazy module attributes
    "auth_flow",  # httpx.Auth
]
PYDANTIC_HOOKS = ["@field_validator", "@model_validator", "@field_serializer", "@model_serializer"]


def findings() -> list[tuple[str, str, str]]:
    """(path relative to the repo, name, vulture's message) of every dead item."""
    vulture = Vulture(ignore_names=FRAMEWORK_HOOKS, ignore_decorators=PYDANTIC_HOOKS)
    vulture.scavenge([str(REPO / "ktvdesk")])
    found = []
    for item in vulture.get_unused_code(min_confidence=MIN_CONFIDENCE):
        if item.typ in SILENT_BELOW_100 and item.confidence < 100:
            continue
        path = Path(item.filename).resolve().relative_to(REPO).as_posix()
        found.append((path, item.name, item.get_report(add_size=False)))
    return found


def main() -> int:
    found = findings()
    dead = [(path, name, report) for path, name, report in found if (path, name) not in KEPT]
    matched = {(path, name) for path, name, _ in found}
    for path, name in sorted(set(KEPT) - matched):
        print(f"warning: stale whitelist entry {path}: {name} (remove it from tools/vulture_whitelist.py)")
    for _, _, report in sorted(dead):
        print(report.replace(str(REPO) + "/", ""))
    if dead:
        print(f"{len(dead)} unused items: delete them, use them, or whitelist them with a reason")
    return 1 if dead else 0


if __name__ == "__main__":
    raise SystemExit(main())
