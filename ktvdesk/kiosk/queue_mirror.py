"""Tonight's queue, mirrored into storage on every change and given back at start-up.

In kiosk mode there is nobody to answer a "continue where we left off?" prompt, so
`restore()` re-queues the stored songs by itself (the song that was on first, resumed
near where it stopped) and playback carries on.

Saved as `[current, *upcoming]` with index 0 while a song is on, `[*upcoming]` with no
index otherwise (the storage module's mirror convention). The session pops the next
entry off the queue *before* its media is resolved and only then reports it as playing;
saving that in-between state would drop the song being switched to if the process died
right then, so a bare "head popped" change waits for the NOW_PLAYING that follows it.

Plays are recorded in the history too (the kiosk's 排行 chart is the most-sung list).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.playback import PlayerState
from ktvdesk.session import KaraokeSession, SessionEvent, SessionEventKind
from ktvdesk.storage import History, PlayOutcome, QueueStore

log = logging.getLogger(__name__)

POSITION_SAVE_EVERY_MS = 5000
RESUME_MIN_MS = 5000  # closer to the start than this, a resumed song starts from the top
END_SLACK_MS = 5000  # a play that got this close to the end counts as completed
_BETWEEN_SONGS = (PlayerState.IDLE, PlayerState.ENDED, PlayerState.STOPPED)


class QueueMirror:
    def __init__(self, session: KaraokeSession, store: QueueStore, history: History | None = None) -> None:
        self.session = session
        self.store = store
        self.history = history
        self.saves = 0
        self._restoring = False
        self._upcoming_ids: tuple[int, ...] = ()
        self._current_id: int | None = None
        self._current_song: Song | None = None
        self._last_position_ms = 0
        self._saved_position_ms = 0
        self._resume_ms: int | None = None
        self._unsubscribe: Callable[[], None] | None = session.subscribe(self._on_event)

    def restore(self) -> list[Song]:
        """Queue what storage holds; returns the songs re-queued (playback starts by itself)."""
        try:
            snapshot = self.store.load()
        except KtvError as exc:
            log.error("kiosk: stored queue unreadable: %s", exc.detail)
            return []
        start = snapshot.current_index or 0
        songs = list(snapshot.songs[start:])
        if snapshot.current_index is not None and snapshot.position_ms >= RESUME_MIN_MS:
            self._resume_ms = snapshot.position_ms
        self._restoring = True
        try:
            for song in songs:
                self.session.enqueue(song)
        finally:
            self._restoring = False
        self._save()
        log.info("kiosk: restored %d songs: %s", len(songs), ", ".join(s.key for s in songs))
        return songs

    def _on_event(self, event: SessionEvent) -> None:
        if self._restoring:
            return
        kind = event.kind
        if kind is SessionEventKind.QUEUE:
            upcoming = tuple(entry.entry_id for entry in self.session.upcoming)
            if self._switching() and self._upcoming_ids and upcoming == self._upcoming_ids[1:]:
                return  # the next song is being taken: saved with its NOW_PLAYING
            self._save()
        elif kind is SessionEventKind.NOW_PLAYING:
            self._song_changed()
            self._save()
        elif kind is SessionEventKind.POSITION:
            self._position()
        elif kind is SessionEventKind.STATE:
            self._maybe_resume()

    def _switching(self) -> bool:
        """The engine is between songs (a user edit happens while one plays or is paused)."""
        return self.session.engine is not None and self.session.state in _BETWEEN_SONGS

    def _maybe_resume(self) -> None:
        now = self.session.now_playing
        if self._resume_ms is None or now is None or self.session.state is not PlayerState.PLAYING:
            return
        resume_ms, self._resume_ms = self._resume_ms, None
        self.session.seek(resume_ms)
        log.info("kiosk: resumed %s at %d ms", now.song.key, resume_ms)

    def _position(self) -> None:
        now = self.session.now_playing
        if now is None or now.preview:
            return
        position = self.session.position_ms()
        self._last_position_ms = position
        if abs(position - self._saved_position_ms) >= POSITION_SAVE_EVERY_MS:
            self._saved_position_ms = position
            try:
                self.store.set_position(position)
            except (KtvError, ValueError) as exc:
                log.warning("kiosk: position not saved: %s", exc)

    def _song_changed(self) -> None:
        now = self.session.now_playing
        if now is not None and now.preview:
            return
        finished, listened = self._current_song, self._last_position_ms
        if now is not None and now.entry_id == self._current_id:
            return
        self._current_id = now.entry_id if now is not None else None
        self._current_song = now.song if now is not None else None
        self._last_position_ms = self._saved_position_ms = 0
        if finished is None or self.history is None:
            return
        end = finished.duration_ms
        completed = end is not None and listened >= end - END_SLACK_MS
        try:
            self.history.record(
                finished,
                listened_ms=max(0, listened),
                outcome=PlayOutcome.COMPLETED if completed else PlayOutcome.SKIPPED,
                vocal_mode=str(self.session.vocal.value),
            )
        except (KtvError, ValueError) as exc:
            log.warning("kiosk: play of %s not recorded: %s", finished.key, exc)

    def _save(self) -> None:
        session = self.session
        upcoming = list(session.upcoming)
        self._upcoming_ids = tuple(entry.entry_id for entry in upcoming)
        now = session.now_playing
        songs = [entry.item for entry in upcoming]
        current: int | None = None
        position = 0
        if now is not None and not now.preview:
            songs.insert(0, now.song)
            current = 0
            position = max(0, session.position_ms())
        try:
            self.store.save(songs, current, position)
            self.saves += 1
            log.debug("kiosk queue saved: %d songs, current %s", len(songs), current)
        except KtvError as exc:
            log.error("kiosk: queue not saved: %s", exc.detail)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
