"""Writing `config.toml` back from the Settings page, keeping the user's comments and layout.

`tomlkit` edits the document in place: only the keys the user changed are touched, every
comment, blank line and key order of the file stays as the user wrote it. Before the file
is replaced, the would-be text is read back through `load_settings` (the reader the app
starts with): a value it would refuse is never written, so a save cannot break the next
start. The write is atomic (a temporary file renamed over the old one).

Secrets are not settings: a key of `keystore.SECRETS` is refused here; the page stores
those with `keystore.set_secret` (the keyring), never in this file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from ktvdesk.config import LoadedSettings, load_settings
from ktvdesk.errors import ConfigError, UserMessage
from ktvdesk.keystore import SECRETS

REMOVE = None  # a change to None removes the key: its default applies again

_REFUSED = UserMessage("设置未保存：{0}", "Settings not saved: {0}")


def _plain(value: Any) -> Any:
    """What TOML can hold: paths as text, tuples as arrays."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def apply_changes(text: str, changes: Mapping[str, Any]) -> str:
    """`text` with each "key" / "section.key" set to its value (None removes it)."""
    doc = tomlkit.parse(text)
    for key, value in changes.items():
        if key in SECRETS:
            raise ConfigError(
                f"{key} is a secret: it goes to the keyring, not the config file",
                user_message=UserMessage(
                    "密钥只保存在系统钥匙串中。", "Secrets are kept in the keyring only."
                ),
                code="secret_in_config",
            )
        *section_path, name = key.split(".")
        table: Any = doc
        for part in section_path:
            if part not in table:
                if value is REMOVE:
                    break
                table.add(part, tomlkit.table())
            table = table[part]
        else:
            if value is REMOVE:
                if name in table:
                    del table[name]
            else:
                table[name] = _plain(value)
    _drop_empty_tables(doc)
    return tomlkit.dumps(doc)


def _drop_empty_tables(doc: Any) -> None:
    """A section whose last key was removed goes too (unless it holds a comment)."""
    for name in [k for k, v in doc.items() if isinstance(v, Table)]:
        table = doc[name]
        if not table.value and "#" not in table.as_string():
            del doc[name]


def write_settings(path: Path, changes: Mapping[str, Any]) -> LoadedSettings:
    """Apply `changes` to the config file at `path` and return what the app now reads.

    Raises `ConfigError` (with a user message naming the key) when the reader would
    refuse a changed value; the file is then left as it was.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot be read ({exc.strerror})", user_message=_message(str(exc))
        ) from exc
    new_text = apply_changes(text, changes)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new_text)
        _check(Path(temporary), changes)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return load_settings(path)


def _check(candidate: Path, changes: Mapping[str, Any]) -> None:
    loaded = load_settings(candidate, environ={})
    for problem in loaded.problems:
        for key in changes:
            if f": {key}:" in problem or f" {key} only" in problem or "not valid TOML" in problem:
                # The reader's "using the default instead" does not apply: nothing is saved.
                shown = problem.replace(str(candidate), "config.toml").split("; using")[0]
                raise ConfigError(
                    f"refused change of {key}: {shown}", user_message=_message(shown), code="invalid"
                )


def _message(detail: str) -> UserMessage:
    return UserMessage(_REFUSED.zh.format(detail), _REFUSED.en.format(detail))
