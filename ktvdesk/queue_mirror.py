"""Tonight's queue, mirrored into storage on every change and given back at start-up.

Above both the session and storage (it listens to one and writes the other), so it is
neither: storage stays below the session, and the desktop app and the kiosk share it.

In kiosk mode there is nobody to answer a "continue where we left off?" prompt, so
`restore()` re-queues the stored songs by itself (the song that was on first, resumed
near where it stopped) and playback carries on.

Saved as `[current, *upcoming]` with index 0 while a song is on, `[*upcoming]` with no
index otherwise (the storage module's mirror convention). The session pops the next
entry off the queue *before* its media is resolved and only then reports it as playing;
saving that in-between state would drop the song being switched to if the process died
right then, so a bare "head popped" change waits for the NOW_PLAYING that follows it.

Writes go through `write` (the user-data service's writer thread in the app, so a save
never blocks the GUI; inline by default). Each save writes only what changed since the
stored queue (`storage.queue_rows`), and a save still waiting on the writer when a newer
one is handed in is skipped: the newer one runs after it, in order, and stores the queue
as it is then (a burst of phones queueing is one write, not one per song).
Plays are not recorded here: the one play record is `AppServices.record_play`, fed by the
session's end reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ktvdesk.errors import KtvError
from ktvdesk.models import Song
from ktvdesk.playback import PlayerState
from ktvdesk.session import KaraokeSession, SessionEvent, SessionEventKind
from ktvdesk.storage import QueueSnapshot, QueueStore

Write = Callable[[Callable[[], None], str], None]

log = logging.getLogger(__name__)

POSITION_SAVE_EVERY_MS = 5000
RESUME_MIN_MS = 5000  # closer to the start than this, a resumed song starts from the top
_BETWEEN_SONGS = (PlayerState.IDLE, PlayerState.ENDED, PlayerState.STOPPED)


class QueueMirror:
    def __init__(self, session: KaraokeSession, store: QueueStore, *, write: Write | None = None) -> None:
        self.session = session
        self.store = store
        self.saves = 0
        self._write: Write = write or _inline
        self._restoring = False
        self._upcoming_ids: tuple[int, ...] = ()
        self._current_id: int | None = None
        self._saved_position_ms = 0
        self._resume_ms: int | None = None
        self._unsubscribe: Callable[[], None] | None = session.subscribe(self._on_event)

    def restore(self, snapshot: QueueSnapshot | None = None) -> list[Song]:
        """Queue what storage holds (`snapshot`, read at start-up; read now if not given);
        returns the songs re-queued (playback starts by itself).

        Into an empty session the song that was on comes first and resumes near where it
        stopped; songs queued meanwhile (the desktop asks before restoring) stay first and
        the stored ones follow them, without a resume: another song is on.
        """
        if snapshot is None:
            try:
                snapshot = self.store.load()
            except KtvError as exc:
                log.error("stored queue unreadable: %s", exc.detail)
                return []
        start = snapshot.current_index or 0
        songs = list(snapshot.songs[start:])
        singers = [snapshot.singer_at(index) for index in range(start, len(snapshot.songs))]
        fresh = self.session.now_playing is None and not self.session.upcoming
        if fresh and snapshot.current_index is not None and snapshot.position_ms >= RESUME_MIN_MS:
            self._resume_ms = snapshot.position_ms
        self._restoring = True
        try:
            for song, singer in zip(songs, singers, strict=True):
                self.session.enqueue(song, singer=singer)  # the stage and phones still say who
        finally:
            self._restoring = False
        self.save()
        log.info("queue: restored %d songs: %s", len(songs), ", ".join(s.key for s in songs))
        return songs

    def _on_event(self, event: SessionEvent) -> None:
        if self._restoring:
            return
        kind = event.kind
        if kind is SessionEventKind.QUEUE:
            upcoming = tuple(entry.entry_id for entry in self.session.upcoming)
            if self._switching() and self._upcoming_ids and upcoming == self._upcoming_ids[1:]:
                return  # the next song is being taken: saved with its NOW_PLAYING
            self.save()
        elif kind is SessionEventKind.NOW_PLAYING:
            self._song_changed()
            self.save()
        elif kind is SessionEventKind.POSITION:
            self._position()
        elif kind is SessionEventKind.STATE:
            self._maybe_resume()

    def _switching(self) -> bool:
        """The engine is between songs (a user edit happens while one plays or is paused)."""
        return self.session.can_play and self.session.state in _BETWEEN_SONGS

    def _maybe_resume(self) -> None:
        now = self.session.now_playing
        if self._resume_ms is None or now is None or self.session.state is not PlayerState.PLAYING:
            return
        resume_ms, self._resume_ms = self._resume_ms, None
        self.session.seek(resume_ms)
        log.info("queue: resumed %s at %d ms", now.song.key, resume_ms)

    def _position(self) -> None:
        now = self.session.now_playing
        if now is None or now.preview:
            return
        position = self.session.position_ms()
        if abs(position - self._saved_position_ms) >= POSITION_SAVE_EVERY_MS:
            self._saved_position_ms = position
            self._write(lambda: self.store.set_position(position), "position save")

    def _song_changed(self) -> None:
        now = self.session.now_playing
        if now is not None and now.preview:
            return
        if now is not None and now.entry_id == self._current_id:
            return
        self._current_id = now.entry_id if now is not None else None
        self._saved_position_ms = 0

    def save(self) -> None:
        """Store the queue as it is now (`[current, *upcoming]`)."""
        session = self.session
        upcoming = list(session.upcoming)
        self._upcoming_ids = tuple(entry.entry_id for entry in upcoming)
        now = session.now_playing
        songs = [entry.item for entry in upcoming]
        singers = [session.singers.singer_of(entry.entry_id) for entry in upcoming]
        current: int | None = None
        position = 0
        if now is not None and not now.preview:
            songs.insert(0, now.song)
            singers.insert(0, session.singers.singer_of(now.entry_id))
            current = 0
            position = max(0, session.position_ms())
        self.saves += 1
        ticket = self.saves

        def write() -> None:
            if ticket != self.saves:
                return  # a newer save waits behind this one on the writer: it stores the queue
            self.store.save(songs, current, position, singers)
            log.debug("queue saved: %d songs, current %s", len(songs), current)

        self._write(write, "queue save")

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def _inline(job: Callable[[], None], what: str) -> None:
    try:
        job()
    except (KtvError, ValueError) as exc:
        log.error("%s failed: %s", what, exc)
