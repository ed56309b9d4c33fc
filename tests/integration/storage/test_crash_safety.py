"""SIGKILL the writer at random moments, many times: the database stays whole and keeps
every acknowledged queue and favorite change. The machinery lives in crash_writer.py
(shared with tests/bench/bench_storage.py, which runs many more kills)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

KILLS = 40
SEED = 20261122


def _crash_writer() -> ModuleType:
    path = Path(__file__).with_name("crash_writer.py")
    spec = importlib.util.spec_from_file_location("ktvdesk_storage_crash_writer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_every_acknowledged_change_survives_sigkill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _crash_writer().run_kill_rounds(tmp_path / "user.sqlite3", kills=KILLS, seed=SEED)
    assert report.failures == []
    assert report.kills == KILLS
    assert report.acks > KILLS  # the kills really landed mid-stream, after real work
    assert report.fresh_database_kills > 0  # some landed while the schema was being created
    assert report.mid_write_kills > 0
    with capsys.disabled():
        print(
            f"\ncrash safety: {report.kills} SIGKILLs survived, {report.acks} acknowledged changes verified, "
            f"{report.mid_write_kills} kills aimed mid-write, "
            f"{report.in_flight_committed} unacknowledged commits found, "
            f"{report.fresh_database_kills} kills during database creation"
        )
