"""Typed Yinsuda client: one method per Action, payload models in and out."""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from ktvdesk.catalog.http import ApiCall, ProviderTransport
from ktvdesk.catalog.yinsuda import payloads as p
from ktvdesk.errors import ProviderError, UserMessage

R = TypeVar("R", bound=p.Response)

_SHAPE = UserMessage("曲库返回了无法识别的数据。", "The song service sent data we do not understand.")


class YinsudaApi:
    def __init__(self, transport: ProviderTransport, app_name: str, user_id: str) -> None:
        self.transport = transport
        self.app_name = app_name
        self.user_id = user_id

    async def call(self, request: p.Request, response_type: type[R]) -> R:
        defaults: dict[str, object] = {}
        if not request.AppName:
            defaults["AppName"] = self.app_name
        if request.UserId == "":
            defaults["UserId"] = self.user_id
        if defaults:
            request = request.model_copy(update=defaults)
        call = ApiCall(request.ACTION, request.wire(), idempotent=request.IDEMPOTENT)
        reply = await self.transport.call(call)
        try:
            return response_type.model_validate(reply.data)
        except ValidationError as exc:
            raise ProviderError(
                f"yinsuda {request.ACTION}: unexpected response shape: {exc.error_count()} errors",
                user_message=_SHAPE,
                request_id=reply.request_id,
                code="BadResponse",
            ) from None

    # catalog
    async def search_musics(self, r: p.SearchKTVMusicsRequest) -> p.SearchKTVMusicsResponse:
        return await self.call(r, p.SearchKTVMusicsResponse)

    async def suggestions(self, r: p.DescribeKTVSuggestionsRequest) -> p.DescribeKTVSuggestionsResponse:
        return await self.call(r, p.DescribeKTVSuggestionsResponse)

    async def tags(self, r: p.DescribeKTVTagsRequest) -> p.DescribeKTVTagsResponse:
        return await self.call(r, p.DescribeKTVTagsResponse)

    async def musics_by_tag(self, r: p.DescribeKTVMusicsByTagRequest) -> p.DescribeKTVMusicsByTagResponse:
        return await self.call(r, p.DescribeKTVMusicsByTagResponse)

    async def playlists(self, r: p.DescribeKTVPlaylistsRequest) -> p.DescribeKTVPlaylistsResponse:
        return await self.call(r, p.DescribeKTVPlaylistsResponse)

    async def playlist_detail(
        self, r: p.DescribeKTVPlaylistDetailRequest
    ) -> p.DescribeKTVPlaylistDetailResponse:
        return await self.call(r, p.DescribeKTVPlaylistDetailResponse)

    async def music_details(
        self, r: p.BatchDescribeKTVMusicDetailsRequest
    ) -> p.BatchDescribeKTVMusicDetailsResponse:
        return await self.call(r, p.BatchDescribeKTVMusicDetailsResponse)

    async def segment_url(
        self, r: p.DescribeKTVMusicAccompanySegmentUrlRequest
    ) -> p.DescribeKTVMusicAccompanySegmentUrlResponse:
        return await self.call(r, p.DescribeKTVMusicAccompanySegmentUrlResponse)

    async def segment_url_vip(
        self, r: p.DescribeKTVMusicAccompanySegmentUrlVipRequest
    ) -> p.DescribeKTVMusicAccompanySegmentUrlVipResponse:
        return await self.call(r, p.DescribeKTVMusicAccompanySegmentUrlVipResponse)

    async def match_musics(self, r: p.DescribeKTVMatchMusicsRequest) -> p.DescribeKTVMatchMusicsResponse:
        return await self.call(r, p.DescribeKTVMatchMusicsResponse)

    # account
    async def vip_user_info(self, r: p.DescribeVipUserInfoRequest) -> p.DescribeVipUserInfoResponse:
        return await self.call(r, p.DescribeVipUserInfoResponse)

    async def user_info(self, r: p.DescribeUserInfoRequest) -> p.DescribeUserInfoResponse:
        return await self.call(r, p.DescribeUserInfoResponse)

    async def recharge_live_vip(self, r: p.RechargeLiveVipRequest) -> p.RechargeLiveVipResponse:
        return await self.call(r, p.RechargeLiveVipResponse)

    # robots
    async def create_robot(self, r: p.CreateKTVRobotRequest) -> p.CreateKTVRobotResponse:
        return await self.call(r, p.CreateKTVRobotResponse)

    async def robot_command(self, r: p.SyncKTVRobotCommandRequest) -> p.SyncKTVRobotCommandResponse:
        return await self.call(r, p.SyncKTVRobotCommandResponse)

    async def robots(self, r: p.DescribeKTVRobotsRequest) -> p.DescribeKTVRobotsResponse:
        return await self.call(r, p.DescribeKTVRobotsResponse)

    async def destroy_robot(self, r: p.DestroyKTVRobotRequest) -> p.DestroyKTVRobotResponse:
        return await self.call(r, p.DestroyKTVRobotResponse)
