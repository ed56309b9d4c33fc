"""The venue server's envelope for the shared transport: Bearer room key, JSON replies,
and `{"error", "message": {"zh", "en"}}` failures whose messages are shown as they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from ktvdesk.catalog.http import ApiCall, ApiFailure, ErrorRule, ErrorTable, Reply
from ktvdesk.errors import AuthError, NotFoundError, ProviderError, UserMessage

PROVIDER = "venue"
# A song's media reply names its parts ({part: {"url", "name"}}); these are played, each
# from the `MediaSource` field given, and "lyrics" is read by `fetch_lyrics`.
SOURCE_PARTS = {"main": "url", "accompaniment": "accompaniment_url", "video": "video_url"}
LYRICS_PART = "lyrics"

ERRORS = ErrorTable(
    {
        "unauthorised": ErrorRule(
            AuthError,
            UserMessage("包厢密钥不对，请联系前台。", "This room's key is wrong; call the front desk."),
            retryable=False,
        ),
        "no_song": ErrorRule(
            NotFoundError, UserMessage("曲库里没有这首歌。", "That song is not in the library.")
        ),
        "db_unavailable": ErrorRule(
            ProviderError,
            UserMessage("曲库服务器暂时不可用。", "The venue server is unavailable."),
            retryable=True,
        ),
    },
    ErrorRule(
        ProviderError, UserMessage("曲库服务器出错。", "The venue server had a problem."), retryable=False
    ),
)


@dataclass(slots=True)
class VenueWire:
    base_url: str
    room: str
    key: str
    provider: str = PROVIDER
    errors: ErrorTable = ERRORS

    @property
    def auth(self) -> httpx.Auth | None:
        return None

    def build_request(self, client: httpx.AsyncClient, call: ApiCall, server_now_s: float) -> httpx.Request:
        headers = {"Authorization": f"Bearer {self.key}", "X-KTV-Room": self.room}
        method, _, path = call.action.partition(" ")
        url = f"{self.base_url}{path}"
        if method == "POST":
            return client.build_request("POST", url, json=dict(call.params), headers=headers)
        return client.build_request("GET", url, params=dict(call.params), headers=headers)

    def decode(self, call: ApiCall, response: httpx.Response) -> Reply:
        data: Any = response.json()
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if response.status_code >= 400:
            return Reply(
                {}, failure=ApiFailure(str(data.get("error", f"HTTP{response.status_code}")), str(data))
            )
        return Reply(data, date=response.headers.get("date"))

    def is_clock_skew(self, failure: ApiFailure) -> bool:
        return False
