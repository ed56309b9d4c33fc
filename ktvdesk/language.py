"""Which language the user interface speaks: one rule for the start window and the app."""

from __future__ import annotations

import locale


def pick_language(requested: str | None, configured: str | None) -> str:
    """`--lang`, then the config file, then the system locale; Chinese locales get zh_CN."""
    choice = requested or configured
    if choice:
        return choice
    system = (locale.getlocale()[0] or "").lower()
    return "zh_CN" if system.startswith("zh") else "en"
