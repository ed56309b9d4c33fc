"""Why 原唱 is greyed: the reason depends on where the song comes from."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ktvdesk.models import MediaSource, Rights, Song, VocalLayout
from ktvdesk.ui.vocal_rights import no_original_reason

BACKING = MediaSource(url="http://127.0.0.1/a.wav", layout=VocalLayout.ACCOMPANIMENT_ONLY)
BOTH = MediaSource(url="http://127.0.0.1/a.wav", layout=VocalLayout.SEPARATE_FILE, accompaniment_url="b")


def test_reasons(qtbot: QtBot) -> None:
    no_recording = Song(provider="zego", id="1", title="t", rights=Rights(can_play=False, can_sing=True))
    assert "Recording = 0" in (no_original_reason(no_recording, BACKING) or "")
    segment = Song(provider="yinsuda", id="2", title="t")
    assert "accompaniment segment" in (no_original_reason(segment, BACKING) or "")
    assert "only the accompaniment" in (
        no_original_reason(Song(provider="local", id="3", title="t"), BACKING) or ""
    )
    assert no_original_reason(no_recording, BOTH) is None
