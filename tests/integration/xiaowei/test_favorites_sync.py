"""The user's QQ Music favourites and ours, in step both ways (cloudsim over loopback)."""

from __future__ import annotations

from ktvdesk.catalog.xiaowei.favorites_sync import XiaoweiFavoritesSync
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.cloudsim.server import SimHandle
from ktvdesk.models import Song
from ktvdesk.services import MemoryFavorites
from tests.integration.xiaowei.conftest import log_in


def _id(sim: SimHandle, index: int) -> str:
    return str(sim.state.xiaowei.song_id(sim.state.catalog.songs[index]))


def keys(store: MemoryFavorites) -> set[str]:
    return store.keys()


def _cloud_ids(sim: SimHandle) -> set[str]:
    (account,) = [a for a in sim.state.xiaowei.accounts.values() if a.logged_in]
    return {str(i) for i in account.favorites}


async def test_favourites_stay_in_step_both_ways(provider: XiaoweiProvider, sim: SimHandle) -> None:
    await log_in(provider, sim)
    on_phone, on_both, here_only = _id(sim, 40), _id(sim, 41), _id(sim, 42)
    await provider.set_favorite(on_phone, True)
    await provider.set_favorite(on_both, True)
    store = MemoryFavorites()
    local_song = (await provider.details([here_only]))[0].song
    store.add(local_song)  # favourited here before this device logged in
    store.add(Song(provider="local", id="x", title="a local song"))  # never sent to QQ Music
    sync = XiaoweiFavoritesSync(provider, store)

    first = await sync.pull()
    assert (first.added_here, first.removed_here, first.sent) == (2, 0, 1)
    assert {k for k in keys(store) if k.startswith("xiaowei:")} == {
        f"xiaowei:{i}" for i in (on_phone, on_both, here_only)
    }
    assert _cloud_ids(sim) == {on_phone, on_both, here_only} and "local:x" in keys(store)

    await provider.set_favorite(on_phone, False)  # the user unfavourites it on the phone
    second = await sync.pull()
    assert (second.added_here, second.removed_here, second.sent) == (0, 1, 0)
    assert f"xiaowei:{on_phone}" not in keys(store)

    both = (await provider.details([on_both]))[0].song
    await sync.set(both, False)  # unfavourited in the window: gone from the cloud too
    assert on_both not in _cloud_ids(sim) and f"xiaowei:{on_both}" not in keys(store)
    assert (await sync.pull()).removed_here == 0  # nothing left to reconcile
