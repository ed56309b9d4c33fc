"""The karaoke kinds served to rooms: a folder holding an UltraStar song, an MP3+G pair and
a zipped one, a `.kar`, an `.ass` over a video and the broken ones is scanned into the real
PostgreSQL; a room (its own key, its own cache) searches each and plays it on real libVLC
through the server's signed links or its prefetched copy, and gets what the local provider
gives the player for the same files. Nothing is mocked; pictures go to memory (vmem)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from ktvdesk.catalog.base import MediaRequest
from ktvdesk.catalog.local.provider import LocalLibraryProvider
from ktvdesk.catalog.venue import VenueProvider, VenueRoom
from ktvdesk.lyrics import LyricsIndex
from ktvdesk.models import ClipSegment, MediaSource, Song, VocalLayout
from ktvdesk.playback import PlaybackEngine
from ktvdesk.playback.vlc_backend import VlcBackend, find_soundfont
from ktvdesk.scoring import ControllerEvent, FinalScore, ReferenceReady, SingingController
from ktvdesk.singing.audio import write_wav
from ktvdesk.singing.melody import MelodySource
from ktvdesk.singing.microphone import FileMicrophone
from ktvdesk.singing.reference import ReferenceFinder
from ktvdesk.venue import library as catalog
from ktvdesk.venue import schema
from tests.integration.formats.conftest import library, libvlc, scanned  # noqa: F401  (every kind; libVLC)
from tests.integration.formats.library_tree import VIDEO_RGB, Library
from tests.integration.formats.test_playback import (  # the local provider on the same folder
    CDG_H,
    CDG_W,
    check_cdg_drawing,
    near,
    until,
    wav_rms,
)
from tests.integration.venue.conftest import MakeTerminal, Venue
from tests.unit.singing.voices import voice

# Every kind, by a word of its title, as the scan names it.
KINDS = {
    "ultrastar": "Wolkenlied",
    "cdg pair": "Morgenrot",
    "cdg zip": "Mittagslicht",
    "kar": "Twinkle",
    "ass over video": "Sternschnuppe",
}


@pytest.fixture
def media_dirs(library: Library) -> list[Path]:  # noqa: F811  (the venue's song store: every kind)
    return [library.root]


@pytest.fixture
async def room(venue: Venue, tmp_path: Path) -> AsyncIterator[VenueProvider]:
    provider = VenueProvider(VenueRoom(venue.url, "101", venue.add_room("101")), tmp_path / "room-cache")
    yield provider
    await provider.aclose()


@contextlib.asynccontextmanager
async def playing(source: MediaSource, backend: VlcBackend) -> AsyncIterator[None]:
    """`source` playing on a real engine over `backend` (closed at the end)."""
    engine = PlaybackEngine(backend)
    try:
        engine.load(source)
        yield
    finally:
        await engine.aclose()
        backend.close()


async def find(provider: VenueProvider | LocalLibraryProvider, query: str) -> Song:
    (song,) = (await provider.search(query)).items
    return song


def _scan_status(venue: Venue) -> dict[str, Any]:
    with psycopg.connect(venue.pg.dsn) as conn:
        return catalog.scan_status(conn)


def test_every_kind_is_in_the_catalog_and_the_broken_ones_keep_their_reasons(
    venue: Venue,
    library: Library,  # noqa: F811
) -> None:
    status = _scan_status(venue)
    assert status["songs"] == len(KINDS)
    reasons = {Path(item["path"]).name: item["reason"] for item in status["unplayable"]}
    assert reasons == {
        "Nur Bild.cdg": "CD+G graphics without audio (no .mp3/.ogg/.flac/.wav of the same name)",
        "SC8123-06 - Testband - Abendrot.wav": "karaoke audio without its .cdg graphics",
        "Fotos.zip": "zip holds no single MP3+G pair (found: urlaub.txt)",
        "kaputt.kar": "damaged MIDI file: MIDI file is truncated in track 1",
        "Ohne Ton.txt": "audio file 'Ohne Ton.wav' named by #MP3/#AUDIO is missing",
    }
    with psycopg.connect(venue.pg.dsn) as conn:  # incremental: the parts are in each signature
        again = catalog.scan(conn, [library.root])
        assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, len(KINDS))
        library.cdg_pair.with_suffix(".wav").write_bytes(library.cdg_pair.with_suffix(".wav").read_bytes())
        assert catalog.scan(conn, [library.root]).updated == 1  # a part changed: its song is rescanned


@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_the_room_gets_what_the_local_provider_gives(
    room: VenueProvider,
    scanned: LocalLibraryProvider,  # noqa: F811
    kind: str,
) -> None:
    theirs, ours = await find(scanned, KINDS[kind]), await find(room, KINDS[kind])
    assert (ours.title, ours.singers, ours.has_lyrics) == (theirs.title, theirs.singers, theirs.has_lyrics)
    for request in (None, MediaRequest(clip=True)):
        wanted = await scanned.resolve_media(theirs, request)
        got = await room.resolve_media(ours, request)
        assert _without_files(got) == _without_files(wanted)
        for field in ("url", "accompaniment_url", "video_url"):  # each file is there, or neither
            assert (getattr(got, field) is None) == (getattr(wanted, field) is None), field
            if getattr(got, field) is not None:
                assert Path(getattr(wanted, field)).suffix.lower() == Path(str(getattr(got, field))).suffix
    local_lyrics, room_lyrics = await scanned.fetch_lyrics(theirs), await room.fetch_lyrics(ours)
    assert room_lyrics == local_lyrics


def _without_files(source: MediaSource) -> dict[str, Any]:
    return source.model_dump(exclude={"url", "accompaniment_url", "video_url", "expires_at"})


@pytest.mark.parametrize("prefetched", [False, True], ids=["streamed", "prefetched"])
@pytest.mark.parametrize("query", ["Morgenrot", "Mittagslicht"])  # the pair and the zipped pair
async def test_mp3g_graphics_are_drawn(room: VenueProvider, query: str, prefetched: bool) -> None:
    song = await find(room, query)
    if prefetched:
        assert await room.prefetch([song]) == [song.id]
    source = await room.resolve_media(song)
    assert source.is_network is not prefetched
    assert source.video_url is not None and source.video_url.endswith(".cdg")
    backend = VlcBackend(aout="dummy", video=True)
    frames = backend.capture_video(CDG_W, CDG_H)
    async with playing(source, backend):
        await until(lambda: backend.get_time() >= 2500 and frames.count > 0)
        check_cdg_drawing(frames)


async def test_ultrastar_notes_are_the_melody_and_its_video_plays(
    room: VenueProvider, tmp_path: Path
) -> None:
    song = await find(room, "Wolkenlied")
    lyrics = await room.fetch_lyrics(song)
    assert lyrics is not None and lyrics.format == "ultrastar"
    assert [line.text for line in lyrics.lines] == ["Wolken", "ziehen"]
    melody = await ReferenceFinder().find(lyrics=lyrics)  # what the scorer sings against
    assert melody.source is MelodySource.NOTES
    assert [(n.start_ms, round(n.pitch)) for n in melody.notes] == [
        (500, 60),
        (1000, 62),
        (1500, 64),
        (2100, 65),
    ]
    assert await room.chorus(song) == ClipSegment(begin_ms=1500, end_ms=3500)  # the medley
    source = await room.resolve_media(song)
    assert source.layout is VocalLayout.SEPARATE_FILE and source.accompaniment_url is not None
    out = tmp_path / "wolkenlied.wav"
    backend = VlcBackend(audio_out_file=out, video=True)
    frames = backend.capture_video(160, 96)
    async with playing(source, backend):
        await until(lambda: backend.get_time() >= 1500 and frames.count > 0)
        assert near(frames.pixel(80, 48), VIDEO_RGB), frames.pixel(80, 48)
    assert wav_rms(out) > 0.05


async def test_a_room_scores_an_ultrastar_song_against_its_notes(
    venue: Venue, make_terminal: MakeTerminal, tmp_path: Path
) -> None:
    """The whole room: queued on its session, copied to its cache, sung into a microphone
    (the melody sung in tune, delivered in real time), scored against the `.txt` notes."""
    room = await make_terminal("102", venue.url, autoplay=False)
    song = await find(room.provider, "Wolkenlied")
    lyrics = await room.provider.fetch_lyrics(song)
    assert lyrics is not None and lyrics.melody is not None
    singer = tmp_path / "singer.wav"
    write_wav(singer, voice(lyrics.melody))
    controller = SingingController(
        room.session,
        ReferenceFinder(),
        lambda: FileMicrophone(singer, start_at_ms=room.session.now_ms),
        enabled=True,
    )
    events: list[ControllerEvent] = []
    changed = asyncio.Event()

    def heard(event: ControllerEvent) -> None:
        events.append(event)
        changed.set()

    controller.subscribe(heard)
    try:
        room.session.enqueue_for(song, "Ann")
        await room.until(lambda: room.provider.cache.get(song.id) is not None)
        assert not (await room.provider.resolve_media(song)).is_network  # sung from the room's copy
        await room.session.play()
        await room.until(lambda: any(isinstance(e, FinalScore) for e in events), 60)  # the song ends
    finally:
        controller.close()
    (ready,) = [e for e in events if isinstance(e, ReferenceReady)]
    assert ready.melody == lyrics.melody
    final = next(e for e in events if isinstance(e, FinalScore))
    assert final.reference == "notes" and final.result.score > 50, final.result


async def test_kar_sounds_through_fluidsynth(room: VenueProvider, tmp_path: Path) -> None:
    assert find_soundfont() is not None, "the GM soundfont is missing (make installs it)"
    song = await find(room, "Twinkle")
    lyrics = await room.fetch_lyrics(song)
    assert lyrics is not None and lyrics.melody is not None and lyrics.melody.notes
    source = await room.resolve_media(song)
    assert source.is_network and source.url.endswith(".kar") and source.container == "midi"
    out = tmp_path / "twinkle.wav"
    backend = VlcBackend(audio_out_file=out)
    assert backend.midi_problem is None, backend.midi_problem
    async with playing(source, backend):
        await until(lambda: backend.get_time() >= 3000)
    assert wav_rms(out) > 0.01  # music, not silence


async def test_ass_lyrics_over_a_video(room: VenueProvider) -> None:
    song = await find(room, "Sternschnuppe")
    assert await room.prefetch([song]) == [song.id]
    lyrics = await room.fetch_lyrics(song)
    assert lyrics is not None and lyrics.format == "ass"
    source = await room.resolve_media(song)
    assert not source.is_network
    backend = VlcBackend(aout="dummy", video=True)
    frames = backend.capture_video(160, 96)
    async with playing(source, backend):
        await until(lambda: backend.get_time() >= 1000 and frames.count > 0)
        at = backend.get_time()
        assert near(frames.pixel(80, 48), (200, 40, 40)), frames.pixel(80, 48)
    position = LyricsIndex(lyrics).at(at)
    assert position.active and position.line is not None and position.line.text == "Sternschnuppe"


async def test_each_part_streams_with_range_and_only_with_its_signature(room: VenueProvider) -> None:
    song = await find(room, "Mittagslicht")
    media = await room._media(song)  # the server's reply, as the room reads it
    graphics = media["parts"]["video"]["url"]
    assert graphics.endswith("/video.cdg")
    async with httpx.AsyncClient() as client:
        whole = await client.get(graphics)
        assert whole.status_code == 200 and len(whole.content) % 24 == 0  # CD+G packets, unpacked
        part = await client.get(graphics, headers={"Range": "bytes=24-47"})
        assert part.status_code == 206 and part.content == whole.content[24:48]
        assert (await client.get(graphics.replace("/video/", "/main/"))).status_code == 403
        signature = graphics.split("/")[-2]
        assert (await client.get(graphics.replace(signature, "签名"))).status_code == 403  # not a 500


def test_an_older_venue_database_forgets_its_not_served_notes(db: psycopg.Connection[Any]) -> None:
    db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute(schema._STEPS[1])  # the database as the first venue release left it
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute(
        "INSERT INTO unplayable (path, reason) VALUES ('/nas/a.txt', 'ultrastar songs are not served to "
        "rooms yet'), ('/nas/b.cdg', 'damaged .cdg: no packets')"
    )
    db.commit()
    assert schema.migrate(db) == 2
    assert db.execute("SELECT path FROM unplayable").fetchall() == [("/nas/b.cdg",)]
    kinds = db.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'songs'")
    assert {"kind", "lyrics_kind", "extras"} <= {row[0] for row in kinds.fetchall()}
