"""The committed icons are what packaging/icons/make_icons.py renders from the SVG, and the
Windows/macOS containers hold real PNGs of the sizes their headers claim."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from types import ModuleType

from PySide6.QtGui import QImage

from tests.packaging.conftest import APP_ID, HICOLOR_SIZES, LINUX, PACKAGING, png_size


def load_make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "icons" / "make_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mean_channel_difference(a: bytes, b: bytes) -> float:
    first, second = QImage.fromData(a), QImage.fromData(b)
    assert first.size() == second.size()
    fmt = QImage.Format.Format_RGBA8888
    pa = bytes(first.convertToFormat(fmt).constBits())
    pb = bytes(second.convertToFormat(fmt).constBits())
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)


def test_committed_pngs_match_a_fresh_render(qapp: object, tmp_path: Path) -> None:
    written = load_make_icons().write_all(tmp_path)
    assert len(written) == len(HICOLOR_SIZES) + 2
    for size in HICOLOR_SIZES:
        relative = Path("linux", "icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
        fresh = (tmp_path / relative).read_bytes()
        committed = (PACKAGING / relative).read_bytes()
        assert png_size(committed) == (size, size)
        # Another Qt version may anti-alias a little differently; a changed drawing does not pass.
        assert mean_channel_difference(fresh, committed) < 2.0, f"{relative}: re-run make_icons.py"


def test_icon_is_not_blank(qapp: object) -> None:
    image = QImage(str(LINUX / "icons" / "hicolor" / "64x64" / "apps" / f"{APP_ID}.png"))
    corner, centre = image.pixelColor(0, 0), image.pixelColor(32, 32)
    assert corner.alpha() == 0, "rounded corners stay transparent"
    assert centre.alpha() == 255


def test_ico_entries_are_pngs_of_the_stated_sizes() -> None:
    data = (PACKAGING / "icons" / "ktvdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count == 7
    sizes = []
    for i in range(count):
        width, height, _, _, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        side = width or 256
        assert (planes, bpp) == (1, 32) and height == width
        assert png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_icns_elements_are_pngs_of_the_stated_sizes() -> None:
    data = (PACKAGING / "icons" / "ktvdesk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    expected = {
        b"icp4": 16,
        b"icp5": 32,
        b"icp6": 64,
        b"ic07": 128,
        b"ic08": 256,
        b"ic09": 512,
        b"ic10": 1024,
    }
    seen = {}
    offset = 8
    while offset < len(data):
        kind, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        seen[kind] = png_size(data[offset + 8 : offset + length])[0]
        offset += length
    assert offset == len(data)
    assert seen == expected
