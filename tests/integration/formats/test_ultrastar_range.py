"""UltraStar `#START` and `#END` in real playback: the song plays from #START and stops at
#END on the audio's own clock, so the notes' file times still say what is sung. Real
libVLC renders the audio into a WAV through the engine; a scanned library gives the song."""

from __future__ import annotations

import wave
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ktvdesk.catalog.local.provider import LocalLibraryProvider
from ktvdesk.lyrics import LyricsIndex
from ktvdesk.playback import PlaybackEngine
from ktvdesk.playback.engine import EventKind, PlaybackEvent, PlayerState
from ktvdesk.playback.vlc_backend import VlcBackend
from tests.integration.formats.library_tree import write_tone
from tests.integration.formats.test_playback import until

START_MS, END_MS = 1500, 2600
# BPM 300 = 50 ms a beat after a 500 ms GAP: "vor" at 500..900 ms is skipped by #START,
# "mit" sings over 1700..2100 ms, inside the range; "nach" at 3000 ms is cut off by #END.
RANGED_SONG = """#TITLE:Ausschnitt
#ARTIST:Testchor
#MP3:ausschnitt.wav
#BPM:300
#GAP:500
#START:1,5
#END:2600
: 0 8 0 vor
- 10
: 24 8 2 mit
- 40
: 50 8 4 nach
E
"""


@pytest.fixture
async def ranged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[LocalLibraryProvider]:
    monkeypatch.setenv("KTVDESK_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "songs" / "Testchor - Ausschnitt"
    folder.mkdir(parents=True)
    (folder / "ausschnitt.txt").write_text(RANGED_SONG, encoding="utf-8")
    write_tone(folder / "ausschnitt.wav", 4.0)
    provider = LocalLibraryProvider(tmp_path / "lib.db", roots=[tmp_path / "songs"])
    await provider.scan()
    yield provider
    await provider.aclose()


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as rendered:
        return float(rendered.getnframes()) / float(rendered.getframerate())


async def test_start_and_end_bound_what_plays(ranged: LocalLibraryProvider, tmp_path: Path) -> None:
    (song,) = (await ranged.search("Ausschnitt")).items
    source = await ranged.resolve_media(song)
    assert source.clip is not None and (source.clip.begin_ms, source.clip.end_ms) == (START_MS, END_MS)
    lyrics = await ranged.fetch_lyrics(song)
    assert lyrics is not None
    out = tmp_path / "ausschnitt.wav"
    backend = VlcBackend(audio_out_file=out)
    engine = PlaybackEngine(backend)
    positions: list[int] = []

    def on_event(event: PlaybackEvent) -> None:
        # Positions while the song plays (the engine says 0 once when loading).
        if event.kind is EventKind.POSITION and event.position_ms and engine.state is PlayerState.PLAYING:
            positions.append(event.position_ms)

    engine.subscribe(on_event)
    try:
        engine.load(source)
        await until(lambda: engine.state is PlayerState.ENDED)
    finally:
        await engine.aclose()
        backend.close()
    # About 1.1 s of the 4 s tone was rendered: playback began at #START and stopped at #END.
    assert 0.6 <= wav_seconds(out) <= 1.7, wav_seconds(out)
    assert positions and min(positions) >= START_MS - 100 and max(positions) <= END_MS + 100
    # The song's clock is the file's: the lyrics at a played position are the file's line there.
    index = LyricsIndex(lyrics)
    lines = {line.text for line in (index.at(p).line for p in positions) if line is not None}
    assert lines == {"mit"}, (positions, lines)
