"""Playback: the song queue, the lyric clock and the engine (no Qt; only vlc_backend imports vlc)."""

from ktvdesk.playback.backend import AudioFilters, BackendEvent, MediaOptions, PlayerBackend
from ktvdesk.playback.clock import PlaybackClock, TimeSource
from ktvdesk.playback.engine import (
    EndReason,
    EventKind,
    PlaybackEngine,
    PlaybackEvent,
    PlayerState,
    RecoveryPolicy,
    VocalMode,
)
from ktvdesk.playback.queue import HistoryEntry, PlayQueue, QueueEntry

__all__ = [
    "AudioFilters",
    "BackendEvent",
    "EndReason",
    "EventKind",
    "HistoryEntry",
    "MediaOptions",
    "PlayQueue",
    "PlaybackClock",
    "PlaybackEngine",
    "PlaybackEvent",
    "PlayerBackend",
    "PlayerState",
    "QueueEntry",
    "RecoveryPolicy",
    "TimeSource",
    "VocalMode",
]
