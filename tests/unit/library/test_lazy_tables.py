"""pypinyin's tables and OpenCC's converter (most of a second together) load when a
library build or a query first needs them, not at start-up.

A fresh interpreter per check: `sys.modules` of this test process has seen everything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STARTUP_IMPORTS = "import ktvdesk.ui.app, ktvdesk.ui.main_window, ktvdesk.services, ktvdesk.catalog.local"


def loaded_after(code: str, tmp_path: Path) -> bool:
    probe = f"{code}\nimport sys\nprint('pypinyin' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    return out.stdout.strip().splitlines()[-1] == "True"


def test_starting_the_app_does_not_load_pypinyin(tmp_path: Path) -> None:
    assert not loaded_after(STARTUP_IMPORTS, tmp_path)


def test_the_first_reading_loads_it_and_is_right(tmp_path: Path) -> None:
    code = (
        f"{STARTUP_IMPORTS}\n"
        "from ktvdesk.catalog.local.pinyin_keys import pinyin_keys\n"
        "keys = pinyin_keys('重庆森林')\n"
        "assert keys.full[0] == 'chongqingsenlin' and keys.initials[0] == 'cqsl', keys"
    )
    assert loaded_after(code, tmp_path)


def test_opencc_is_built_at_the_first_traditional_text(tmp_path: Path) -> None:
    code = (
        f"{STARTUP_IMPORTS}\n"
        "from ktvdesk.catalog.local import textfold\n"
        "assert textfold._converter.cache_info().currsize == 0\n"
        "assert textfold.fold('Love Song') == 'love song'\n"
        "assert textfold._converter.cache_info().currsize == 0  # nothing traditional yet\n"
        "assert textfold.fold('後來') == '后来'\n"
        "assert textfold._converter.cache_info().currsize == 1"
    )
    assert not loaded_after(code, tmp_path)  # and pypinyin still is not needed
