"""Which capability protocols Xiaowei offers the window, and what its listings say about
lyrics (nothing: the document has no lyrics field in any song list), against cloudsim."""

from __future__ import annotations

from ktvdesk.catalog.capabilities import PlaylistSearch, PlaylistTags, SingerSearch, TagFilters
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.cloudsim import SimHandle


def test_xiaowei_offers_singer_playlist_album_search_and_playlist_tags(provider: XiaoweiProvider) -> None:
    assert isinstance(provider, SingerSearch)
    assert isinstance(provider, PlaylistSearch)
    assert isinstance(provider, PlaylistTags)
    assert not isinstance(provider, TagFilters)  # no filtered tag listing in the document


async def test_listed_songs_leave_lyrics_unknown_until_song_lyric_is_asked(
    provider: XiaoweiProvider, sim: SimHandle
) -> None:
    singer = sim.state.catalog.songs[0].singers[0]
    page = await provider.search_singers(singer, limit=10)
    assert page.items
    assert all(not song.lyrics_known and not song.has_lyrics for song in page.items)
    lyrics = await provider.fetch_lyrics(page.items[0])  # the only way the document gives
    assert lyrics is not None and lyrics.lines
