"""The composition root: builds the core services once and hands them to the UI.

No Qt here: the same object serves the GUI, the kiosk shell and the tests, and it is the
one place that decides which implementation of each service the app runs with.
"""

from __future__ import annotations

import locale
import logging
from dataclasses import dataclass, field

from ktvdesk.config import LoadedSettings, Settings
from ktvdesk.tasks import TaskRegistry

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class VlcStatus:
    available: bool
    reason: str


@dataclass(slots=True)
class AppServices:
    settings: Settings
    language: str
    vlc: VlcStatus
    config_problems: list[str] = field(default_factory=list)
    tasks: TaskRegistry = field(default_factory=TaskRegistry)

    async def aclose(self) -> None:
        await self.tasks.aclose()


def pick_language(requested: str | None, configured: str | None) -> str:
    """`--lang`, then the config file, then the system locale; Chinese locales get zh_CN."""
    choice = requested or configured
    if choice:
        return choice
    system = (locale.getlocale()[0] or "").lower()
    return "zh_CN" if system.startswith("zh") else "en"


def probe_vlc_status() -> VlcStatus:
    from ktvdesk.playback.vlc_backend import probe_vlc

    available, reason = probe_vlc()
    if not available:
        log.warning("playback disabled: %s", reason)
    return VlcStatus(available, reason)


def build_services(loaded: LoadedSettings, *, lang: str | None = None) -> AppServices:
    for problem in loaded.problems:
        log.warning("config: %s", problem)
    return AppServices(
        settings=loaded.settings,
        language=pick_language(lang, loaded.settings.language),
        vlc=probe_vlc_status(),
        config_problems=list(loaded.problems),
    )
