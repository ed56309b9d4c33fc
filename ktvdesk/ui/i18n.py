"""Qt translations: `.ts` sources and compiled `.qm` files in resources/i18n."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
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
