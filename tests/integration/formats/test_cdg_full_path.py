"""An MP3+G song through the whole app: scanned by the app's services, queued and played
by the `KaraokeSession` on real libVLC (dummy audio output), and painted by the real main
window's lyric area and the real stage window, offscreen.

Both must show the CD+G picture crisply: scaled with nearest-neighbour, every painted pixel
is one of the picture's own colours (or the black letterbox), and the edge of a title tile
is a hard step from the background colour to the title colour between two neighbouring
screen pixels, exactly where the scale puts it (a smoothing scaler would paint a ramp of
blended colours there)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the QApplication

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ktvdesk.ui.graphics_lyrics import GraphicsLyrics
from ktvdesk.ui.main_window import MainWindow
from tests.integration.formats.library_tree import Library
from tests.integration.formats.test_graphics_lyrics import colours
from tests.ui.conftest import _gc_on_gui_thread, make_services, run, until  # noqa: F401 - a fixture
from tests.unit.formats.cdg_encoder import BACKGROUND, TITLE, make_cdg, palette_rgb

CDG_W, CDG_H = 288, 192
SCREEN_X, SCREEN_Y = 6, 12  # the picture starts this far inside the 300 × 216 CD+G screen
TILE_W, TILE_H = 6, 12


def left_edges() -> list[tuple[int, int]]:
    """Title tiles with background on their left: (x, y) of their top-left picture pixel."""
    title = set(make_cdg().title_tiles)
    return [
        (column * TILE_W - SCREEN_X, row * TILE_H - SCREEN_Y)
        for row, column in sorted(title)
        if (row, column - 1) not in title
    ]


def rgb(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    colour = image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue()


def nearest(palette: set[tuple[int, int, int]], wanted: tuple[int, int, int]) -> tuple[int, int, int]:
    return min(palette, key=lambda c: sum(abs(a - b) for a, b in zip(c, wanted, strict=True)))


def assert_crisp(overlay: GraphicsLyrics, drawn: set[tuple[int, int, int]], where: str) -> None:
    """`drawn`: the colours of libVLC's own picture (its decoder's palette scaling)."""
    painted = overlay.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    background, title = nearest(drawn, palette_rgb(BACKGROUND)), nearest(drawn, palette_rgb(TITLE))
    found = colours(painted)
    assert found <= drawn | {(0, 0, 0)}, (where, found - drawn)
    assert background in found and title in found, (where, found)
    # The picture as the overlay lays it out: as large as fits, centred.
    scale = min(painted.width() / CDG_W, painted.height() / CDG_H)
    left = (painted.width() - round(CDG_W * scale)) // 2
    top = (painted.height() - round(CDG_H * scale)) // 2
    for x, y in left_edges():
        row = top + int((y + TILE_H / 2) * scale)  # through the middle of the tile
        edge = left + int(x * scale)
        # Somewhere within a pixel of the scaled edge, background steps straight to title.
        steps = [
            column
            for column in range(edge - 2, edge + 3)
            if rgb(painted, column - 1, row) == background and rgb(painted, column, row) == title
        ]
        assert steps, (where, x, y, [rgb(painted, c, row) for c in range(edge - 3, edge + 3)])


async def test_mp3g_song_is_crisp_in_the_lyric_area_and_on_the_stage(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    library: Library,
) -> None:
    monkeypatch.setenv("KTVDESK_CACHE_DIR", str(tmp_path / "cache"))
    services = make_services(tmp_path, monkeypatch, qloop, video=True, library_dirs=[library.root])
    run(qloop, services.start())
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    stage = window.open_stage()
    session, backend = services.session, services.backend
    assert session is not None and backend is not None
    main_overlay, stage_overlay = window.graphics, stage.graphics
    assert main_overlay is not None and stage_overlay is not None

    async def play_until_drawn() -> None:
        assert services.library is not None
        (song,) = (await services.library.search("Morgenrot")).items
        session.enqueue(song)
        await session.play()
        # The wipe ends 0.1 s × 17 tiles after the title: wait for 2.5 s of song (the
        # overlays' own timers pick the picture up meanwhile).
        await until(
            lambda: backend.get_time() >= 2500 and main_overlay.isVisible() and stage_overlay.isVisible(),
            window.bridge.positionChanged,
        )

    try:
        run(qloop, asyncio.wait_for(play_until_drawn(), 30))
        picture = session.graphics_picture()
        assert picture is not None and (picture.width, picture.height) == (CDG_W, CDG_H)
        drawn = colours(QImage(picture.rgb32(), CDG_W, CDG_H, QImage.Format.Format_RGB32))
        assert len(drawn) == 3, drawn  # background, title, wipe: nothing smoothed at the source
        for overlay in (main_overlay, stage_overlay):
            overlay.refresh()
        assert main_overlay.geometry() == window.lyric_view.rect()
        assert stage_overlay.geometry() == stage.lyrics.rect()
        assert_crisp(main_overlay, drawn, "main window lyric area")
        assert_crisp(stage_overlay, drawn, "stage")
    finally:
        stage.close()
        run(qloop, services.aclose())
