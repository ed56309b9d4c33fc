"""Encrypted KRC files as ZEGO's KRC links serve them, written from the public description.

The emulator's own encoder, not the client's decoder run backwards: `krc1`, then the
zlib stream of the UTF-8 (with BOM) text, every byte XORed with a 16-byte key.
"""

from __future__ import annotations

import zlib

MAGIC = b"krc1"
KEY = bytes((0x40, 0x47, 0x61, 0x77, 0x5E, 0x32, 0x74, 0x47, 0x51, 0x36, 0x31, 0x2D, 0xCE, 0xD2, 0x6E, 0x69))


def krc_file(text: str) -> bytes:
    packed = zlib.compress(b"\xef\xbb\xbf" + text.removeprefix("\ufeff").encode("utf-8"))
    return MAGIC + bytes(byte ^ KEY[i % len(KEY)] for i, byte in enumerate(packed))
