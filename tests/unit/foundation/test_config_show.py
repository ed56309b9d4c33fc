"""`ktvdesk config show [--json]`: the effective settings, where each came from, never a
secret (issue 16 item 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def show(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KTVDESK_")}
    environ.update(
        KTVDESK_CONFIG_DIR=str(tmp_path / "config"),
        KTVDESK_DATA_DIR=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "ktvdesk", "config", "show", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_json_shows_the_valid_keys_of_a_file_that_also_holds_an_invalid_one(tmp_path: Path) -> None:
    cfg = write_config(
        tmp_path,
        '[library]\nfolders = ["/srv/ktv/songs"]\ninclude_demo = false\n[playback]\nvolume = "loud"\n',
    )
    done = show(tmp_path, "--json", KTVDESK_PLAYBACK_LYRIC_OFFSET_MS="-200")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    settings = report["settings"]
    assert report["config_file"] == str(cfg) and report["config_file_exists"]
    assert settings["library.folders"] == {"value": ["/srv/ktv/songs"], "source": "file"}
    assert settings["library.include_demo"] == {"value": False, "source": "file"}
    assert settings["playback.volume"] == {"value": 80, "source": "default"}
    assert settings["playback.lyric_offset_ms"] == {"value": -200, "source": "environment"}
    assert settings["provider"]["source"] == "default"
    assert len(report["problems"]) == 1 and "playback.volume" in report["problems"][0]
    assert report["paths"]["config_dir"]["source"] == "environment"


def test_secrets_are_shown_as_set_never_their_value(tmp_path: Path) -> None:
    write_config(tmp_path, '[yinsuda]\napp_name = "room-7"\n')
    secret = "AKIDsuper-secret-value-42"
    for args in ((), ("--json",)):
        done = show(tmp_path, *args, KTVDESK_YINSUDA_SECRET_ID=secret)
        assert done.returncode == 0, done.stderr
        assert secret not in done.stdout + done.stderr
    report = json.loads(show(tmp_path, "--json", KTVDESK_YINSUDA_SECRET_ID=secret).stdout)
    assert report["secrets"]["yinsuda.secret_id"] == "set (environment)"
    assert report["secrets"]["zego.server_secret"] == "not set"
    assert report["settings"]["yinsuda.app_name"] == {"value": "room-7", "source": "file"}


def test_text_output_names_the_source_of_each_line(tmp_path: Path) -> None:
    write_config(tmp_path, 'language = "en"\n[kiosk]\nvolume_max = 101\n')
    done = show(tmp_path)
    assert done.returncode == 0
    lines = {line.split("=")[0].strip(): line for line in done.stdout.splitlines() if "=" in line}
    assert lines["language"].endswith("# file")
    assert lines["kiosk.volume_max"].endswith("# default")
    assert "kiosk.volume_max" in done.stderr  # the problem, said per key
