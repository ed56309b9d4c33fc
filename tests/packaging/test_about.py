"""The About dialog (pytest-qt, offscreen): version from the package, every licence shown."""

from __future__ import annotations

from importlib.metadata import version

from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

import ktvdesk
from ktvdesk.ui.about import COMPONENTS, AboutDialog


def test_shows_the_package_version_and_every_licence(qtbot: QtBot) -> None:
    dialog = AboutDialog(playback_status="libVLC 3.0.24 (audio filters available)")
    qtbot.addWidget(dialog)
    assert f"ktvdesk {ktvdesk.__version__}" in dialog.title.text()
    table = dialog.licences.toPlainText()
    for component in COMPONENTS:
        assert component.name in table
        assert component.licence in table
    for name, licence in [
        ("Qt 6 / PySide6", "LGPL-3.0"),
        ("libVLC", "LGPL-2.1-or-later"),
        ("mutagen", "GPL-2.0-or-later"),
        ("Noto Sans CJK", "OFL-1.1"),
        ("Demo songs", "public domain"),
    ]:
        assert any(c.name.startswith(name) and c.licence.startswith(licence) for c in COMPONENTS), name
    # Installed versions are read from the environment, not written down.
    assert version("qasync") in table
    playback = dialog.findChild(QLabel, "aboutPlayback")
    assert playback is not None and "libVLC 3.0.24" in playback.text()


def test_close_button_closes(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.findChild(QLabel, "aboutPlayback") is None
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    with qtbot.waitSignal(dialog.rejected, timeout=5000):
        buttons.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()
