"""The user's QQ Music favourites and ours, in step both ways (cloudsim over loopback),
with our favourites in a real user database read and written on its writer thread."""

from __future__ import annotations

from ktvdesk.catalog.xiaowei.favorites_sync import XiaoweiFavoritesSync
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.cloudsim.server import SimHandle
from ktvdesk.models import Song
from ktvdesk.storage.service import THREAD_NAME, ServiceFavorites, UserDataService
from tests.integration.xiaowei.conftest import favorite_threads, log_in


def _id(sim: SimHandle, index: int) -> str:
    return str(sim.state.xiaowei.song_id(sim.state.catalog.songs[index]))


def keys(user_data: UserDataService) -> set[str]:
    return user_data.run_blocking(lambda db: db.favorites.keys())


def _cloud_ids(sim: SimHandle) -> set[str]:
    (account,) = [a for a in sim.state.xiaowei.accounts.values() if a.logged_in]
    return {str(i) for i in account.favorites}


async def test_favourites_stay_in_step_both_ways(
    provider: XiaoweiProvider, sim: SimHandle, user_data: UserDataService
) -> None:
    await log_in(provider, sim)
    on_phone, on_both, here_only = _id(sim, 40), _id(sim, 41), _id(sim, 42)
    await provider.set_favorite(on_phone, True)
    await provider.set_favorite(on_both, True)
    local_song = (await provider.details([here_only]))[0].song
    user_data.run_blocking(lambda db: db.favorites.add(local_song))  # favourited before this device logged in
    local_only = Song(provider="local", id="x", title="a local song")  # never sent to QQ Music
    user_data.run_blocking(lambda db: db.favorites.add(local_only))
    threads = favorite_threads(user_data)  # ours are read and written on the writer thread only
    sync = XiaoweiFavoritesSync(provider, ServiceFavorites(user_data))

    first = await sync.pull()
    assert (first.added_here, first.removed_here, first.sent) == (2, 0, 1)
    assert {k for k in keys(user_data) if k.startswith("xiaowei:")} == {
        f"xiaowei:{i}" for i in (on_phone, on_both, here_only)
    }
    assert _cloud_ids(sim) == {on_phone, on_both, here_only} and "local:x" in keys(user_data)

    await provider.set_favorite(on_phone, False)  # the user unfavourites it on the phone
    second = await sync.pull()
    assert (second.added_here, second.removed_here, second.sent) == (0, 1, 0)
    assert f"xiaowei:{on_phone}" not in keys(user_data)

    both = (await provider.details([on_both]))[0].song
    await sync.set(both, False)  # unfavourited in the window: gone from the cloud too
    assert on_both not in _cloud_ids(sim) and f"xiaowei:{on_both}" not in keys(user_data)
    assert (await sync.pull()).removed_here == 0  # nothing left to reconcile
    assert threads and all(name.startswith(THREAD_NAME) for name in threads), threads
