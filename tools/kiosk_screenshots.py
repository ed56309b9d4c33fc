"""`python tools/kiosk_screenshots.py DIR` (`make screenshots`): the kiosk pictures of the README.

Demo library in a scratch data dir, Chinese UI, 1280×800 control screen: the keypad with
"MLH" typed and its results, two songs queued, 茉莉花 singing mid-song (libVLC with the
dummy audio output), then the queue page and the stage (1280×720).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

MID_SONG_MS = 12_400


async def _until(predicate: Callable[[], bool], timeout_s: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("kiosk screenshot scene did not get ready")
        await asyncio.sleep(0.05)  # a picture script, not a test


async def _shoot(out: Path, lang: str) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from ktvdesk.config import LoadedSettings, Settings
    from ktvdesk.services import build_services
    from ktvdesk.ui.i18n import install_translator
    from ktvdesk.ui.kiosk.shell import make_stage
    from ktvdesk.ui.kiosk.window import KioskWindow
    from ktvdesk.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_translator(app, lang)
    apply_theme(app, "dark")
    services = build_services(LoadedSettings(Settings(), Path("none.toml")), lang=lang, aout="dummy")
    shots: list[Path] = []
    try:
        await services.start()
        session = services.session
        assert session is not None and session.engine is not None
        session.engine.set_mute(True)
        window = KioskWindow(services, db=services.user_db, pin_hash=lambda: None)
        stage = make_stage(window, video=False)
        window.set_stage(stage, own_screen=False)
        window.resize(1280, 800)
        window.show()
        library = services.library
        assert library is not None
        for query in ("mlh", "送别", "amazing"):
            page = await library.search(query, limit=1)
            window.add_song(page.items[0], False)
        for letter in "MLH":
            window.search_page.type_key(letter)
        window.search_page.search_now()
        await _until(lambda: bool(window.search_page.results.songs))
        await _until(lambda: session.lyrics is not None and session.is_playing)
        session.seek(MID_SONG_MS)
        await _until(lambda: session.now_ms() > MID_SONG_MS + 600)
        session.pause()
        await _until(lambda: not session.is_playing)
        window.message.hide()
        window.refresh_controls()
        await asyncio.sleep(0.1)
        shots.append(out / f"kiosk-control_{lang}.png")
        window.grab().save(str(shots[-1]))
        window.show_page("queue")
        await asyncio.sleep(0.1)  # new rows are shown by a queued call
        shots.append(out / f"kiosk-queue_{lang}.png")
        window.grab().save(str(shots[-1]))
        stage.showNormal()
        stage.resize(1280, 720)
        stage.repaint()
        shots.append(out / f"kiosk-stage_{lang}.png")
        stage.grab().save(str(shots[-1]))
        stage.hide()
        window.exit_allowed = True
        window.release()
        window.hide()
    finally:
        await services.aclose()
    return shots


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = tempfile.mkdtemp(prefix="ktvdesk-kiosk-shots-")
    os.environ["KTVDESK_CONFIG_DIR"] = scratch

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        for lang in ("zh_CN", "en"):
            # A data dir per language: each run starts with an empty stored queue.
            os.environ["KTVDESK_DATA_DIR"] = str(Path(scratch) / lang)
            for path in loop.run_until_complete(_shoot(out, lang)):
                print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
