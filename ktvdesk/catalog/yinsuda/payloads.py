"""Yinsuda API 2022-05-27 request and response payloads, field names as on the wire.

Fields named like their type (`KTVMusicBaseInfo: KTVMusicBaseInfo`) are annotated with
an underscore alias of the class: inside the class body the field name shadows the type.

Responses ignore unknown fields (the service adds fields over time); requests are
serialised without the fields left at None, as the official SDK does.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Request(_Payload):
    """Every Action takes AppName and UserId (filled from the settings when empty)."""

    ACTION: ClassVar[str]
    IDEMPOTENT: ClassVar[bool] = True
    AppName: str = ""
    UserId: str | None = ""

    def wire(self) -> dict[str, object]:
        return self.model_dump(exclude_none=True, mode="json")


class Response(_Payload):
    RequestId: str | None = None


# -- shared structures -------------------------------------------------------------------


class MusicAlbumCoverInfo(_Payload):
    Dimension: str = ""  # Mini 150², Small 240², Medium 480²
    Url: str = ""


class MusicAlbumInfo(_Payload):
    Name: str | None = None
    CoverInfoSet: list[MusicAlbumCoverInfo] = Field(default_factory=list)


class KTVMusicBaseInfo(_Payload):
    MusicId: str
    Name: str = ""
    SingerSet: list[str] = Field(default_factory=list)
    Duration: int | None = None  # documented as seconds, milliseconds in the examples
    SingerImageUrl: str | None = None
    AlbumInfo: MusicAlbumInfo | None = None
    RightSet: list[str] = Field(default_factory=list)  # Play 可播, Sing 可唱
    RecommendType: str | None = None  # Featured, Other


_KTVMusicBaseInfo = KTVMusicBaseInfo


class ChorusClip(_Payload):
    StartTime: int
    EndTime: int


class KTVBPMInfo(_Payload):
    Type: str | None = None
    Value: int | None = None


class KTVMusicDetailInfo(_Payload):
    KTVMusicBaseInfo: _KTVMusicBaseInfo
    PlayToken: str | None = None
    LyricsUrl: str | None = None
    MidiUrl: str | None = None
    ChorusClipSet: list[ChorusClip] = Field(default_factory=list)
    PreludeInterval: int | None = None
    GenreSet: list[str] = Field(default_factory=list)
    BPMInfo: KTVBPMInfo | None = None


class KTVTagInfo(_Payload):
    TagId: str
    Name: str = ""


class KTVTagGroupInfo(_Payload):
    GroupId: str
    Name: str = ""
    TagInfoSet: list[KTVTagInfo] = Field(default_factory=list)


class KTVPlaylistBaseInfo(_Payload):
    PlaylistId: str
    Title: str = ""
    Remark: str | None = None
    MusicNum: int | str | None = None


class KTVSuggestionInfo(_Payload):
    Suggestion: str


class KTVOtherSegments(_Payload):
    SegmentBegin: int | None = None
    SegmentEnd: int | None = None


class KTVMatchRuleMusicInfo(_Payload):
    MusicName: str
    SingerSet: list[str] = Field(default_factory=list)


class KTVMatchRule(_Payload):
    AMEMusicId: str | None = None
    MusicInfo: KTVMatchRuleMusicInfo | None = None
    MusicIdToMatchAME: str | None = None


class AMEMusicBaseInfo(_Payload):
    MusicId: str
    Name: str = ""
    SingerSet: list[str] = Field(default_factory=list)


_AMEMusicBaseInfo = AMEMusicBaseInfo


class KTVMatchMusic(_Payload):
    KTVMusicBaseInfo: _KTVMusicBaseInfo
    MatchRule: KTVMatchRule | None = None
    AMEMusicBaseInfo: _AMEMusicBaseInfo | None = None


class LiveVipUserInfo(_Payload):
    RoomId: str | None = None
    LiveVipEndTime: str | None = None
    LiveVipStatus: str | None = None  # Valid, Invalid


_LiveVipUserInfo = LiveVipUserInfo


class UserInfo(_Payload):
    AppName: str | None = None
    UserId: str | None = None
    LiveVipUserInfo: _LiveVipUserInfo | None = None
    UserType: str | None = None  # Normal, LiveVip


_UserInfo = UserInfo


class TRTCJoinRoomInput(_Payload):
    Sign: str
    RoomId: str
    SdkAppId: str
    UserId: str
    RoomIdType: str | None = None  # Integer (default), String


_TRTCJoinRoomInput = TRTCJoinRoomInput


class JoinRoomInput(_Payload):
    TRTCJoinRoomInput: _TRTCJoinRoomInput


_JoinRoomInput = JoinRoomInput


class PlayCommandInput(_Payload):
    Index: int


_PlayCommandInput = PlayCommandInput


class SetPlaylistCommandInput(_Payload):
    Type: str  # Add, Delete, ClearList, Move
    Index: int | None = None
    ChangedIndex: int | None = None
    MusicIds: list[str] | None = None


_SetPlaylistCommandInput = SetPlaylistCommandInput


class SeekCommandInput(_Payload):
    Position: int  # milliseconds


_SeekCommandInput = SeekCommandInput


class SetAudioParamCommandInput(_Payload):
    Type: str | None = None  # Original, Accompaniment


_SetAudioParamCommandInput = SetAudioParamCommandInput


class SendMessageCommandInput(_Payload):
    Message: str
    Repeat: int | None = None


_SendMessageCommandInput = SendMessageCommandInput


class SetPlayModeCommandInput(_Payload):
    PlayMode: str | None = None  # RepeatPlaylist, Order, RepeatSingle, Shuffle


_SetPlayModeCommandInput = SetPlayModeCommandInput


class SetDestroyModeCommandInput(_Payload):
    DestroyMode: str  # Auto, Expire, Never
    DestroyExpireTime: int | None = None


_SetDestroyModeCommandInput = SetDestroyModeCommandInput


ROBOT_COMMANDS = (
    "Play",
    "Pause",
    "SwitchPrevious",
    "SwitchNext",
    "SetPlayMode",
    "Seek",
    "SetPlaylist",
    "SetAudioParam",
    "SendMessage",
    "SetDestroyMode",
)


class SyncRobotCommand(_Payload):
    Command: str
    PlayCommandInput: _PlayCommandInput | None = None
    SetPlaylistCommandInput: _SetPlaylistCommandInput | None = None
    SeekCommandInput: _SeekCommandInput | None = None
    SetAudioParamCommandInput: _SetAudioParamCommandInput | None = None
    SendMessageCommandInput: _SendMessageCommandInput | None = None
    SetPlayModeCommandInput: _SetPlayModeCommandInput | None = None
    SetDestroyModeCommandInput: _SetDestroyModeCommandInput | None = None


class TimeRange(_Payload):
    Before: str | None = None
    After: str | None = None


class KTVRobotInfo(_Payload):
    RobotId: str
    Status: str | None = None  # Play, Pause, Destroy
    Playlists: list[str] = Field(default_factory=list)
    CurIndex: int | None = None
    Position: int | None = None
    SetAudioParamInput: SetAudioParamCommandInput | None = None
    JoinRoomInput: _JoinRoomInput | None = None
    RTCSystem: str | None = None
    SetPlayModeInput: SetPlayModeCommandInput | None = None


# -- catalog Actions ---------------------------------------------------------------------


class SearchKTVMusicsRequest(Request):
    ACTION = "SearchKTVMusics"
    KeyWord: str
    ScrollToken: str | None = None
    Limit: int | None = None
    RightFilters: list[str] | None = None
    PlayScene: str | None = None
    MaterialFilters: list[str] | None = None


class SearchKTVMusicsResponse(Response):
    KTVMusicInfoSet: list[KTVMusicBaseInfo] = Field(default_factory=list)
    ScrollToken: str | None = None


class DescribeKTVSuggestionsRequest(Request):
    ACTION = "DescribeKTVSuggestions"
    KeyWord: str


class DescribeKTVSuggestionsResponse(Response):
    KTVSuggestionInfoSet: list[KTVSuggestionInfo] = Field(default_factory=list)


class DescribeKTVTagsRequest(Request):
    ACTION = "DescribeKTVTags"


class DescribeKTVTagsResponse(Response):
    TagGroupInfoSet: list[KTVTagGroupInfo] = Field(default_factory=list)


class DescribeKTVMusicsByTagRequest(Request):
    ACTION = "DescribeKTVMusicsByTag"
    TagId: str
    ScrollToken: str | None = None
    Limit: int | None = None
    RightFilters: list[str] | None = None
    MaterialFilters: list[str] | None = None


class DescribeKTVMusicsByTagResponse(SearchKTVMusicsResponse):
    pass


class DescribeKTVPlaylistsRequest(Request):
    ACTION = "DescribeKTVPlaylists"
    Types: list[str] | None = None  # OfficialRec, Customize
    Offset: int | None = None
    Limit: int | None = None


class DescribeKTVPlaylistsResponse(Response):
    PlaylistBaseInfoSet: list[KTVPlaylistBaseInfo] = Field(default_factory=list)
    TotalCount: int | None = None


class DescribeKTVPlaylistDetailRequest(Request):
    ACTION = "DescribeKTVPlaylistDetail"
    PlaylistId: str
    ScrollToken: str | None = None
    Limit: int | None = None
    RightFilters: list[str] | None = None
    PlayScene: str | None = None
    MaterialFilters: list[str] | None = None


class DescribeKTVPlaylistDetailResponse(SearchKTVMusicsResponse):
    pass


class BatchDescribeKTVMusicDetailsRequest(Request):
    ACTION = "BatchDescribeKTVMusicDetails"
    MusicIds: list[str]
    PlayScene: str | None = None
    GuestUserId: str | None = None
    RoomId: str | None = None


class BatchDescribeKTVMusicDetailsResponse(Response):
    KTVMusicDetailInfoSet: list[KTVMusicDetailInfo] = Field(default_factory=list)
    NotExistMusicIdSet: list[str] = Field(default_factory=list)


class DescribeKTVMusicAccompanySegmentUrlRequest(Request):
    ACTION = "DescribeKTVMusicAccompanySegmentUrl"
    MusicId: str
    PlayScene: str | None = None
    RoomId: str | None = None


class DescribeKTVMusicAccompanySegmentUrlResponse(Response):
    Status: int = 0  # 0 ok, 1 offline, 2 no rights, 3 no accompaniment
    Url: str | None = None
    ExtName: str | None = None
    SegmentBegin: int | None = None
    SegmentEnd: int | None = None
    FileSize: int | None = None
    OtherSegments: list[KTVOtherSegments] | None = None


class DescribeKTVMusicAccompanySegmentUrlVipRequest(Request):
    ACTION = "DescribeKTVMusicAccompanySegmentUrlVip"
    MusicId: str
    RoomId: str | None = None


class DescribeKTVMusicAccompanySegmentUrlVipResponse(Response):
    Status: int = 0  # 0 ok, 1 removed, 2 no rights, 3 not a monthly member, 4 no link
    Url: str | None = None
    ExtName: str | None = None
    SegmentBegin: int | None = None
    SegmentEnd: int | None = None
    FileSize: int | None = None


class DescribeKTVMatchMusicsRequest(Request):
    ACTION = "DescribeKTVMatchMusics"
    Rules: list[KTVMatchRule]


class DescribeKTVMatchMusicsResponse(Response):
    MatchMusicSet: list[KTVMatchMusic] = Field(default_factory=list)
    NotMatchRuleSet: list[KTVMatchRule] = Field(default_factory=list)


# -- account Actions ---------------------------------------------------------------------


class DescribeVipUserInfoRequest(Request):
    ACTION = "DescribeVipUserInfo"


class DescribeVipUserInfoResponse(Response):
    IsVip: int = 0
    AnchorId: str | None = None
    RoomId: str | None = None
    EndTime: str | None = None
    Status: int | None = None  # -1 never, 1 active, 2 expired


class DescribeUserInfoRequest(Request):
    ACTION = "DescribeUserInfo"


class DescribeUserInfoResponse(Response):
    UserInfo: _UserInfo | None = None


class RechargeLiveVipRequest(Request):
    ACTION = "RechargeLiveVip"
    IDEMPOTENT = False  # the TradeSerialNo makes a resend a duplicate, never a new charge
    TradeSerialNo: str
    RoomId: str
    VipDays: int
    GiveType: str | None = None
    PlayScene: str | None = None


class RechargeLiveVipResponse(Response):
    LiveVipUserInfo: _LiveVipUserInfo | None = None


# -- robots ------------------------------------------------------------------------------


class CreateKTVRobotRequest(Request):
    ACTION = "CreateKTVRobot"
    IDEMPOTENT = False
    RTCSystem: str = "TRTC"
    JoinRoomInput: _JoinRoomInput
    SyncRobotCommands: list[SyncRobotCommand] | None = None


class CreateKTVRobotResponse(Response):
    RobotId: str | None = None


class SyncKTVRobotCommandRequest(Request):
    ACTION = "SyncKTVRobotCommand"
    IDEMPOTENT = False
    RobotId: str
    SyncRobotCommands: list[SyncRobotCommand]


class SyncKTVRobotCommandResponse(Response):
    pass


class DescribeKTVRobotsRequest(Request):
    ACTION = "DescribeKTVRobots"
    RobotIds: list[str] | None = None
    Statuses: list[str] | None = None
    CreateTime: TimeRange | None = None
    Offset: int | None = None
    Limit: int | None = None


class DescribeKTVRobotsResponse(Response):
    TotalCount: int | None = None
    KTVRobotInfoSet: list[KTVRobotInfo] = Field(default_factory=list)


class DestroyKTVRobotRequest(Request):
    ACTION = "DestroyKTVRobot"
    IDEMPOTENT = False
    RobotId: str


class DestroyKTVRobotResponse(Response):
    pass
