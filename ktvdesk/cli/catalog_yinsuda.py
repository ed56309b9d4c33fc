"""Yinsuda actions of `ktvdesk catalog` (credentials from the keyring or KTVDESK_YINSUDA_*)."""

from __future__ import annotations

import argparse
from typing import Any

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.yinsuda import payloads as p
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.catalog.yinsuda.settings import load_yinsuda_settings
from ktvdesk.cli.catalog import CliAction, dump, no_args, paging_args, song_id_arg
from ktvdesk.errors import NotFoundError, UserMessage


def open_provider(args: argparse.Namespace) -> YinsudaProvider:
    return YinsudaProvider(load_yinsuda_settings(endpoint=args.endpoint))


def _search_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("keyword")
    paging_args(parser)
    parser.add_argument("--playable", action="store_true", help="only 可播 songs")
    parser.add_argument("--singable", action="store_true", help="only 可唱 songs")
    parser.add_argument("--lyrics", action="store_true", help="only songs with lyrics")
    parser.add_argument("--pitch", action="store_true", help="only songs with pitch data")


async def _search(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    filters = SearchFilters(args.playable, args.singable, args.lyrics, args.pitch)
    return dump(await provider.search(args.keyword, cursor=args.cursor, limit=args.limit, filters=filters))


def _suggest_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("keyword")
    parser.add_argument("--limit", type=int, default=10)


async def _suggest(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    return await provider.suggest(args.keyword, limit=args.limit)


async def _tags(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    return [dump(group) for group in await provider.tags()]


def _tag_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tag_id")
    paging_args(parser)


async def _tag(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.songs_by_tag(args.tag_id, cursor=args.cursor, limit=args.limit))


async def _playlists(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.playlists(cursor=args.cursor, limit=args.limit))


def _playlist_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("playlist_id")
    paging_args(parser)


async def _playlist(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.playlist_songs(args.playlist_id, cursor=args.cursor, limit=args.limit))


def _detail_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song_ids", nargs="+", metavar="ID")


async def _detail(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    details = await provider.details(args.song_ids)
    found = {d.song.id for d in details}
    return {"details": [dump(d) for d in details], "not_found": [i for i in args.song_ids if i not in found]}


def _segment_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song_id")
    parser.add_argument("--vip", action="store_true", help="DescribeKTVMusicAccompanySegmentUrlVip")
    parser.add_argument("--clip", action="store_true", help="play only the chorus segment")


async def _segment(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    details = await provider.details([args.song_id])
    if not details:
        raise NotFoundError(
            f"yinsuda: song {args.song_id} does not exist",
            user_message=UserMessage("歌曲不存在。", "The song does not exist."),
        )
    source = await provider.resolve_media(details[0].song, MediaRequest(clip=args.clip, vip=args.vip))
    return dump(source)


def _match_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="song name")
    parser.add_argument("singers", nargs="*", help="singer names")
    parser.add_argument("--ame-id", action="append", default=[], help="match an AME music id instead")


async def _match(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    rules = [p.KTVMatchRule(MusicInfo=p.KTVMatchRuleMusicInfo(MusicName=args.name, SingerSet=args.singers))]
    rules += [p.KTVMatchRule(AMEMusicId=ame) for ame in args.ame_id]
    return dump(await provider.api.match_musics(p.DescribeKTVMatchMusicsRequest(Rules=rules)))


async def _vip(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    vip = await provider.api.vip_user_info(p.DescribeVipUserInfoRequest())
    user = await provider.api.user_info(p.DescribeUserInfoRequest())
    return {"vip": dump(vip), "user": dump(user)}


def _robot_create_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--room-id", required=True, help="TRTC room id")
    parser.add_argument("--sdk-app-id", required=True, help="TRTC SdkAppId")
    parser.add_argument("--rtc-user-id", required=True, help="the robot's TRTC user id")
    parser.add_argument("--sign", required=True, help="TRTC UserSig")
    parser.add_argument("--music-id", action="append", default=[], help="initial playlist (repeatable)")


async def _robot_create(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    commands = None
    if args.music_id:
        change = p.SetPlaylistCommandInput(Type="Add", MusicIds=args.music_id, Index=-1)
        commands = [p.SyncRobotCommand(Command="SetPlaylist", SetPlaylistCommandInput=change)]
    room = p.TRTCJoinRoomInput(
        Sign=args.sign, RoomId=args.room_id, SdkAppId=args.sdk_app_id, UserId=args.rtc_user_id
    )
    request = p.CreateKTVRobotRequest(
        JoinRoomInput=p.JoinRoomInput(TRTCJoinRoomInput=room), SyncRobotCommands=commands
    )
    return dump(await provider.api.create_robot(request))


def _robot_command_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("robot_id")
    parser.add_argument("command", choices=p.ROBOT_COMMANDS)
    parser.add_argument("--index", type=int, help="Play / SetPlaylist index")
    parser.add_argument("--changed-index", type=int, help="SetPlaylist Move target")
    parser.add_argument("--position-ms", type=int, help="Seek position")
    parser.add_argument("--mode", help="SetPlayMode mode or SetDestroyMode mode")
    parser.add_argument("--type", help="SetPlaylist type (Add/Delete/ClearList/Move) or SetAudioParam type")
    parser.add_argument("--music-id", action="append", help="SetPlaylist Add ids (repeatable)")
    parser.add_argument("--message", help="SendMessage JSON text")
    parser.add_argument("--repeat", type=int, help="SendMessage repeat count")
    parser.add_argument("--expire-s", type=int, help="SetDestroyMode Expire seconds")


def robot_command(args: argparse.Namespace) -> p.SyncRobotCommand:
    name = args.command
    fields: dict[str, Any] = {"Command": name}
    if name == "Play" and args.index is not None:
        fields["PlayCommandInput"] = {"Index": args.index}
    elif name == "Seek":
        fields["SeekCommandInput"] = {"Position": args.position_ms or 0}
    elif name == "SetPlayMode":
        fields["SetPlayModeCommandInput"] = {"PlayMode": args.mode}
    elif name == "SetPlaylist":
        fields["SetPlaylistCommandInput"] = {
            "Type": args.type or "Add",
            "Index": args.index,
            "ChangedIndex": args.changed_index,
            "MusicIds": args.music_id,
        }
    elif name == "SetAudioParam":
        fields["SetAudioParamCommandInput"] = {"Type": args.type}
    elif name == "SendMessage":
        fields["SendMessageCommandInput"] = {"Message": args.message or "{}", "Repeat": args.repeat}
    elif name == "SetDestroyMode":
        fields["SetDestroyModeCommandInput"] = {
            "DestroyMode": args.mode or "Auto",
            "DestroyExpireTime": args.expire_s,
        }
    return p.SyncRobotCommand.model_validate(fields)


async def _robot_command(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    request = p.SyncKTVRobotCommandRequest(RobotId=args.robot_id, SyncRobotCommands=[robot_command(args)])
    return dump(await provider.api.robot_command(request))


def _robot_list_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--robot-id", action="append", help="repeatable")
    parser.add_argument("--status", action="append", choices=("Play", "Pause", "Destroy"))


async def _robot_list(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    return dump(
        await provider.api.robots(p.DescribeKTVRobotsRequest(RobotIds=args.robot_id, Statuses=args.status))
    )


def _robot_destroy_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("robot_id")


async def _robot_destroy(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    return dump(await provider.api.destroy_robot(p.DestroyKTVRobotRequest(RobotId=args.robot_id)))


async def _lyrics(provider: YinsudaProvider, args: argparse.Namespace) -> Any:
    from ktvdesk.lyrics import to_json_dict

    detail = await provider.detail(args.song_id)
    lyrics = await provider.fetch_lyrics(detail.song)
    return to_json_dict(lyrics) if lyrics is not None else None


ACTIONS = (
    CliAction("search", "SearchKTVMusics: search songs", _search_args, _search),
    CliAction("suggest", "DescribeKTVSuggestions: search suggestions", _suggest_args, _suggest),
    CliAction("tags", "DescribeKTVTags: tag groups", no_args, _tags),
    CliAction("tag", "DescribeKTVMusicsByTag: songs of a tag", _tag_args, _tag),
    CliAction("playlists", "DescribeKTVPlaylists: recommended playlists", paging_args, _playlists),
    CliAction("playlist", "DescribeKTVPlaylistDetail: songs of a playlist", _playlist_args, _playlist),
    CliAction("detail", "BatchDescribeKTVMusicDetails: song details", _detail_args, _detail),
    CliAction("segment", "DescribeKTVMusicAccompanySegmentUrl(Vip): playable media", _segment_args, _segment),
    CliAction("lyrics", "download and parse a song's lyrics", song_id_arg, _lyrics),
    CliAction("match", "DescribeKTVMatchMusics: match songs by name and singers", _match_args, _match),
    CliAction("vip", "DescribeVipUserInfo + DescribeUserInfo", no_args, _vip),
    CliAction("robot-create", "CreateKTVRobot", _robot_create_args, _robot_create),
    CliAction("robot-command", "SyncKTVRobotCommand (one command)", _robot_command_args, _robot_command),
    CliAction("robot-list", "DescribeKTVRobots", _robot_list_args, _robot_list),
    CliAction("robot-destroy", "DestroyKTVRobot", _robot_destroy_args, _robot_destroy),
)
