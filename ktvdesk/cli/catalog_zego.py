"""ZEGO actions of `ktvdesk catalog` (settings from config / KTVDESK_ZEGO_*, secret from the keyring)."""

from __future__ import annotations

import argparse
from typing import Any

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.zego.provider import ZegoProvider
from ktvdesk.catalog.zego.settings import load_zego_settings
from ktvdesk.cli.catalog import CliAction, dump, no_args, paging_args, song_id_arg
from ktvdesk.errors import NotFoundError, UserMessage
from ktvdesk.models import Song


def open_provider(args: argparse.Namespace) -> ZegoProvider:
    from ktvdesk.config import load_settings

    section = load_settings().settings.zego
    return ZegoProvider(load_zego_settings(section=section, endpoint=args.endpoint))


def _song(song_id: str) -> Song:
    return Song(provider="zego", id=song_id, title=song_id)


def _search_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="words matched in the venue song list, and/or song ids")
    paging_args(parser)
    parser.add_argument("--playable", action="store_true", help="only songs with the recording right")
    parser.add_argument("--singable", action="store_true", help="only songs with the lyric/composition right")


async def _search(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    filters = SearchFilters(playable_only=args.playable, singable_only=args.singable)
    return dump(await provider.search(args.query, cursor=args.cursor, limit=args.limit, filters=filters))


async def _tags(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    return [dump(group) for group in await provider.tags()]


def _tag_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tag_id")
    paging_args(parser)


async def _tag(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.songs_by_tag(args.tag_id, cursor=args.cursor, limit=args.limit))


def _ids_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song_ids", nargs="+", metavar="SONG_ID")


async def _detail(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    details = await provider.details(args.song_ids)
    badge = str(provider.owner_badge)
    return [{**dump(d), "owner_badge": badge} if d.song.needs_owner_badge else dump(d) for d in details]


async def _copyright(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    rows = await provider.copyrights(args.song_ids)
    return [
        {
            "song_id": c.song_id,
            "right": c.right,
            "song_lyric": c.song_lyric,
            "recording": c.recording,
            "channel": c.channel,
            "owner_badge": str(provider.owner_badge) if c.needs_owner_badge else None,
        }
        for c in rows
    ]


def _media_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song_id")
    parser.add_argument("--clip", action="store_true", help="the chorus clip resource")


async def _resource(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    resource = await provider.resource(args.song_id, clip=args.clip, accompany=True)
    return {
        "song_id": resource.song_id,
        "is_clip": resource.is_clip,
        "is_accompany": resource.is_accompany,
        "krc_token_expires_at": resource.krc_token.expires_at.isoformat() if resource.krc_token else None,
        "segment": dump(resource.segment) if resource.segment else None,
        "prelude_ms": resource.prelude_ms,
        "resources": [
            {
                "resource_id": r.resource_id,
                "size": r.size,
                "quality": r.quality,
                "expires_at": r.expires_at.isoformat(),
            }
            for r in resource.resources
        ],
    }


async def _media(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.resolve_media(_song(args.song_id), MediaRequest(clip=args.clip)))


async def _refresh(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    """A new resource (new share_token) for each song: what renews an expired link."""
    out = {}
    for song_id in args.song_ids:
        out[song_id] = dump(await provider.resolve_media(_song(song_id)))
    return out


async def _lyrics(provider: ZegoProvider, args: argparse.Namespace) -> Any:
    from ktvdesk.lyrics import to_json_dict

    lyrics = await provider.fetch_lyrics(_song(args.song_id))
    if lyrics is None:
        raise NotFoundError(
            f"zego song {args.song_id} has no lyrics",
            user_message=UserMessage("这首歌没有歌词。", "This song has no lyrics."),
        )
    return to_json_dict(lyrics)


ACTIONS = (
    CliAction("search", "the venue song list and/or song ids, with rights", _search_args, _search),
    CliAction("tags", "tags of the venue song list", no_args, _tags),
    CliAction("tag", "songs of a venue tag", _tag_args, _tag),
    CliAction("detail", "songs with rights and channel (QuerySongsCopyright)", _ids_args, _detail),
    CliAction("copyright", "QuerySongsCopyright, batched by 20", _ids_args, _copyright),
    CliAction("resource", "the resource endpoint's tokens and expiries", _media_args, _resource),
    CliAction("media", "the playable media source", _media_args, _media),
    CliAction("refresh", "request new resources (fresh share tokens)", _ids_args, _refresh),
    CliAction("lyrics", "KRC lyrics, parsed (the JSON of `ktvdesk lyrics parse`)", song_id_arg, _lyrics),
)
