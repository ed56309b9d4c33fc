"""The wild karaoke corpus, read where it lies (`../shared/corpus/wild/`), never copied.

Its expected values were computed without ktvdesk (see its README).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
CORPUS_ENV = "KTVDESK_WILD_CORPUS"


def _candidates() -> list[Path]:
    """`../shared/corpus/wild` beside the checkout; for a clone made elsewhere (CI clones
    the working repository), beside the repository it was cloned from; or where
    KTVDESK_WILD_CORPUS says."""
    found = [Path(os.environ[CORPUS_ENV])] if os.environ.get(CORPUS_ENV) else []
    found.append(REPO.parent / "shared" / "corpus" / "wild")
    origin = subprocess.run(
        ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if origin and "://" not in origin and Path(origin).is_dir():
        found.append(Path(origin).resolve().parent / "shared" / "corpus" / "wild")
    return found


@functools.cache
def wild_root() -> Path:
    candidates = _candidates()
    for folder in candidates:
        if (folder / "expected.json").is_file():
            return folder
    tried = ", ".join(str(p) for p in candidates)
    pytest.fail(f"the wild karaoke corpus is missing (tried {tried}; set {CORPUS_ENV})")


def load_expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((wild_root() / "expected.json").read_text(encoding="utf-8"))
    return data


def wild_bytes(path: str, entry: dict[str, Any]) -> bytes:
    """The corpus file, after checking it is the very file the values were computed on."""
    data = (wild_root() / path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"], f"{path} changed since expected.json"
    return data


def corpus_paths(kind: str) -> list[str]:
    return sorted(path for path, entry in load_expected().items() if entry["kind"] == kind)
