"""LocalLibraryProvider against a real index of real files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ktvdesk.catalog.base import CatalogProvider, MediaRequest, SearchFilters
from ktvdesk.catalog.local import LocalLibraryProvider
from ktvdesk.errors import LyricsError, NotFoundError
from ktvdesk.models import Song, VocalLayout

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


@pytest.fixture
async def library(tmp_path: Path):
    root = tmp_path / "songs"
    shutil.copytree(DEMO, root)
    provider = LocalLibraryProvider(tmp_path / "library.db", roots=[root])
    report = await provider.scan()
    assert report.added == 6
    yield provider, root
    await provider.aclose()


async def test_it_is_a_catalog_provider(library: tuple[LocalLibraryProvider, Path]) -> None:
    provider, _ = library
    assert isinstance(provider, CatalogProvider)
    assert provider.name == "local"


async def test_search_pages_with_cursor(library: tuple[LocalLibraryProvider, Path]) -> None:
    provider, _ = library
    first = await provider.search("e", limit=2)  # matches many demo songs
    assert len(first.items) == 2 and first.cursor is not None
    second = await provider.search("e", limit=2, cursor=first.cursor)
    assert not {s.id for s in first.items} & {s.id for s in second.items}
    everything = await provider.search("e", limit=50)
    assert everything.cursor is None
    assert [s.id for s in everything.items[:4]] == [s.id for s in first.items + second.items]
    assert (await provider.search("e", filters=SearchFilters(with_pitch=True))).items == ()


async def test_suggest_tags_and_browsing(library: tuple[LocalLibraryProvider, Path]) -> None:
    provider, _ = library
    assert await provider.suggest("mo") == ["茉莉花"]
    groups = {group.id: group for group in await provider.tags()}
    assert set(groups) == {"initial", "genre", "language", "title_len", "folder"}
    languages = {tag.name: tag.id for tag in groups["language"].tags}
    assert set(languages) == {"国语", "英语"}
    english = await provider.songs_by_tag(languages["英语"])
    assert {s.title for s in english.items} == {
        "Amazing Grace",
        "Auld Lang Syne",
        "Twinkle Twinkle Little Star",
    }
    initials = {tag.name for tag in groups["initial"].tags}
    assert {"J", "L", "R", "E"} <= initials  # Jane/John, 李叔同, Robert, 儿歌
    l_songs = await provider.songs_by_tag("initial:L")
    assert [s.title for s in l_songs.items] == ["送别"]
    three_chars = await provider.songs_by_tag("title_len:3")
    assert {s.title for s in three_chars.items} == {"茉莉花", "Auld Lang Syne"}  # 3 characters / 3 words
    singer = await provider.songs_by_tag("singer:李叔同")
    assert [s.title for s in singer.items] == ["送别"]
    assert await provider.singers("J") == [
        ("Jane Taylor", 1),
        ("江苏民歌", 1),
        ("John Newton", 1),
    ]  # pinyin order
    with pytest.raises(NotFoundError):
        await provider.songs_by_tag("nonsense:1")
    assert (await provider.playlists()).items == ()


async def test_details(library: tuple[LocalLibraryProvider, Path]) -> None:
    provider, _ = library
    song = (await provider.search("送别")).items[0]
    [detail] = await provider.details([song.id, "999", "not-a-number"])
    assert detail.song == song
    assert detail.genres == ("民歌",) and detail.language == "国语"
    assert detail.lyrics_url is not None and detail.lyrics_url.endswith(".krc")


async def test_resolve_clip_request_plays_the_whole_song(library: tuple[LocalLibraryProvider, Path]) -> None:
    provider, _ = library
    song = (await provider.search("amazing grace")).items[0]
    media = await provider.resolve_media(song, MediaRequest(clip=True))
    assert media.clip is None and media.layout is VocalLayout.TWO_TRACKS and media.container == "mkv"


async def test_missing_files_and_foreign_songs(library: tuple[LocalLibraryProvider, Path]) -> None:
    provider, root = library
    song = (await provider.search("送别")).items[0]
    (root / "李叔同 - 送别.mkv").unlink()
    with pytest.raises(NotFoundError) as caught:
        await provider.resolve_media(song)
    assert caught.value.message("zh")
    foreign = Song(provider="yinsuda", id=song.id, title="x")
    with pytest.raises(NotFoundError):
        await provider.resolve_media(foreign)
    assert await provider.fetch_lyrics(foreign) is None
    report = await provider.scan()
    assert report.removed == 1
    assert (await provider.search("送别")).items == ()


async def test_damaged_and_missing_lyrics(library: tuple[LocalLibraryProvider, Path]) -> None:
    provider, root = library
    song = (await provider.search("茉莉花")).items[0]
    (root / "江苏民歌 - 茉莉花.krc").write_bytes(b"krc1 this is not zlib")
    with pytest.raises(LyricsError):
        await provider.fetch_lyrics(song)
    (root / "江苏民歌 - 茉莉花.krc").unlink()
    assert await provider.fetch_lyrics(song) is None  # gone since the scan: no lyrics, no crash
    await provider.scan()
    lrc_song = (await provider.search("茉莉花")).items[0]
    lyrics = await provider.fetch_lyrics(lrc_song)  # the .lrc is next in line after a rescan
    assert lyrics is not None and lyrics.format == "lrc"
