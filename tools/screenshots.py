"""`python tools/screenshots.py DIR` (`make screenshots`): the README's pictures.

For each UI language: the demo library is indexed into a scratch data dir, 茉莉花 and 送别
are queued and played (libVLC with the dummy audio output), and the main window, the
lyric view mid-song and the stage window (with its "next song" banner) are grabbed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

LANGUAGES = ("en", "zh_CN")
MID_SONG_MS = 12_400  # inside the second line of 茉莉花, a few words sung


async def _until(predicate: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("screenshot scene did not get ready")
        await asyncio.sleep(0.05)  # a picture script, not a test: polling is fine here


async def _shoot(lang: str, out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from ktvdesk.config import LoadedSettings, Settings
    from ktvdesk.services import build_services
    from ktvdesk.ui.i18n import install_translator
    from ktvdesk.ui.main_window import MainWindow
    from ktvdesk.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_translator(app, lang)
    apply_theme(app, "dark")
    services = build_services(LoadedSettings(Settings(), Path("none.toml")), lang=lang, aout="dummy")
    try:
        await services.start()
        session = services.session
        assert session is not None and session.engine is not None
        session.engine.set_mute(True)
        window = MainWindow(services)
        window.resize(1280, 800)
        window.show()
        library = services.library
        assert library is not None
        for query in ("mlh", "送别", "amazing"):
            page = await library.search(query, limit=1)
            session.enqueue(page.items[0])
        window.search_page.box.setText("mlh")
        window.search_page.search_now()
        await _until(lambda: bool(window.search_page.results.songs))
        window.search_page.results.table.selectRow(0)
        await _until(lambda: session.lyrics is not None and session.is_playing)
        session.seek(MID_SONG_MS)
        await _until(lambda: session.now_ms() > MID_SONG_MS + 600)
        session.pause()
        await _until(lambda: not session.is_playing)
        window.lyric_view.repaint()
        window.grab().save(str(out / f"main_{lang}.png"))
        view = window.lyric_view
        old_size = view.size()
        view.resize(1280, 360)
        view.grab().save(str(out / f"lyrics_{lang}.png"))
        view.resize(old_size)
        stage = window.open_stage()
        stage.showNormal()
        stage.resize(1280, 720)
        end = session.duration_ms() or 0
        session.seek(end - 8_000)  # near the end: the "next song" banner shows
        await session.play()
        await _until(stage.banner.isVisible)
        session.pause()
        await _until(lambda: not session.is_playing)
        stage.grab().save(str(out / f"stage_{lang}.png"))
        stage.close()
        window.hide()  # close() would quit the application
    finally:
        await services.aclose()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = tempfile.mkdtemp(prefix="ktvdesk-shots-")
    os.environ["KTVDESK_DATA_DIR"] = scratch
    os.environ["KTVDESK_CONFIG_DIR"] = scratch

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        for lang in LANGUAGES:
            loop.run_until_complete(_shoot(lang, out))
    for name in sorted(out.glob("*.png")):
        print(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
