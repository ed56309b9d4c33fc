"""Every Xiaowei music-resource operation against the emulator, through the provider."""

from __future__ import annotations

import pytest

from ktvdesk.catalog.base import SearchFilters
from ktvdesk.catalog.xiaowei.api import Quality
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.cloudsim.server import SimHandle
from ktvdesk.errors import NotFoundError, ProviderError
from ktvdesk.lyrics import Lyrics
from tests.integration.xiaowei.conftest import log_in


def _calls(sim: SimHandle, name: str) -> int:
    return sim.state.xiaowei.calls.get(name, 0)


async def test_search_pages_until_the_page_limit(provider: XiaoweiProvider, sim: SimHandle) -> None:
    first = await provider.search("e", limit=80)  # num is capped at 50
    assert len(first.items) == 50 and first.cursor == "2"
    assert first.total is not None and first.total > 200
    titles = [s.title.casefold() + " ".join(s.singers).casefold() for s in first.items]
    assert all("e" in t for t in titles)
    cursor: str | None = first.cursor
    pages = 1
    while cursor is not None:
        page = await provider.search("e", cursor=cursor, limit=50)
        cursor = page.cursor
        pages += 1
    assert pages == 4  # the document's page limit for search
    assert _calls(sim, "resources.search") == 4


async def test_search_past_the_end_is_an_empty_last_page(provider: XiaoweiProvider) -> None:
    page = await provider.search("月亮", limit=50)
    assert page.cursor is None  # fewer than 50 results: one page
    # Asking for a page beyond the results gets 52018 from the service: an empty page.
    beyond = await provider.search("月亮", cursor="3", limit=50)
    assert beyond.items == () and beyond.cursor is None


async def test_search_filter_playable(provider: XiaoweiProvider) -> None:
    page = await provider.search("a", limit=50, filters=SearchFilters(playable_only=True))
    assert page.items and all(s.rights.can_play for s in page.items)


async def test_search_singers_playlists_albums(provider: XiaoweiProvider, sim: SimHandle) -> None:
    singer = sim.state.catalog.songs[20].singers[0]
    songs = await provider.search_singers(singer, limit=10)
    assert songs.items and all(singer in s.singers for s in songs.items)
    playlists = await provider.search_playlists("热歌")
    assert [p.title for p in playlists.items] == ["热歌推荐"]
    album_name = sim.state.catalog.songs[30].album
    albums = await provider.search_albums(album_name)
    assert any(a.title == album_name for a in albums.items)
    album = next(a for a in albums.items if a.title == album_name)
    album_songs = await provider.album_songs(album.id)
    assert album_songs.items and all(s.album == album_name for s in album_songs.items)


async def test_suggest_uses_search_titles(provider: XiaoweiProvider) -> None:
    words = await provider.suggest("月亮", limit=5)
    assert 0 < len(words) <= 5 and all("月亮" in w for w in words)
    assert await provider.suggest("  ") == []


async def test_tags_charts_and_categories(provider: XiaoweiProvider) -> None:
    groups = await provider.tags()
    ids = {t.id for g in groups for t in g.tags}
    assert "cat:流行" in ids and "top:4" in ids and "top:26" in ids
    chart = await provider.songs_by_tag("top:26", limit=20)
    assert len(chart.items) == 20 and chart.cursor == "2" and chart.total
    second = await provider.songs_by_tag("top:26", cursor=chart.cursor, limit=20)
    assert {s.id for s in second.items}.isdisjoint({s.id for s in chart.items})
    category = await provider.songs_by_tag("cat:摇滚", limit=30)
    assert category.items and category.cursor is None


async def test_daily_recommendations_and_new_songs_are_browsable_tags(
    provider: XiaoweiProvider, sim: SimHandle
) -> None:
    groups = await provider.tags()
    recommend = next(g for g in groups if g.id == "recommend")
    assert [t.id for t in recommend.tags][:2] == ["rec:daily", "rec:new:mainland"]
    daily = await provider.songs_by_tag("rec:daily", limit=50)
    assert daily.items and daily.cursor is None and sim.state.xiaowei.calls["resources.rec_30_everyday"] == 1
    new = await provider.songs_by_tag("rec:new:western", limit=50)
    assert new.items and sim.state.xiaowei.calls["resources.new_song_recommendation"] == 1


async def test_song_square_and_playlist_songs(provider: XiaoweiProvider) -> None:
    square = await provider.playlists(limit=5)
    assert len(square.items) == 5 and square.cursor == "1"  # the square counts pages from 0
    rest = await provider.playlists(cursor=square.cursor, limit=5)
    assert rest.items and rest.cursor is None
    hot = next(p for p in square.items + rest.items if p.title == "热歌推荐")
    songs = await provider.playlist_songs(hot.id, limit=50)
    assert songs.total == hot.song_count and len(songs.items) == min(50, hot.song_count or 0)


async def test_tag_playlists_stop_at_100(provider: XiaoweiProvider) -> None:
    groups = await provider.playlist_tags()
    tag = groups[0].tags[0]
    assert (tag.id, tag.name) == ("100823", "推荐")
    first = await provider.tag_playlists(tag.id, limit=50)
    second = await provider.tag_playlists(tag.id, cursor=first.cursor, limit=50)
    assert len(first.items) == 50 and len(second.items) == 50 and second.cursor is None
    songs = await provider.playlist_songs(first.items[0].id, limit=10)  # negative diss ids work
    assert len(songs.items) == 10


async def test_details_daily_and_new(provider: XiaoweiProvider, sim: SimHandle) -> None:
    service = sim.state.xiaowei
    ids = [str(service.song_id(s)) for s in sim.state.catalog.songs[40:43]]
    details = await provider.details([*ids, "123"])  # unknown ids are left out
    assert [d.song.id for d in details] == ids
    assert all(d.chorus_clips and d.chorus_clips[0].begin_ms > 1000 for d in details)
    assert len(await provider.daily_30()) == 30
    assert await provider.new_songs("western")
    with pytest.raises(ProviderError):
        await provider.new_songs("mars")


async def test_quality_get_and_set(provider: XiaoweiProvider) -> None:
    assert await provider.quality() == Quality.STANDARD
    await provider.set_quality(Quality.LOSSLESS)
    assert await provider.quality() == Quality.LOSSLESS


async def test_user_lists_need_a_login_then_work(provider: XiaoweiProvider, sim: SimHandle) -> None:
    with pytest.raises(ProviderError) as info:
        await provider.my_playlists()
    assert info.value.code == "40100"
    await log_in(provider, sim)
    song_id = str(sim.state.xiaowei.song_id(sim.state.catalog.songs[50]))
    await provider.set_favorite(song_id, True)
    favorites = await provider.favorites(limit=10)
    assert [s.id for s in favorites.items] == [song_id] and favorites.total == 1
    mine = await provider.my_playlists()
    assert mine[0].title == "我喜欢" and mine[0].song_count == 1
    assert [s.id for s in (await provider.playlist_songs(mine[0].id)).items] == [song_id]
    await provider.set_favorite(song_id, False)
    assert (await provider.favorites()).items == ()


async def test_lyrics_are_parsed_lrc(provider: XiaoweiProvider, sim: SimHandle) -> None:
    song_sim = sim.state.catalog.songs[60]
    [detail] = await provider.details([str(sim.state.xiaowei.song_id(song_sim))])
    lyrics = await provider.fetch_lyrics(detail.song)
    assert isinstance(lyrics, Lyrics)
    assert len(lyrics.lines) == 8
    assert lyrics.lines[0].start_ms == song_sim.prelude_s * 1000
    assert song_sim.title in lyrics.lines[0].text


async def test_unknown_playlist_is_a_clear_error(provider: XiaoweiProvider) -> None:
    with pytest.raises(ProviderError) as info:
        await provider.playlist_songs("424242")
    assert info.value.user_message.zh and info.value.user_message.en
    with pytest.raises(NotFoundError):
        await provider.playlist_songs("not-a-number")


def test_provider_is_a_catalog_provider(provider: XiaoweiProvider) -> None:
    from ktvdesk.catalog.base import CatalogProvider

    assert isinstance(provider, CatalogProvider) and provider.name == "xiaowei"
