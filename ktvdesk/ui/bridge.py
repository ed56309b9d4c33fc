"""The Qt side of `KaraokeSession`: its events as Qt signals, and async work from widgets.

Session listeners run on the asyncio loop thread, which under qasync is the GUI thread,
so the signals are delivered directly. Widgets start coroutines only through `spawn`,
which hands them to the services' TaskRegistry (qasync keeps no reference to tasks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from ktvdesk.errors import KtvError
from ktvdesk.services import AppServices
from ktvdesk.session import SessionEvent, SessionEventKind
from ktvdesk.ui import gc_guard

log = logging.getLogger(__name__)


class SessionBridge(QObject):
    stateChanged = Signal()
    queueChanged = Signal()
    nowPlayingChanged = Signal()
    lyricsChanged = Signal()
    settingsChanged = Signal()
    positionChanged = Signal()
    errorRaised = Signal(str)
    cheered = Signal(str)  # a 气氛 sound a phone asked for
    favoritesChanged = Signal()  # the host's favourites changed through the session (a phone's ★)

    def __init__(self, services: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session = services.session
        self._unsubscribe = self.session.subscribe(self._on_event) if self.session is not None else None
        self._signals = {
            SessionEventKind.STATE: self.stateChanged,
            SessionEventKind.QUEUE: self.queueChanged,
            SessionEventKind.NOW_PLAYING: self.nowPlayingChanged,
            SessionEventKind.LYRICS: self.lyricsChanged,
            SessionEventKind.SETTINGS: self.settingsChanged,
            SessionEventKind.POSITION: self.positionChanged,
            SessionEventKind.FAVORITES: self.favoritesChanged,
        }

    def _on_event(self, event: SessionEvent) -> None:
        if event.kind is SessionEventKind.ERROR:
            if event.error is not None:
                self.errorRaised.emit(self.message(event.error))
            return
        if event.kind is SessionEventKind.CHEER:
            self.cheered.emit(event.detail or "")
            return
        self._signals[event.kind].emit()
        if event.kind in (SessionEventKind.STATE, SessionEventKind.QUEUE, SessionEventKind.NOW_PLAYING):
            self._tell_collector(event.kind)

    def _tell_collector(self, kind: SessionEventKind) -> None:
        """The cycle collector's full pass waits for a moment nobody watches a frame."""
        collector = gc_guard.installed()
        if collector is None or self.session is None:
            return
        if kind is SessionEventKind.NOW_PLAYING:
            collector.song_changed()
        idle = self.session.now_playing is None and not self.session.upcoming
        collector.playback_idle(idle)

    def message(self, error: KtvError) -> str:
        return error.message(self.services.language)

    def detach(self) -> None:
        """Stop hearing the session (a window replaced by its successor)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any] | None:
        try:
            return self.services.tasks.spawn(coro, name=name)
        except RuntimeError:  # no running loop (shutting down): nothing to do
            coro.close()
            log.debug("task %s not started: no running event loop", name)
            return None
