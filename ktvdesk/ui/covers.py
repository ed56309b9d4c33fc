"""`CoverCache`: song covers decoded off the GUI thread, kept in a cache bounded by bytes.

Decoding a JPEG cover and scaling it down costs a few ms each; a song list asks for one
per painted row, so decoding in `data()` stalled scrolling through thousands of results
(tests/bench/bench_gui_stall.py). Here `QImageReader` decodes straight to the size shown
(the JPEG decoder skips the detail it would throw away) in worker threads: `QImage` is
safe off the GUI thread, `QPixmap` is not, so only the last step (`QPixmap.fromImage`)
happens on the GUI thread when the worker's signal arrives.

Decoded after the paint that asked, not during it: a worker decoding holds the GIL
(`QImageReader.read` does not let it go), and each of the painting thread's calls into
the model waited for it, which made a fling through new rows stall frames. The requests
a paint makes are handed to the workers on the loop's next turn, in one go.

Bounded: least recently used covers go first once the pixmaps exceed `max_bytes`
(a 40 px cover is 6.4 kB: the default keeps a few thousand). A file that cannot be read
is remembered as "no cover" (in the same bound) so it is not decoded again and again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 24 * 1024 * 1024
WORKERS = 2
NO_COVER_BYTES = 64  # what remembering a failed file costs against the bound

Key = tuple[str, int]


def cover_path(covers: dict[str, str], *preference: str) -> str | None:
    """A local cover file of a song (remote URLs are the providers' business, not the UI's)."""
    for name in preference:
        path = covers.get(name) or ""
        if path and "://" not in path:
            return path
    return None


def decode(path: str, size_px: int) -> QImage:
    """The cover scaled to cover a `size_px` square (runs in a worker thread)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid() and original.width() > size_px and original.height() > size_px:
        scaled = original.scaled(QSize(size_px, size_px), Qt.AspectRatioMode.KeepAspectRatioByExpanding)
        reader.setScaledSize(scaled)
    image = reader.read()
    if image.isNull():
        log.debug("cover %s unreadable: %s", path, reader.errorString())
    return image


class CoverCache(QObject):
    """`get(path, size_px)` answers at once from the cache, or None and starts a decode;
    `ready(path, size_px)` says when a cover that was asked for is there."""

    ready = Signal(str, int)
    _decoded = Signal(str, int, QImage)

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.max_bytes = max_bytes
        self.bytes = 0
        self._pixmaps: OrderedDict[Key, QPixmap | None] = OrderedDict()
        self._pending: set[Key] = set()
        self._asked: list[Key] = []  # asked for during this loop turn: decoded after it
        self._executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ktvdesk-covers")
        # Emitted from a worker thread: Qt queues it to this object's (the GUI) thread.
        self._decoded.connect(self._store, Qt.ConnectionType.QueuedConnection)

    def __len__(self) -> int:
        return len(self._pixmaps)

    def get(self, path: str, size_px: int) -> QPixmap | None:
        """The cover if decoded (a null pixmap: the file has none), else None for now."""
        key = (path, size_px)
        if key in self._pixmaps:
            self._pixmaps.move_to_end(key)
            pixmap = self._pixmaps[key]
            return pixmap if pixmap is not None else QPixmap()
        if key not in self._pending:
            self._pending.add(key)
            if not self._asked:
                QTimer.singleShot(0, self, self._hand_over)
            self._asked.append(key)
        return None

    def _hand_over(self) -> None:
        asked, self._asked = self._asked, []
        for path, size_px in asked:
            self._executor.submit(self._work, path, size_px)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def _work(self, path: str, size_px: int) -> None:
        try:
            image = decode(path, size_px)
        except Exception:  # a decoder crash must not leave the key pending forever
            log.exception("decoding cover %s failed", path)
            image = QImage()
        self._decoded.emit(path, size_px, image)

    def _store(self, path: str, size_px: int, image: QImage) -> None:
        key = (path, size_px)
        self._pending.discard(key)
        pixmap = QPixmap.fromImage(image) if not image.isNull() else None
        self._pixmaps[key] = pixmap
        self.bytes += _cost(pixmap)
        while self.bytes > self.max_bytes and len(self._pixmaps) > 1:
            _, dropped = self._pixmaps.popitem(last=False)
            self.bytes -= _cost(dropped)
        self.ready.emit(path, size_px)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _cost(pixmap: QPixmap | None) -> int:
    if pixmap is None:
        return NO_COVER_BYTES
    return max(NO_COVER_BYTES, pixmap.width() * pixmap.height() * max(1, pixmap.depth() // 8))


class CoverSlot(QObject):
    """One picture showing one cover at a time (the now-playing bar, the stage): the
    newest `show` wins; `apply(None)` (the placeholder) until the cover is decoded."""

    def __init__(
        self,
        size_px: int,
        apply: Callable[[QPixmap | None], None],
        cache: CoverCache | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.size_px = size_px
        self.cache = cache if cache is not None else shared_covers()  # (an empty cache is falsy)
        self._apply = apply
        self._wanted: str | None = None
        self.cache.ready.connect(self._ready)

    def show(self, path: str | None) -> None:
        self._wanted = path
        pixmap = self.cache.get(path, self.size_px) if path is not None else None
        self._apply(pixmap if pixmap is not None and not pixmap.isNull() else None)

    def _ready(self, path: str, size_px: int) -> None:
        if path == self._wanted and size_px == self.size_px:
            self.show(path)


_shared: CoverCache | None = None


def shared_covers() -> CoverCache:
    """The app's one cover cache (every song list and the stage share its bound)."""
    global _shared
    if _shared is None:
        _shared = CoverCache()
    return _shared


__all__ = ["CoverCache", "CoverSlot", "cover_path", "decode", "shared_covers"]
