"""CD+G graphics shown crisply in a lyric area: our encoder's song, played by real libVLC
into memory at its own size, painted by the real overlay offscreen over a much larger area.
Nearest-neighbour scaling invents no colour, so the painted picture holds only colours of
the picture libVLC drew (a smoothing scaler would blend new ones along every glyph edge)."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the QApplication

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from ktvdesk.catalog.local.provider import LocalLibraryProvider
from ktvdesk.playback import PlaybackEngine
from ktvdesk.playback.vlc_backend import CDG_PICTURE, VlcBackend
from ktvdesk.ui.graphics_lyrics import GraphicsLyrics
from tests.integration.formats.test_playback import near, source_of, until
from tests.unit.formats.cdg_encoder import BACKGROUND, TITLE, make_cdg, palette_rgb, tile_center

AREA_W, AREA_H = 864, 600  # 3× the picture's width: every picture pixel becomes 3 × 3


def colours(image: QImage) -> set[tuple[int, int, int]]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    found: set[tuple[int, int, int]] = set()
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y)
            found.add(((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF))
    return found


async def test_cdg_song_painted_crisp_over_the_lyric_area(scanned: LocalLibraryProvider, qapp: Any) -> None:
    backend = VlcBackend(aout="dummy", video=True)  # no capture_video: the app's own route
    engine = PlaybackEngine(backend)
    area = QWidget()
    area.resize(AREA_W, AREA_H)
    area.show()
    overlay = GraphicsLyrics(area, backend.graphics_frames)
    try:
        engine.load(await source_of(scanned, "Morgenrot"))
        frames = backend.graphics_frames()
        assert frames is not None and (frames.width, frames.height) == CDG_PICTURE
        # The wipe ends 0.1 s × 17 tiles after the title: wait for 2.5 s of song.
        await until(lambda: backend.get_time() >= 2500 and frames.count > 0)
        overlay.follow(True)
        assert overlay.isVisible() and overlay.geometry() == area.rect()
        drawn = colours(QImage(frames.rgb32(), *CDG_PICTURE, QImage.Format.Format_RGB32))
        painted = overlay.grab().toImage()
        # libVLC's own picture is the song's palette, not smoothed (deinterlacing is off).
        assert len(drawn) == 3, drawn
        assert colours(painted) <= drawn | {(0, 0, 0)}, colours(painted) - drawn
        # Scaled 3× and centred vertically: a title tile's centre is the title colour.
        top = (AREA_H - CDG_PICTURE[1] * 3) // 2
        x, y = tile_center(*make_cdg().title_tiles[0])
        title_pixel = painted.pixelColor((x - 6) * 3 + 1, top + (y - 12) * 3 + 1)
        assert near((title_pixel.red(), title_pixel.green(), title_pixel.blue()), palette_rgb(TITLE))
        corner = painted.pixelColor(2, top + 2)
        assert near((corner.red(), corner.green(), corner.blue()), palette_rgb(BACKGROUND))

        # The next song has no graphics: the overlay steps aside, the window gets video back.
        engine.load(await source_of(scanned, "Wolkenlied"))
        assert backend.graphics_frames() is None
        overlay.refresh()
        assert not overlay.isVisible()
    finally:
        overlay.follow(False)
        await engine.aclose()
        backend.close()
