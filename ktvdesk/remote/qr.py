"""The room URL as a QR code (segno), as PNG bytes for Qt.

Error correction "M" (15 %): a TV corner badge photographed at an angle by a cheap
phone still reads, and the ~70-character URL stays a small version-4/5 symbol.
"""

from __future__ import annotations

import io

import segno


def qr_png(url: str, *, scale: int = 8, dark: str = "#000000", light: str = "#ffffff") -> bytes:
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=2, dark=dark, light=light)
    return out.getvalue()
