"""The About dialog: the version (from `ktvdesk.__version__`, the one place it is set) and
the licences of the parts every ktvdesk package ships or loads.

`COMPONENTS` is also what tests/packaging checks against pyproject's runtime
dependencies, so a new dependency cannot ship without its licence being shown here.
"""

from __future__ import annotations

import html
import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import cast

from PySide6 import QtCore
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ktvdesk import __version__
from ktvdesk.ui.i18n import playback_status as translated_status
from ktvdesk.ui.i18n import tr
from ktvdesk.ui.icons import icon

# Marks strings for pyside6-lupdate; typed, since the stubs say it returns object.
QT_TRANSLATE_NOOP = cast(Callable[[str, str], str], QtCore.QT_TRANSLATE_NOOP)


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    licence: str  # SPDX expression where there is one
    role: str  # untranslated (marked for lupdate); shown through tr()
    distribution: str | None = None  # the Python distribution, for its installed version
    url: str = ""  # where its source and licence text are


COMPONENTS: tuple[Component, ...] = (
    Component(
        "Qt 6 / PySide6",
        "LGPL-3.0-only",
        QT_TRANSLATE_NOOP("QCoreApplication", "user interface"),
        "PySide6-Essentials",
        "https://www.qt.io/",
    ),
    Component(
        "Shiboken 6",
        "LGPL-3.0-only",
        QT_TRANSLATE_NOOP("QCoreApplication", "Python bindings for Qt"),
        "shiboken6",
        "https://www.qt.io/",
    ),
    Component(
        "libVLC (VLC media player)",
        "LGPL-2.1-or-later",
        QT_TRANSLATE_NOOP("QCoreApplication", "audio and video playback"),
        url="https://www.videolan.org/vlc/libvlc.html",
    ),
    Component(
        "python-vlc",
        "LGPL-2.1-or-later",
        QT_TRANSLATE_NOOP("QCoreApplication", "libVLC binding"),
        "python-vlc",
        "https://github.com/oaubert/python-vlc",
    ),
    Component(
        "httpx",
        "BSD-3-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "cloud catalog requests"),
        "httpx",
        "https://www.python-httpx.org/",
    ),
    Component(
        "pydantic",
        "MIT",
        QT_TRANSLATE_NOOP("QCoreApplication", "data models"),
        "pydantic",
        "https://docs.pydantic.dev/",
    ),
    Component(
        "qasync",
        "BSD-2-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "asyncio inside Qt"),
        "qasync",
        "https://github.com/CabbageDevelopment/qasync",
    ),
    Component(
        "pypinyin",
        "MIT",
        QT_TRANSLATE_NOOP("QCoreApplication", "pinyin search"),
        "pypinyin",
        "https://github.com/mozillazg/python-pinyin",
    ),
    Component(
        "mutagen",
        "GPL-2.0-or-later",
        QT_TRANSLATE_NOOP("QCoreApplication", "audio tags"),
        "mutagen",
        "https://mutagen.readthedocs.io/",
    ),
    Component(
        "opencc-python-reimplemented",
        "Apache-2.0",
        QT_TRANSLATE_NOOP("QCoreApplication", "traditional/simplified Chinese"),
        "opencc-python-reimplemented",
        "https://github.com/yichen0831/opencc-python",
    ),
    Component(
        "platformdirs",
        "MIT",
        QT_TRANSLATE_NOOP("QCoreApplication", "settings and data folders"),
        "platformdirs",
        "https://github.com/tox-dev/platformdirs",
    ),
    Component(
        "keyring",
        "MIT",
        QT_TRANSLATE_NOOP("QCoreApplication", "secrets in the system keyring"),
        "keyring",
        "https://github.com/jaraco/keyring",
    ),
    Component(
        "Starlette",
        "BSD-3-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "web servers: phone remote, venue, cloud emulator"),
        "starlette",
        "https://www.starlette.io/",
    ),
    Component(
        "Uvicorn",
        "BSD-3-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "HTTP server"),
        "uvicorn",
        "https://www.uvicorn.org/",
    ),
    Component(
        "websockets",
        "BSD-3-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "live updates to phones"),
        "websockets",
        "https://github.com/python-websockets/websockets",
    ),
    Component(
        "segno",
        "BSD-3-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "QR codes"),
        "segno",
        "https://github.com/heuer/segno",
    ),
    Component(
        "NumPy",
        "BSD-3-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "pitch detection"),
        "numpy",
        "https://numpy.org/",
    ),
    Component(
        "PyAV (with FFmpeg)",
        "BSD-3-Clause AND LGPL-2.1-or-later",
        QT_TRANSLATE_NOOP("QCoreApplication", "decoding vocal tracks for scoring"),
        "av",
        "https://github.com/PyAV-Org/PyAV",
    ),
    Component(
        "python-sounddevice (with PortAudio)",
        "MIT",
        QT_TRANSLATE_NOOP("QCoreApplication", "microphone input"),
        "sounddevice",
        "https://github.com/spatialaudio/python-sounddevice",
    ),
    Component(
        "tomlkit",
        "MIT",
        QT_TRANSLATE_NOOP("QCoreApplication", "writing the settings file"),
        "tomlkit",
        "https://github.com/python-poetry/tomlkit",
    ),
    Component(
        "psycopg",
        "LGPL-3.0-only",
        QT_TRANSLATE_NOOP("QCoreApplication", "venue server database (PostgreSQL)"),
        "psycopg",
        "https://www.psycopg.org/",
    ),
    Component(
        "psycopg-pool",
        "LGPL-3.0-only",
        QT_TRANSLATE_NOOP("QCoreApplication", "venue server database connections"),
        "psycopg-pool",
        "https://www.psycopg.org/",
    ),
    Component(
        "Eclipse Paho MQTT",
        "EPL-2.0 OR BSD-3-Clause",
        QT_TRANSLATE_NOOP("QCoreApplication", "venue message bus (MQTT)"),
        "paho-mqtt",
        "https://eclipse.dev/paho/",
    ),
    Component(
        "Python", "PSF-2.0", QT_TRANSLATE_NOOP("QCoreApplication", "runtime"), url="https://www.python.org/"
    ),
    Component(
        "Noto Sans CJK",
        "OFL-1.1",
        QT_TRANSLATE_NOOP("QCoreApplication", "Chinese, Japanese and Korean text (when installed)"),
        url="https://github.com/notofonts/noto-cjk",
    ),
    Component(
        QT_TRANSLATE_NOOP("QCoreApplication", "Demo songs"),
        QT_TRANSLATE_NOOP("QCoreApplication", "public domain"),
        QT_TRANSLATE_NOOP(
            "QCoreApplication", "traditional melodies and lyrics; our own arrangements and lyric timing"
        ),
    ),
)


def component_version(component: Component) -> str:
    if component.name == "Python":
        return platform.python_version()
    if component.distribution is None:
        return ""
    try:
        return metadata.version(component.distribution)
    except metadata.PackageNotFoundError:  # frozen bundles may not carry the metadata
        return ""


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, playback_status: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(tr("About ktvdesk"))
        self.resize(640, 560)

        logo = QLabel()
        logo.setPixmap(icon("mic").pixmap(64, 64))
        self.title = QLabel(f"<h2>ktvdesk {html.escape(__version__)}</h2>")
        self.title.setObjectName("aboutTitle")
        summary = QLabel(
            tr("A desktop karaoke (KTV) player.")
            + "<br>"
            + tr("ktvdesk is free software: GNU General Public License, version 3 or later.")
        )
        summary.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(summary)
        if playback_status:
            status = QLabel(
                tr("Playback: {status}").format(status=html.escape(translated_status(playback_status)))
            )
            status.setObjectName("aboutPlayback")
            heading.addWidget(status)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.licences = QTextBrowser()
        self.licences.setObjectName("aboutLicences")
        self.licences.setHtml(self._licence_table())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(tr("Parts of ktvdesk and their licences:")))
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)

    @staticmethod
    def _licence_table() -> str:
        rows = []
        for component in COMPONENTS:
            # The address as plain text, not a link: link blue is unreadable on the dark theme.
            name = html.escape(tr(component.name))
            if component.url:
                name += f"<br><small>{html.escape(component.url)}</small>"
            rows.append(
                "<tr>"
                f"<td>{name}</td>"
                f"<td>{html.escape(component_version(component))}</td>"
                f"<td><b>{html.escape(tr(component.licence))}</b></td>"
                f"<td>{html.escape(tr(component.role))}</td>"
                "</tr>"
            )
        header = "<tr><th align='left'>{}</th><th align='left'>{}</th><th align='left'>{}</th><th align='left'>{}</th></tr>".format(
            tr("Component"), tr("Version"), tr("Licence"), tr("Used for")
        )
        return f"<table cellpadding='4'>{header}{''.join(rows)}</table>"
