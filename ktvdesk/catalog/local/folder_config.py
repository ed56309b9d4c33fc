"""Per-folder settings a collection declares in `ktvdesk-folder.toml`.

Old VOB/MPG KTV rips put the original vocal mix on one stereo channel and the
accompaniment on the other; nothing in the file says which, so the folder declares it:

    # ktvdesk-folder.toml
    layout = "left_right"
    vocal_channel = "left"     # the channel that carries the original (vocal) mix

The settings apply to the folder and every folder below it (the nearest file wins). The
scanner also takes the same declaration as a mapping folder → channel from the app config.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ktvdesk.models import Channel, VocalLayout

FOLDER_CONFIG_NAME = "ktvdesk-folder.toml"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FolderSettings:
    layout: VocalLayout | None = None
    vocal_channel: Channel = Channel.LEFT


def read_folder_settings(path: Path) -> FolderSettings | None:
    """Settings from one config file; None (with a warning) when it is unreadable or invalid."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        layout_text = data.get("layout")
        layout = VocalLayout(layout_text) if layout_text is not None else None
        channel = Channel(data.get("vocal_channel", Channel.LEFT.value))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        log.warning("ignoring folder config %s: %s", path, exc)
        return None
    if layout is not None and layout is not VocalLayout.LEFT_RIGHT:
        log.warning('ignoring folder config %s: only layout = "left_right" can be declared', path)
        return None
    return FolderSettings(layout, channel)
