"""The emulator's own reading of Yinsuda 2022-05-27 request bodies, from the API document.

Written from the document's input-parameter tables (section "2. 输入参数" of each
Action), not from the client's payload models: an emulator that validated with the
client's models would agree with the client's mistakes. Every field is as the document
names it; `是` (required) fields have no default. `AppName`/`UserId` are checked by the
gateway (`DescribeLiveVipTradeInfos` alone has no `UserId`).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class _Body(BaseModel):
    # Unknown fields are refused by the gateway before validation (UnknownParameter).
    model_config = ConfigDict(extra="ignore")


class ActionBody(_Body):
    ACTION: ClassVar[str]
    AppName: str | None = None
    UserId: str | None = None


# -- structures named in the document -------------------------------------------------------


class MatchRuleMusicInfo(_Body):
    MusicName: str
    SingerSet: list[str] | None = None


class MatchRule(_Body):
    AMEMusicId: str | None = None
    MusicInfo: MatchRuleMusicInfo | None = None
    MusicIdToMatchAME: str | None = None


class TrtcJoinRoom(_Body):
    Sign: str
    RoomId: str
    SdkAppId: str
    UserId: str
    RoomIdType: str | None = None


class JoinRoom(_Body):
    TRTCJoinRoomInput: TrtcJoinRoom


class PlayInput(_Body):
    Index: int


class PlaylistChange(_Body):
    Type: str
    Index: int | None = None
    ChangedIndex: int | None = None
    MusicIds: list[str] | None = None


class SeekInput(_Body):
    Position: int


class AudioParamInput(_Body):
    Type: str | None = None


class MessageInput(_Body):
    Message: str
    Repeat: int | None = None


class PlayModeInput(_Body):
    PlayMode: str | None = None


class DestroyModeInput(_Body):
    DestroyMode: str
    DestroyExpireTime: int | None = None


class RobotCommand(_Body):
    Command: str
    PlayCommandInput: PlayInput | None = None
    SetPlaylistCommandInput: PlaylistChange | None = None
    SeekCommandInput: SeekInput | None = None
    SetAudioParamCommandInput: AudioParamInput | None = None
    SendMessageCommandInput: MessageInput | None = None
    SetPlayModeCommandInput: PlayModeInput | None = None
    SetDestroyModeCommandInput: DestroyModeInput | None = None


class TimeWindow(_Body):
    Before: str | None = None
    After: str | None = None


# -- one body per Action ---------------------------------------------------------------------


class SearchMusics(ActionBody):
    ACTION = "SearchKTVMusics"
    KeyWord: str
    ScrollToken: str | None = None
    Limit: int | None = None
    RightFilters: list[str] | None = None
    PlayScene: str | None = None
    MaterialFilters: list[str] | None = None


class Suggestions(ActionBody):
    ACTION = "DescribeKTVSuggestions"
    KeyWord: str


class Tags(ActionBody):
    ACTION = "DescribeKTVTags"


class MusicsByTag(ActionBody):
    ACTION = "DescribeKTVMusicsByTag"
    TagId: str
    ScrollToken: str | None = None
    Limit: int | None = None
    RightFilters: list[str] | None = None
    MaterialFilters: list[str] | None = None


class Playlists(ActionBody):
    ACTION = "DescribeKTVPlaylists"
    Types: list[str] | None = None
    Offset: int | None = None
    Limit: int | None = None


class PlaylistDetail(ActionBody):
    ACTION = "DescribeKTVPlaylistDetail"
    PlaylistId: str
    ScrollToken: str | None = None
    Limit: int | None = None
    RightFilters: list[str] | None = None
    PlayScene: str | None = None
    MaterialFilters: list[str] | None = None


class MusicDetails(ActionBody):
    ACTION = "BatchDescribeKTVMusicDetails"
    MusicIds: list[str]
    PlayScene: str | None = None
    GuestUserId: str | None = None
    RoomId: str | None = None


class SegmentUrl(ActionBody):
    ACTION = "DescribeKTVMusicAccompanySegmentUrl"
    MusicId: str
    PlayScene: str | None = None
    RoomId: str | None = None


class SegmentUrlVip(ActionBody):
    ACTION = "DescribeKTVMusicAccompanySegmentUrlVip"
    MusicId: str
    RoomId: str | None = None


class MatchMusics(ActionBody):
    ACTION = "DescribeKTVMatchMusics"
    Rules: list[MatchRule]


class Chorus(ActionBody):
    ACTION = "ApplyChorus"
    RoomId: str
    MusicId: str
    MaxChorusNum: int | None = None
    ChorusUserIds: list[str] | None = None


class VipUserInfo(ActionBody):
    ACTION = "DescribeVipUserInfo"


class RechargeVip(ActionBody):
    ACTION = "RechargeVip"
    RoomId: str
    VipDays: int
    AnchorId: str


class UserInfo(ActionBody):
    ACTION = "DescribeUserInfo"


class RechargeLiveVip(ActionBody):
    ACTION = "RechargeLiveVip"
    TradeSerialNo: str
    RoomId: str
    VipDays: int
    GiveType: str | None = None
    PlayScene: str | None = None


class LiveVipTrades(ActionBody):
    ACTION = "DescribeLiveVipTradeInfos"
    StartTime: str | None = None
    EndTime: str | None = None
    TradeSerialNos: list[str] | None = None
    UserIds: list[str] | None = None
    Offset: int | None = None
    Limit: int | None = None


class CreateRobot(ActionBody):
    ACTION = "CreateKTVRobot"
    RTCSystem: str
    JoinRoomInput: JoinRoom
    SyncRobotCommands: list[RobotCommand] | None = None


class RobotCommands(ActionBody):
    ACTION = "SyncKTVRobotCommand"
    RobotId: str
    SyncRobotCommands: list[RobotCommand]


class Robots(ActionBody):
    ACTION = "DescribeKTVRobots"
    RobotIds: list[str] | None = None
    Statuses: list[str] | None = None
    CreateTime: TimeWindow | None = None
    Offset: int | None = None
    Limit: int | None = None


class DestroyRobot(ActionBody):
    ACTION = "DestroyKTVRobot"
    RobotId: str


BODIES: dict[str, type[ActionBody]] = {
    body.ACTION: body
    for body in (
        SearchMusics,
        Suggestions,
        Tags,
        MusicsByTag,
        Playlists,
        PlaylistDetail,
        MusicDetails,
        SegmentUrl,
        SegmentUrlVip,
        MatchMusics,
        Chorus,
        VipUserInfo,
        RechargeVip,
        UserInfo,
        RechargeLiveVip,
        LiveVipTrades,
        CreateRobot,
        RobotCommands,
        Robots,
        DestroyRobot,
    )
}
# Actions without a UserId in the document's table.
NO_USER_ID = frozenset({"DescribeLiveVipTradeInfos"})
