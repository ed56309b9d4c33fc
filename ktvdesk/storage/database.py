"""`UserDatabase`: the user's songs (favorites, history, playlists, queue) in one SQLite file.

    db = UserDatabase(ktvdesk.paths.data_dir() / DEFAULT_FILE_NAME)
    db.favorites.add(song); db.queue.save(songs, current_index=0); db.close()

Opening creates or upgrades the schema. Several operations can be grouped atomically:
`with db.transaction(): ...` (one commit, one fsync).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import TracebackType

from ktvdesk.storage.connection import Database
from ktvdesk.storage.favorites import Favorites
from ktvdesk.storage.history import History
from ktvdesk.storage.playlists import Playlists
from ktvdesk.storage.queue import QueueStore
from ktvdesk.storage.scores import Scores
from ktvdesk.storage.songs import SongStore

DEFAULT_FILE_NAME = "user.sqlite3"


class UserDatabase(Database):
    def __init__(self, path: str | os.PathLike[str], *, clock_ms: Callable[[], int] | None = None) -> None:
        super().__init__(path, clock_ms=clock_ms)
        self.songs = SongStore(self)
        self.favorites = Favorites(self, self.songs)
        self.history = History(self, self.songs)
        self.playlists = Playlists(self, self.songs)
        self.queue = QueueStore(self, self.songs)
        self.scores = Scores(self, self.songs)

    def __enter__(self) -> UserDatabase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
