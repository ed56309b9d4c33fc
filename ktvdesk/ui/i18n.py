"""Qt translations: `.ts` sources and compiled `.qm` files in resources/i18n."""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ktvdesk import paths

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def install_translator(app: QApplication, language: str) -> bool:
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    if language.startswith("en"):
        return True  # source strings are English
    translator = QTranslator(app)
    qm = paths.resources_dir() / "i18n" / f"ktvdesk_{language}.qm"
    if not translator.load(str(qm)):
        log.warning("no translation for %s at %s", language, qm)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


# `pyside6-lupdate` files a bare `tr("…")` call under no context (or "QCoreApplication"
# inside some classes), and `QT_TRANSLATE_NOOP` constants under the context they name; the
# lookup tries both, so no string depends on where in the code it is written.
CONTEXT = "QCoreApplication"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    untranslated = text.replace("%n", str(n)) if n >= 0 else text
    translated = QCoreApplication.translate("", text, disambiguation, n)
    if translated == untranslated:
        translated = QCoreApplication.translate(CONTEXT, text, disambiguation, n)
    return translated


# The local library names its category groups in Chinese (its tag ids are stable); the
# English UI shows these instead. Cloud catalogs' own names pass through.
_CATEGORIES = {
    "initial": QT_TRANSLATE_NOOP("QCoreApplication", "Singers A–Z"),
    "genre": QT_TRANSLATE_NOOP("QCoreApplication", "Genre"),
    "language": QT_TRANSLATE_NOOP("QCoreApplication", "Language"),
    "title_len": QT_TRANSLATE_NOOP("QCoreApplication", "Title length"),
    "folder": QT_TRANSLATE_NOOP("QCoreApplication", "Folder"),
}


def category_name(group_id: str, name: str) -> str:
    source = _CATEGORIES.get(group_id)
    return tr(str(source)) if source is not None else name


def tag_name(tag_id: str, name: str) -> str:
    """ "3字" reads "3 characters" in English (字数点歌: songs by title length)."""
    facet, _, value = tag_id.partition(":")
    if facet == "title_len" and value.isdigit():
        return tr("%n character(s)", None, int(value))
    return name


# Phrases of the playback status line (`probe_vlc`), which the core writes in English.
_STATUS_PHRASES = (
    QT_TRANSLATE_NOOP("QCoreApplication", "audio filters available"),
    QT_TRANSLATE_NOOP("QCoreApplication", "audio filters unavailable"),
    QT_TRANSLATE_NOOP("QCoreApplication", "audio filters off"),
    QT_TRANSLATE_NOOP("QCoreApplication", "libVLC is not available"),
)


def playback_status(text: str) -> str:
    for phrase in _STATUS_PHRASES:
        text = text.replace(str(phrase), tr(str(phrase)))
    return text
