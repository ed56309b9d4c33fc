"""`kiosk.env`: `NAME=value` lines in the config directory, the keyring of a terminal
that has none.

The systemd unit loads this file as its `EnvironmentFile`; ktvdesk reads it by itself
too (below the real environment, above the keyring: the same order as under systemd), so
a kiosk started by a login autostart or by hand has the same secrets. The syntax is the
subset both sides agree on: `#` comments, blank lines, `NAME=value`, value optionally in
single or double quotes. Written with mode 0600: it holds secrets.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from ktvdesk import paths

log = logging.getLogger(__name__)

FILE_NAME = "kiosk.env"


def env_file_path() -> Path:
    return paths.config_dir() / FILE_NAME


def read_env_file(path: Path | None = None) -> dict[str, str]:
    path = path or env_file_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("%s cannot be read (%s): its secrets count as not set", path, exc)
        return {}
    values: dict[str, str] = {}
    for line in text.splitlines():
        name, value = _parse(line)
        if name:
            values[name] = value
    return values


def set_env_value(name: str, value: str | None, path: Path | None = None) -> Path:
    """Set (or with None remove) `name`, keeping every other line as it was."""
    path = path or env_file_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    kept = [line for line in lines if _parse(line)[0] != name]
    if value is not None:
        kept.append(f"{name}={value}")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{line}\n" for line in kept))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _parse(line: str) -> tuple[str, str]:
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or "=" not in stripped:
        return "", ""
    name, value = stripped.split("=", 1)
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return name.strip(), value
