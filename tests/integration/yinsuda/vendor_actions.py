"""Yinsuda Actions the app never sends: a chorus invitation, a monthly-membership purchase and
the live-membership trade list. The tests send them (playing the phone, the vendor or an
auditor) through the app's `YinsudaApi.call`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ktvdesk.catalog.yinsuda.payloads import Request, Response


class LiveVipTradeInfo(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    TradeSerialNo: str
    AppName: str | None = None
    UserId: str | None = None
    RoomId: str | None = None
    VipDays: int | None = None
    Status: str | None = None  # Success, Fail, Processing
    CreateTime: str | None = None


class ApplyChorusRequest(Request):
    ACTION = "ApplyChorus"
    IDEMPOTENT = False
    RoomId: str
    MusicId: str
    MaxChorusNum: int | None = None
    ChorusUserIds: list[str] | None = None


class ApplyChorusResponse(Response):
    ChorusToken: str | None = None


class RechargeVipRequest(Request):
    ACTION = "RechargeVip"
    IDEMPOTENT = False
    RoomId: str
    VipDays: int
    AnchorId: str


class RechargeVipResponse(Response):
    PartnerNo: str | None = None
    OrderNo: str | None = None
    CreateTime: str | None = None


class DescribeLiveVipTradeInfosRequest(Request):
    ACTION = "DescribeLiveVipTradeInfos"
    UserId: str | None = None  # this Action has no UserId
    StartTime: str | None = None
    EndTime: str | None = None
    TradeSerialNos: list[str] | None = None
    UserIds: list[str] | None = None
    Offset: int | None = None
    Limit: int | None = None


class DescribeLiveVipTradeInfosResponse(Response):
    LiveVipTradeInfoSet: list[LiveVipTradeInfo] = Field(default_factory=list)
    TotalCount: int | None = None
