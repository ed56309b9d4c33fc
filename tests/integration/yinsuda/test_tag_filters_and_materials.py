"""Tag filters (`TagFilters`) and the lyrics / pitch marks of listed songs, against cloudsim.

The listings' base info does not say whether a song has lyrics or a pitch line; the
provider reads the page's details (LyricsUrl, MidiUrl) so that the Available column is
right, and the service itself applies DescribeKTVMusicsByTag's RightFilters and
MaterialFilters.
"""

from __future__ import annotations

from collections import Counter

from ktvdesk.catalog.base import SearchFilters
from ktvdesk.catalog.capabilities import PlaylistSearch, SingerSearch, TagFilters
from ktvdesk.catalog.yinsuda import mapping
from ktvdesk.catalog.yinsuda import payloads as p
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.cloudsim import SimHandle


def _busiest_tag(sim: SimHandle) -> str:
    counts = Counter(tag for song in sim.state.catalog.songs for tag in song.tags)
    return counts.most_common(1)[0][0]


def test_yinsuda_offers_tag_filters_and_nothing_it_cannot_do(provider: YinsudaProvider) -> None:
    assert isinstance(provider, TagFilters)
    assert not isinstance(provider, SingerSearch) and not isinstance(provider, PlaylistSearch)


async def test_a_filtered_tag_lists_only_songs_with_lyrics_and_sing_rights(
    provider: YinsudaProvider, sim: SimHandle
) -> None:
    tag = _busiest_tag(sim)
    truth = sim.state.catalog.by_tag(tag)
    wanted = [s.id for s in truth if s.has_lyrics and s.can_sing]
    assert 0 < len(wanted) < len(truth), "the catalog must hold songs the filter drops"
    filters = SearchFilters(singable_only=True, with_lyrics=True)

    seen: list[str] = []
    cursor = None
    while True:
        page = await provider.filtered_songs_by_tag(tag, filters, cursor=cursor, limit=50)
        seen += [song.id for song in page.items]
        assert all(song.has_lyrics and song.rights.can_sing for song in page.items)
        if not page.has_more:
            break
        cursor = page.cursor
    assert seen == wanted


async def test_listed_songs_say_whether_they_have_lyrics_and_pitch(
    provider: YinsudaProvider, sim: SimHandle
) -> None:
    tag = _busiest_tag(sim)
    page = await provider.songs_by_tag(tag, limit=50)
    truth = sim.state.catalog.by_id
    assert {truth[s.id].has_lyrics for s in page.items} == {True, False}, "a page with both kinds"
    for song in page.items:
        assert song.lyrics_known
        assert (song.has_lyrics, song.has_pitch) == (truth[song.id].has_lyrics, truth[song.id].has_pitch)


async def test_marks_reuse_kept_details_and_survive_a_details_failure(
    provider: YinsudaProvider, sim: SimHandle
) -> None:
    service = sim.state.yinsuda
    query = sim.state.catalog.songs[0].title
    first = await provider.search(query, limit=20)
    assert first.items
    before = service.calls["BatchDescribeKTVMusicDetails"]
    again = await provider.search(query, limit=20)
    assert service.calls["BatchDescribeKTVMusicDetails"] == before  # the details were kept
    assert again.items == first.items

    fresh = YinsudaProvider(provider.settings)  # nothing kept yet
    try:
        listed = mapping.song_page(
            await fresh.api.search_musics(p.SearchKTVMusicsRequest(KeyWord=query, Limit=20)), None
        )
        service.fail_next("UnsupportedOperation")  # the details call, not retried
        failed = await fresh._with_materials(listed, None)
    finally:
        await fresh.aclose()
    assert [s.id for s in failed.items] == [s.id for s in first.items]
    assert not any(song.lyrics_known or song.has_lyrics for song in failed.items)
