"""Xiaowei (QQ Music) actions of `ktvdesk catalog` (settings from config / KTVDESK_XIAOWEI_*)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.xiaowei.api import QrKind, Quality
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.cli.catalog import CliAction, dump, no_args, paging_args, song_id_arg
from ktvdesk.models import Song

QR_KINDS = {"qqmusic": QrKind.QQ_MUSIC, "wechat": QrKind.WECHAT, "qq": QrKind.QQ}
QUALITIES = {q.name.lower(): q for q in Quality}


def open_provider(args: argparse.Namespace) -> XiaoweiProvider:
    from ktvdesk.config import load_settings

    section = load_settings().settings.xiaowei
    return XiaoweiProvider(load_xiaowei_settings(section=section, endpoint=args.endpoint))


def _song(song_id: str) -> Song:
    return Song(provider="xiaowei", id=song_id, title=song_id)


def _keyword(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("keyword")
    paging_args(parser)


def _search_args(parser: argparse.ArgumentParser) -> None:
    _keyword(parser)
    parser.add_argument("--playable", action="store_true", help="only playable songs")


async def _search(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    filters = SearchFilters(playable_only=args.playable) if args.playable else None
    return dump(await provider.search(args.keyword, cursor=args.cursor, limit=args.limit, filters=filters))


async def _singer(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.search_singers(args.keyword, cursor=args.cursor, limit=args.limit))


async def _search_playlists(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.search_playlists(args.keyword, cursor=args.cursor, limit=args.limit))


async def _albums(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.search_albums(args.keyword, cursor=args.cursor, limit=args.limit))


def _suggest_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("keyword")
    parser.add_argument("--limit", type=int, default=10)


async def _suggest(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return await provider.suggest(args.keyword, limit=args.limit)


async def _tags(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return [dump(group) for group in await provider.tags()]


def _id_paged(name: str) -> Any:
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(name)
        paging_args(parser)

    return add


async def _tag(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.songs_by_tag(args.tag_id, cursor=args.cursor, limit=args.limit))


async def _playlist_tags(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return [dump(group) for group in await provider.playlist_tags()]


async def _tag_playlists(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.tag_playlists(args.tag_id, cursor=args.cursor, limit=args.limit))


async def _playlists(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.playlists(cursor=args.cursor, limit=args.limit))


async def _playlist(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.playlist_songs(args.playlist_id, cursor=args.cursor, limit=args.limit))


async def _album(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.album_songs(args.album_id, cursor=args.cursor, limit=args.limit))


def _ids_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song_ids", nargs="+", metavar="SONG_ID")


async def _detail(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return [dump(d) for d in await provider.details(args.song_ids)]


def _media_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song_id")
    parser.add_argument("--clip", action="store_true", help="the chorus clip (try_begin/try_end)")


async def _media(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.resolve_media(_song(args.song_id), MediaRequest(clip=args.clip)))


async def _refresh(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    fresh = await provider.refresh_media(args.song_ids)
    return {song_id: dump(source) for song_id, source in fresh.items()}


async def _lyrics(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    from ktvdesk.errors import NotFoundError, UserMessage
    from ktvdesk.lyrics import to_json_dict

    lyrics = await provider.fetch_lyrics(_song(args.song_id))
    if lyrics is None:
        raise NotFoundError(
            f"xiaowei song {args.song_id} has no lyrics",
            user_message=UserMessage("这首歌没有歌词。", "This song has no lyrics."),
        )
    return to_json_dict(lyrics)


async def _daily(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return [dump(s) for s in await provider.daily_30()]


def _region_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "region", nargs="?", default="mainland", choices=["mainland", "korea", "hk_tw", "western", "japan"]
    )


async def _new_songs(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    return [dump(s) for s in await provider.new_songs(args.region)]


def _qr_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=sorted(QR_KINDS), default="qqmusic", help="the app that scans")
    parser.add_argument(
        "--wait", action="store_true", help="poll until authorised, failed or expired (5 min)"
    )
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between polls with --wait")


async def _login_qr(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    login = await provider.start_qr_login(QR_KINDS[args.kind])
    shown: dict[str, Any] = {
        "kind": args.kind,
        "session": login.session,
        "expires_at": login.expires_at.isoformat(),
        # WeChat sends the picture (base64 PNG); the others a link to render as a QR code.
        "qr_image_base64" if login.is_image else "qr_code_url": login.qr_code_url,
    }
    if args.wait:
        await provider.wait_for_login(login, poll_s=args.poll)
        shown["state"] = "AUTHORISED"
    return shown


def _session_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session")


async def _login_status(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    state = await provider.login_state(args.session)
    return {"session": args.session, "state": state.name, "code": int(state)}


async def _release(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    await provider.release_login()
    return {"released": True}


async def _member(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    member, device = await asyncio.gather(provider.member_info(), provider.device_membership())
    return {"member": dump(member), "device": dump(device)}


def _quality_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("set", nargs="?", choices=sorted(QUALITIES), help="set this quality (default: show)")


async def _quality(provider: XiaoweiProvider, args: argparse.Namespace) -> Any:
    if args.set:
        await provider.set_quality(QUALITIES[args.set])
    return {"quality": (await provider.quality()).name.lower()}


ACTIONS = (
    CliAction("search", "search: songs by keyword (≤ 4 pages)", _search_args, _search),
    CliAction("suggest", "titles of the first search page", _suggest_args, _suggest),
    CliAction("singer", "search_singer: a singer's songs", _keyword, _singer),
    CliAction("search-playlists", "search_song_list: playlists by name", _keyword, _search_playlists),
    CliAction("albums", "search_album: albums by name", _keyword, _albums),
    CliAction("album", "album_detail: songs of an album", _id_paged("album_id"), _album),
    CliAction("tags", "categories (tag_detail) and charts (top_list)", no_args, _tags),
    CliAction("tag", "songs of a category (cat:NAME) or chart (top:ID)", _id_paged("tag_id"), _tag),
    CliAction("playlist-tags", "get_tag_list: playlist tags", no_args, _playlist_tags),
    CliAction("tag-playlists", "get_tag_song_list: playlists of a tag", _id_paged("tag_id"), _tag_playlists),
    CliAction("playlists", "song_square: playlists, hottest first", paging_args, _playlists),
    CliAction("playlist", "diss_detail: songs of a playlist", _id_paged("playlist_id"), _playlist),
    CliAction("detail", "song_detail: song details", _ids_args, _detail),
    CliAction("media", "the playable link at the configured quality", _media_args, _media),
    CliAction("refresh", "refresh_res_url: fresh links for songs", _ids_args, _refresh),
    CliAction("lyrics", "song_lyric, parsed (the JSON of `ktvdesk lyrics parse`)", song_id_arg, _lyrics),
    CliAction("daily", "rec_30_everyday: 30 songs of the day", no_args, _daily),
    CliAction("new-songs", "new_song_recommendation by region", _region_args, _new_songs),
    CliAction("login-qr", "get_qr_code: start a QR login (QQ Music, WeChat, QQ)", _qr_args, _login_qr),
    CliAction("login-status", "get_register_status of a QR session", _session_args, _login_status),
    CliAction("logout", "release_qr_authorization", no_args, _release),
    CliAction("member", "member_info + base_dev_mem_info", no_args, _member),
    CliAction("quality", "quality: show or set the audio quality", _quality_args, _quality),
)
