"""Why 原唱 (the original vocal) is not offered for a song, in words the singer can act on.

The engine refuses the original vocal on a source that carries only the accompaniment;
the window greys the 原唱 button instead and says why, which depends on where the song
comes from: ZEGO withholds the recording right (`Recording = 0`), a Yinsuda song is its
accompaniment segment, anything else simply has no vocal track.
"""

from __future__ import annotations

from ktvdesk.models import MediaSource, Song, VocalLayout
from ktvdesk.ui.i18n import tr


def no_original_reason(song: Song, source: MediaSource) -> str | None:
    """None when the original vocal can be switched on; else why it cannot."""
    if source.layout is not VocalLayout.ACCOMPANIMENT_ONLY:
        return None
    if song.provider == "zego" and not song.rights.can_play:
        return tr(
            "No original vocal: the copyright owner grants no recording right for this song "
            "(ZEGO Recording = 0), so only the accompaniment may be played."
        )
    if song.provider == "yinsuda":
        return tr("No original vocal: a Yinsuda song is its accompaniment segment.")
    return tr("No original vocal: this song has only the accompaniment.")
