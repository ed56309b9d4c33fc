"""Tencent Cloud 音速达 (Yinsuda) 2022-05-27 at `POST /`, as the official SDK sees it.

Checks in the order of the real gateway: headers and Authorization shape, timestamp
(5 minutes), SecretId, signature, Action and Version, rate limit, parameters; then the
Action. Every answer is `{"Response": {…, "RequestId"}}` with HTTP 200 and
`Content-Type: application/json` (the SDK looks for exactly that to detect errors).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ktvdesk.cloudsim import tc3_check
from ktvdesk.cloudsim import yinsuda_requests as q
from ktvdesk.cloudsim.catalog import PLAYLISTS, TAG_GROUPS, SimCatalog, SimSong
from ktvdesk.cloudsim.cdn import CdnSigner
from ktvdesk.cloudsim.clock import SimClock
from ktvdesk.cloudsim.limits import SlidingWindowLimiter
from ktvdesk.cloudsim.segment_files import SEGMENT_EXT, segment_bytes, segment_file

log = logging.getLogger(__name__)

SERVICE = "yinsuda"
VERSION = "2022-05-27"
MAX_SKEW_S = 300
FAST_ACTIONS = {
    "SearchKTVMusics",
    "DescribeKTVSuggestions",
    "DescribeKTVPlaylists",
    "DescribeKTVPlaylistDetail",
    "BatchDescribeKTVMusicDetails",
}
VIP_DAYS = {31, 93, 186, 372}
MAX_DETAIL_IDS = 20
MAX_BODY_BYTES = 10 * 1024 * 1024  # the gateway's request size limit (RequestSizeLimitExceeded)


def rate_limit(action: str) -> int:
    return 50 if action in FAST_ACTIONS else 20


class ApiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def envelope(fields: dict[str, Any], request_id: str | None = None) -> JSONResponse:
    body = {"Response": {**fields, "RequestId": request_id or str(uuid.uuid4())}}
    return JSONResponse(body, media_type="application/json")


def error_envelope(code: str, message: str, request_id: str | None = None) -> JSONResponse:
    return envelope({"Error": {"Code": code, "Message": message}}, request_id)


@dataclass
class _Account:
    vip_end: datetime | None = None
    vip_room: str | None = None
    vip_anchor: str | None = None
    live_vip_end: datetime | None = None
    live_vip_room: str | None = None


@dataclass
class _Robot:
    robot_id: str
    owner: tuple[str, str]
    join: dict[str, Any]
    created: datetime
    status: str = "Pause"
    playlist: list[str] = field(default_factory=list)
    index: int = 0
    position_ms: int = 0
    play_mode: str = "RepeatPlaylist"
    audio_type: str = "Original"
    destroy_mode: str = "Auto"
    messages: list[str] = field(default_factory=list)


@dataclass
class YinsudaConfig:
    secret_id: str
    secret_key: str
    url_ttl_s: int = 3600
    token_ttl_s: int = 7200


def _parse_iso(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError("InvalidParameterValue", f"`{value}` is not an ISO 8601 time.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class YinsudaService:
    def __init__(
        self,
        config: YinsudaConfig,
        catalog: SimCatalog,
        cdn: CdnSigner,
        clock: SimClock,
        base_url: Callable[[], str],
    ) -> None:
        self.config = config
        self.catalog = catalog
        self.cdn = cdn
        self.clock = clock
        self.base_url = base_url
        self.limiter = SlidingWindowLimiter(rate_limit, clock.time)
        self.lock = threading.Lock()
        self.accounts: dict[tuple[str, str], _Account] = {}
        self.trades: list[dict[str, Any]] = []
        self.robots: dict[str, _Robot] = {}
        self.calls: dict[str, int] = {}
        self.temporary: dict[str, tuple[str, str]] = {}  # TmpSecretId → (TmpSecretKey, Token)
        self._forced: deque[str] = deque()
        self.handlers: dict[str, Callable[[Any, tuple[str, str]], dict[str, Any]]] = {
            "SearchKTVMusics": self._search,
            "DescribeKTVSuggestions": self._suggestions,
            "DescribeKTVTags": self._tags,
            "DescribeKTVMusicsByTag": self._by_tag,
            "DescribeKTVPlaylists": self._playlists,
            "DescribeKTVPlaylistDetail": self._playlist_detail,
            "BatchDescribeKTVMusicDetails": self._details,
            "DescribeKTVMusicAccompanySegmentUrl": self._segment,
            "DescribeKTVMusicAccompanySegmentUrlVip": self._segment_vip,
            "DescribeKTVMatchMusics": self._match,
            "ApplyChorus": self._apply_chorus,
            "DescribeVipUserInfo": self._vip_info,
            "RechargeVip": self._recharge_vip,
            "DescribeUserInfo": self._user_info,
            "RechargeLiveVip": self._recharge_live_vip,
            "DescribeLiveVipTradeInfos": self._trade_infos,
            "CreateKTVRobot": self._create_robot,
            "SyncKTVRobotCommand": self._sync_robot,
            "DescribeKTVRobots": self._robots,
            "DestroyKTVRobot": self._destroy_robot,
        }

    # -- the gateway --------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        body = await request.body()
        try:
            action = self._authenticate(request, body)
            with self.lock:
                self.calls[action] = self.calls.get(action, 0) + 1
                forced = self._forced.popleft() if self._forced else None
                if forced is not None:
                    raise ApiError(forced, f"Injected error {forced}.")
                result = self._dispatch(action, body)
        except ApiError as exc:
            return error_envelope(exc.code, exc.message, request_id)
        return envelope(result, request_id)

    def fail_next(self, code: str, times: int = 1) -> None:
        """Answer the next `times` authenticated calls with this error code (tests, demos)."""
        with self.lock:
            self._forced.extend([code] * times)

    def clear_failures(self) -> None:
        with self.lock:
            self._forced.clear()

    def issue_temporary_credentials(self) -> tuple[str, str, str]:
        """(TmpSecretId, TmpSecretKey, Token) as an STS would: valid with the token only."""
        secret_id = "AKIDtmp" + uuid.uuid4().hex[:24]
        secret_key = uuid.uuid4().hex
        token = "sts-" + uuid.uuid4().hex + uuid.uuid4().hex
        with self.lock:
            self.temporary[secret_id] = (secret_key, token)
        return secret_id, secret_key, token

    def _authenticate(self, request: Request, body: bytes) -> str:
        """The gateway's checks, in its order; the Action name when they all pass."""
        headers = request.headers
        if request.method != "POST":
            raise ApiError("UnsupportedProtocol", "Only POST with a JSON body is supported here.")
        if len(body) > MAX_BODY_BYTES:
            raise ApiError("RequestSizeLimitExceeded", "The request body exceeds the size limit.")
        auth = tc3_check.read_authorization(headers.get("authorization", ""))
        if auth is None:
            raise ApiError(
                "AuthFailure.InvalidAuthorization", "Authorization header is missing or malformed."
            )
        stamp = headers.get("x-tc-timestamp", "")
        if not stamp.isdigit():
            raise ApiError("MissingParameter", "The request is missing a required parameter `Timestamp`.")
        skew = abs(int(stamp) - self.clock.time())
        if skew > MAX_SKEW_S:
            raise ApiError(
                "AuthFailure.SignatureExpire",
                f"Signature expired. Timestamp {stamp} is more than {MAX_SKEW_S} seconds from the server time.",
            )
        secret_key = self._secret_key(auth.secret_id, headers.get("x-tc-token"))
        if "content-type" not in auth.signed_headers or "host" not in auth.signed_headers:
            raise ApiError(
                "AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host."
            )
        missing = [h for h in auth.signed_headers if h not in headers]
        if missing or auth.service != SERVICE or auth.date != tc3_check.scope_date(int(stamp)):
            raise ApiError("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        expected = tc3_check.expected_signature(
            secret_key,
            method="POST",
            path=request.url.path or "/",
            query="",
            headers={h: headers[h] for h in auth.signed_headers},
            signed_headers=auth.signed_headers,
            payload=body,
            timestamp=int(stamp),
            service=SERVICE,
        )
        if not tc3_check.signature_matches(expected, auth.signature):
            raise ApiError(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
        action = headers.get("x-tc-action", "")
        if not action:
            raise ApiError("MissingParameter", "The request is missing a required parameter `Action`.")
        if action not in self.handlers:
            raise ApiError("InvalidAction", f"The action `{action}` is not supported.")
        version = headers.get("x-tc-version", "")
        if not version:
            raise ApiError("MissingParameter", "The request is missing a required parameter `Version`.")
        if version != VERSION:
            raise ApiError("NoSuchVersion", f"The version `{version}` of `{action}` is not supported.")
        if not self.limiter.allow(auth.secret_id, action):
            raise ApiError(
                "RequestLimitExceeded", "Your current request times exceed the limit, please try later."
            )
        return action

    def _secret_key(self, secret_id: str, token: str | None) -> str:
        """The key to check a signature with; temporary ids need their token."""
        if secret_id == self.config.secret_id:
            return self.config.secret_key
        temporary = self.temporary.get(secret_id)
        if temporary is None:
            raise ApiError("AuthFailure.SecretIdNotFound", "The SecretId is not found, please check it.")
        secret_key, expected_token = temporary
        if not token or not hmac.compare_digest(token, expected_token):
            raise ApiError("AuthFailure.TokenFailure", "The temporary credentials' token is invalid.")
        return secret_key

    def _dispatch(self, action: str, body: bytes) -> dict[str, Any]:
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            raise ApiError("InvalidParameter", "The request body is not valid JSON.") from None
        if not isinstance(params, dict):
            raise ApiError("InvalidParameter", "The request body must be a JSON object.")
        model = q.BODIES[action]
        unknown = [k for k in params if k not in model.model_fields]
        if unknown:
            raise ApiError("UnknownParameter", f"The parameter `{unknown[0]}` is not recognized.")
        required = ["AppName"] + ([] if action in q.NO_USER_ID else ["UserId"])
        required += [n for n, f in model.model_fields.items() if f.is_required()]
        for name in required:
            if params.get(name) in (None, ""):
                raise ApiError("MissingParameter", f"The request is missing a required parameter `{name}`.")
        try:
            parsed = model.model_validate(params, strict=True)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise ApiError(
                "InvalidParameter", f"The parameter `{where}` is invalid: {first['msg']}."
            ) from None
        limit = params.get("Limit")
        if isinstance(limit, int) and not 0 < limit <= 50:
            raise ApiError("InvalidParameterValue", "The value of `Limit` must be between 1 and 50.")
        owner = (str(params.get("AppName")), str(params.get("UserId") or ""))
        return self.handlers[action](parsed, owner)

    # -- catalog ------------------------------------------------------------------------------

    def _music_info(self, song: SimSong) -> dict[str, Any]:
        base = self.base_url()
        rights = [r for r, on in (("Play", song.can_play), ("Sing", song.can_sing)) if on]
        return {
            "AlbumInfo": {
                "CoverInfoSet": [
                    {"Dimension": dim, "Url": f"{base}/covers/{px}/{song.id}.jpg"}
                    for dim, px in (("Mini", 150), ("Small", 240), ("Medium", 480))
                ],
                "Name": song.album,
            },
            "Duration": song.duration_wire,
            "MusicId": song.id,
            "Name": song.title,
            "SingerImageUrl": f"{base}/singers/150/{song.id}.jpg",
            "SingerSet": list(song.singers),
            "RecommendType": "Featured" if song.featured else "Other",
            "RightSet": rights,
        }

    @staticmethod
    def _filtered(
        songs: list[SimSong], rights: list[str] | None, materials: list[str] | None
    ) -> list[SimSong]:
        wanted_rights = set(rights or ())
        wanted_materials = set(materials or ())
        for value in wanted_rights - {"Play", "Sing"}:
            raise ApiError("InvalidParameterValue", f"RightFilters value `{value}` is invalid.")
        for value in wanted_materials - {"Lyrics", "Midi"}:
            raise ApiError("InvalidParameterValue", f"MaterialFilters value `{value}` is invalid.")
        return [
            s
            for s in songs
            if ("Play" not in wanted_rights or s.can_play)
            and ("Sing" not in wanted_rights or s.can_sing)
            and ("Lyrics" not in wanted_materials or s.has_lyrics)
            and ("Midi" not in wanted_materials or s.has_pitch)
        ]

    @staticmethod
    def _decode_scroll(token: str | None) -> int:
        if not token:
            return 0
        try:
            state = json.loads(base64.b64decode(token, validate=True))
            return int(state["CurIndex"])
        except (ValueError, KeyError, TypeError):
            raise ApiError("InvalidParameterValue", "The value of `ScrollToken` is invalid.") from None

    def _scroll(self, songs: list[SimSong], token: str | None, limit: int | None) -> dict[str, Any]:
        size = limit or 20
        start = self._decode_scroll(token)
        page = songs[start : start + size]
        end = start + len(page)
        next_token = ""
        if end < len(songs):
            state = {"CurPageNum": end // size + 1, "CurIndex": end}
            next_token = base64.b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()
        return {"KTVMusicInfoSet": [self._music_info(s) for s in page], "ScrollToken": next_token}

    def _search(self, r: q.SearchMusics, owner: tuple[str, str]) -> dict[str, Any]:
        songs = self._filtered(self.catalog.search(r.KeyWord), r.RightFilters, r.MaterialFilters)
        return self._scroll(songs, r.ScrollToken, r.Limit)

    def _suggestions(self, r: q.Suggestions, owner: tuple[str, str]) -> dict[str, Any]:
        return {"KTVSuggestionInfoSet": [{"Suggestion": s} for s in self.catalog.suggestions(r.KeyWord)]}

    def _tags(self, r: q.Tags, owner: tuple[str, str]) -> dict[str, Any]:
        groups = [
            {
                "GroupId": gid,
                "TagInfoSet": [{"TagId": f"{gid}:{tid}", "Name": name} for tid, name in tags],
                "Name": gname,
            }
            for gid, gname, tags in TAG_GROUPS
        ]
        return {"TagGroupInfoSet": groups}

    def _by_tag(self, r: q.MusicsByTag, owner: tuple[str, str]) -> dict[str, Any]:
        songs = self._filtered(self.catalog.by_tag(r.TagId), r.RightFilters, r.MaterialFilters)
        return self._scroll(songs, r.ScrollToken, r.Limit)

    def _playlists(self, r: q.Playlists, owner: tuple[str, str]) -> dict[str, Any]:
        types = set(r.Types or ["OfficialRec"])
        for value in types - {"OfficialRec", "Customize"}:
            raise ApiError("InvalidParameterValue", f"Types value `{value}` is invalid.")
        chosen = [pl for pl in PLAYLISTS if pl[2] in types]
        offset = r.Offset or 0
        page = chosen[offset : offset + (r.Limit or 20)]
        return {
            "TotalCount": len(chosen),
            "PlaylistBaseInfoSet": [{"PlaylistId": pid, "Title": title} for pid, title, _t, _r in page],
        }

    def _playlist_detail(self, r: q.PlaylistDetail, owner: tuple[str, str]) -> dict[str, Any]:
        songs = self.catalog.playlist_songs(r.PlaylistId)
        if songs is None:
            raise ApiError("ResourceNotFound", f"The playlist `{r.PlaylistId}` does not exist.")
        return self._scroll(self._filtered(songs, r.RightFilters, r.MaterialFilters), r.ScrollToken, r.Limit)

    def _require_live_vip(self, owner: tuple[str, str], scene: str | None) -> None:
        if scene == "Live":
            account = self.accounts.get(owner)
            if account is None or account.live_vip_end is None:
                raise ApiError("FailedOperation.UserNotLiveVip", "The user is not a live VIP.")
            if account.live_vip_end < self.clock.now():
                raise ApiError("FailedOperation.UserLiveVipTimeExpire", "The user's live VIP has expired.")
        elif scene not in (None, "Chat"):
            raise ApiError("InvalidParameterValue", f"PlayScene `{scene}` is invalid.")

    def play_token(self, song: SimSong, owner: tuple[str, str]) -> str:
        now = int(self.clock.time())
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {
            "AppId": 1300000000,
            "AppName": owner[0],
            "CurTime": now,
            "ExpireTime": now + self.config.token_ttl_s,
            "MusicId": song.id,
            "UserId": owner[1],
        }

        def part(data: dict[str, Any]) -> str:
            raw = json.dumps(data, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        signing_input = f"{part(header)}.{part(claims)}"
        sig = hmac.new(self.config.secret_key.encode(), signing_input.encode(), hashlib.sha256).digest()
        return signing_input + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()

    def _details(self, r: q.MusicDetails, owner: tuple[str, str]) -> dict[str, Any]:
        if not r.MusicIds:
            raise ApiError("MissingParameter", "The request is missing a required parameter `MusicIds`.")
        if len(r.MusicIds) > MAX_DETAIL_IDS:
            raise ApiError("InvalidParameterValue", f"At most {MAX_DETAIL_IDS} MusicIds per request.")
        self._require_live_vip(owner, r.PlayScene)
        base = self.base_url()
        infos: list[dict[str, Any]] = []
        missing: list[str] = []
        for music_id in r.MusicIds:
            song = self.catalog.by_id.get(music_id)
            if song is None:
                missing.append(music_id)
                continue
            ttl = self.config.token_ttl_s
            lyrics = (
                self.cdn.download_url(base, f"/Lyrics/{song.id}/subtitle.vtt", owner[0], ttl)
                if song.has_lyrics
                else ""
            )
            pitch = (
                self.cdn.download_url(base, f"/Pitch/{song.id}/music.pitch", owner[0], ttl)
                if song.has_pitch
                else ""
            )
            infos.append(
                {
                    "ChorusClipSet": [{"EndTime": song.chorus_ms[1], "StartTime": song.chorus_ms[0]}],
                    "KTVMusicBaseInfo": self._music_info(song),
                    "LyricsUrl": lyrics,
                    "MidiUrl": pitch,
                    "PlayToken": self.play_token(song, owner),
                    "GenreSet": [t.split(":", 1)[1] for t in song.tags if t.startswith("style:")],
                    "PreludeInterval": song.prelude_s,
                    "BPMInfo": {"Type": "Slow" if song.bpm < 90 else "Middle" if song.bpm < 130 else "Fast",
                                "Value": song.bpm},
                }
            )  # fmt: skip
        return {"KTVMusicDetailInfoSet": infos, "NotExistMusicIdSet": missing}

    def _segment_fields(self, song: SimSong) -> dict[str, Any]:
        """The link to a file holding only SegmentBegin–SegmentEnd (see `segment_files`)."""
        url = self.cdn.media_url(self.base_url(), segment_file(song), self.config.url_ttl_s)
        return {
            "Url": url,
            "ExtName": SEGMENT_EXT,
            "SegmentBegin": song.chorus_ms[0],
            "SegmentEnd": song.chorus_ms[1],
            "FileSize": len(segment_bytes(song)),
        }

    def _song(self, music_id: str) -> SimSong | None:
        return self.catalog.by_id.get(music_id)

    def _segment(self, r: q.SegmentUrl, owner: tuple[str, str]) -> dict[str, Any]:
        self._require_live_vip(owner, r.PlayScene)
        song = self._song(r.MusicId)
        if song is None:
            raise ApiError("ResourceNotFound", f"The music `{r.MusicId}` does not exist.")
        if song.status != 0 or song.vip_only:
            return {"Status": song.status or 2}
        fields = self._segment_fields(song)
        others = [{"SegmentBegin": b, "SegmentEnd": e} for b, e in song.other_segments_ms]
        return {"Status": 0, **fields, "OtherSegments": others}

    def _segment_vip(self, r: q.SegmentUrlVip, owner: tuple[str, str]) -> dict[str, Any]:
        song = self._song(r.MusicId)
        if song is None:
            raise ApiError("ResourceNotFound", f"The music `{r.MusicId}` does not exist.")
        if song.status in (1, 2):
            return {"Status": song.status}
        if song.status == 3:
            return {"Status": 4}
        account = self.accounts.get(owner)
        if account is None or account.vip_end is None or account.vip_end < self.clock.now():
            return {"Status": 3}
        return {"Status": 0, **self._segment_fields(song)}

    def _match(self, r: q.MatchMusics, owner: tuple[str, str]) -> dict[str, Any]:
        matched: list[dict[str, Any]] = []
        not_matched: list[dict[str, Any]] = []
        for rule in r.Rules:
            song: SimSong | None = None
            if rule.AMEMusicId:
                song = self.catalog.by_ame.get(rule.AMEMusicId)
            elif rule.MusicIdToMatchAME:
                song = self.catalog.by_id.get(rule.MusicIdToMatchAME)
            elif rule.MusicInfo is not None:
                name = rule.MusicInfo.MusicName.casefold()
                singers = {s.casefold() for s in rule.MusicInfo.SingerSet or ()}
                song = next(
                    (
                        s
                        for s in self.catalog.songs
                        if s.title.casefold() == name
                        and (not singers or singers & {x.casefold() for x in s.singers})
                    ),
                    None,
                )
            rule_json = rule.model_dump(exclude_none=True)
            if song is None:
                not_matched.append(rule_json)
                continue
            item: dict[str, Any] = {"KTVMusicBaseInfo": self._music_info(song), "MatchRule": rule_json}
            if rule.MusicIdToMatchAME:
                item["AMEMusicBaseInfo"] = {
                    "MusicId": song.ame_id,
                    "Name": song.title,
                    "SingerSet": list(song.singers),
                }
            matched.append(item)
        return {"MatchMusicSet": matched, "NotMatchRuleSet": not_matched}

    def _apply_chorus(self, r: q.Chorus, owner: tuple[str, str]) -> dict[str, Any]:
        if r.MaxChorusNum is not None and not 1 <= r.MaxChorusNum <= 20:
            raise ApiError("InvalidParameterValue", "MaxChorusNum must be between 1 and 20.")
        if self._song(r.MusicId) is None:
            raise ApiError("ResourceNotFound", f"The music `{r.MusicId}` does not exist.")
        return {"ChorusToken": "chid-" + uuid.uuid4().hex[:8]}

    # -- account ------------------------------------------------------------------------------

    def _account(self, owner: tuple[str, str]) -> _Account:
        return self.accounts.setdefault(owner, _Account())

    def _vip_info(self, r: q.VipUserInfo, owner: tuple[str, str]) -> dict[str, Any]:
        account = self.accounts.get(owner)
        if account is None or account.vip_end is None:
            return {"IsVip": 0, "Status": -1}
        active = account.vip_end >= self.clock.now()
        return {
            "AnchorId": account.vip_anchor or "",
            "EndTime": account.vip_end.strftime("%Y-%m-%d %H:%M:%S"),
            "IsVip": 1 if active else 0,
            "RoomId": account.vip_room or "",
            "Status": 1 if active else 2,
        }

    def _recharge_vip(self, r: q.RechargeVip, owner: tuple[str, str]) -> dict[str, Any]:
        if r.VipDays not in VIP_DAYS:
            raise ApiError("InvalidParameterValue", "VipDays must be one of 31, 93, 186, 372.")
        account = self._account(owner)
        now = self.clock.now()
        start = max(now, account.vip_end or now)
        account.vip_end = start + timedelta(days=r.VipDays)
        account.vip_room, account.vip_anchor = r.RoomId, r.AnchorId
        return {
            "CreateTime": now.strftime("%Y-%m-%d %H:%M:%S"),
            "OrderNo": uuid.uuid4().hex[:25],
            "PartnerNo": "ktvdesk-sim",
        }

    def _live_vip(self, account: _Account) -> dict[str, Any] | None:
        if account.live_vip_end is None:
            return None
        valid = account.live_vip_end >= self.clock.now()
        return {
            "RoomId": account.live_vip_room or "",
            "LiveVipEndTime": account.live_vip_end.isoformat(timespec="seconds"),
            "LiveVipStatus": "Valid" if valid else "Invalid",
        }

    def _user_info(self, r: q.UserInfo, owner: tuple[str, str]) -> dict[str, Any]:
        account = self.accounts.get(owner, _Account())
        live = self._live_vip(account)
        info: dict[str, Any] = {"AppName": owner[0], "UserId": owner[1], "UserType": "Normal"}
        if live is not None:
            info["LiveVipUserInfo"] = live
            if live["LiveVipStatus"] == "Valid":
                info["UserType"] = "LiveVip"
        return {"UserInfo": info}

    def _recharge_live_vip(self, r: q.RechargeLiveVip, owner: tuple[str, str]) -> dict[str, Any]:
        if r.VipDays not in VIP_DAYS:
            raise ApiError("InvalidParameterValue", "VipDays must be one of 31, 93, 186, 372.")
        if any(t["TradeSerialNo"] == r.TradeSerialNo and t["AppName"] == owner[0] for t in self.trades):
            raise ApiError("FailedOperation.DuplicateTradeSerialNo", "The TradeSerialNo has been used.")
        account = self._account(owner)
        now = self.clock.now()
        start = max(now, account.live_vip_end or now)
        account.live_vip_end = start + timedelta(days=r.VipDays)
        account.live_vip_room = r.RoomId
        self.trades.append(
            {
                "TradeSerialNo": r.TradeSerialNo,
                "AppName": owner[0],
                "UserId": owner[1],
                "RoomId": r.RoomId,
                "VipDays": r.VipDays,
                "Status": "Success",
                "CreateTime": now.isoformat(timespec="seconds"),
                "_created": now,
            }
        )
        return {"LiveVipUserInfo": self._live_vip(account)}

    def _trade_infos(self, r: q.LiveVipTrades, owner: tuple[str, str]) -> dict[str, Any]:
        now = self.clock.now()
        start = _parse_iso(r.StartTime) if r.StartTime else now - timedelta(days=1)
        end = _parse_iso(r.EndTime) if r.EndTime else now
        if end < start:
            raise ApiError("InvalidParameterValue", "EndTime must not be earlier than StartTime.")
        for name, values in (("TradeSerialNos", r.TradeSerialNos), ("UserIds", r.UserIds)):
            if values is not None and len(values) > 10:
                raise ApiError("InvalidParameterValue", f"At most 10 {name}.")
        trades = [
            t
            for t in self.trades
            if t["AppName"] == owner[0]
            and start <= t["_created"] <= end
            and (not r.TradeSerialNos or t["TradeSerialNo"] in r.TradeSerialNos)
            and (not r.UserIds or t["UserId"] in r.UserIds)
        ]
        offset = r.Offset or 0
        page = trades[offset : offset + (r.Limit or 20)]
        return {
            "LiveVipTradeInfoSet": [{k: v for k, v in t.items() if not k.startswith("_")} for t in page],
            "TotalCount": len(trades),
        }

    # -- robots -------------------------------------------------------------------------------

    def _create_robot(self, r: q.CreateRobot, owner: tuple[str, str]) -> dict[str, Any]:
        if r.RTCSystem != "TRTC":
            raise ApiError("InvalidParameterValue", "RTCSystem must be TRTC.")
        robot = _Robot(
            robot_id=f"12500-robot-{uuid.uuid4().hex[:8]}",
            owner=owner,
            join=r.JoinRoomInput.model_dump(exclude_none=True),
            created=self.clock.now(),
        )
        self._apply(robot, r.SyncRobotCommands or [])
        self.robots[robot.robot_id] = robot
        return {"RobotId": robot.robot_id}

    def _robot(self, robot_id: str, owner: tuple[str, str]) -> _Robot:
        robot = self.robots.get(robot_id)
        if robot is None or robot.owner[0] != owner[0]:
            raise ApiError("ResourceNotFound", f"The robot `{robot_id}` does not exist.")
        if robot.status == "Destroy":
            raise ApiError("ResourceUnavailable", f"The robot `{robot_id}` has been destroyed.")
        return robot

    def _sync_robot(self, r: q.RobotCommands, owner: tuple[str, str]) -> dict[str, Any]:
        self._apply(self._robot(r.RobotId, owner), r.SyncRobotCommands)
        return {}

    def _apply(self, robot: _Robot, commands: list[q.RobotCommand]) -> None:
        def need(value: BaseModel | None, command: str) -> Any:
            if value is None:
                raise ApiError("MissingParameter", f"Command `{command}` needs its {command}CommandInput.")
            return value

        for cmd in commands:
            name = cmd.Command
            count = len(robot.playlist)
            if name == "Play":
                if cmd.PlayCommandInput is not None:
                    if not 0 <= cmd.PlayCommandInput.Index < max(count, 1):
                        raise ApiError("InvalidParameterValue", "PlayCommandInput.Index is out of range.")
                    robot.index, robot.position_ms = cmd.PlayCommandInput.Index, 0
                robot.status = "Play"
            elif name == "Pause":
                robot.status = "Pause"
            elif name in ("SwitchPrevious", "SwitchNext"):
                step = 1 if name == "SwitchNext" else -1
                robot.index = (robot.index + step) % count if count else 0
                robot.position_ms = 0
            elif name == "SetPlayMode":
                mode = need(cmd.SetPlayModeCommandInput, "SetPlayMode").PlayMode
                if mode not in ("RepeatPlaylist", "Order", "RepeatSingle", "Shuffle"):
                    raise ApiError("InvalidParameterValue", f"PlayMode `{mode}` is invalid.")
                robot.play_mode = mode
            elif name == "Seek":
                position = need(cmd.SeekCommandInput, "Seek").Position
                if position < 0:
                    raise ApiError("InvalidParameterValue", "Seek position must not be negative.")
                robot.position_ms = position
            elif name == "SetPlaylist":
                self._set_playlist(robot, need(cmd.SetPlaylistCommandInput, "SetPlaylist"))
            elif name == "SetAudioParam":
                kind = cmd.SetAudioParamCommandInput.Type if cmd.SetAudioParamCommandInput else None
                if kind not in (None, "Original", "Accompaniment"):
                    raise ApiError("InvalidParameterValue", f"Audio type `{kind}` is invalid.")
                robot.audio_type = kind or robot.audio_type
            elif name == "SendMessage":
                message = need(cmd.SendMessageCommandInput, "SendMessage")
                robot.messages.extend([message.Message] * (message.Repeat or 1))
            elif name == "SetDestroyMode":
                mode_input = need(cmd.SetDestroyModeCommandInput, "SetDestroyMode")
                if mode_input.DestroyMode not in ("Auto", "Expire", "Never"):
                    raise ApiError(
                        "InvalidParameterValue", f"DestroyMode `{mode_input.DestroyMode}` is invalid."
                    )
                if mode_input.DestroyMode == "Expire" and not mode_input.DestroyExpireTime:
                    raise ApiError(
                        "MissingParameter", "DestroyExpireTime is required for DestroyMode Expire."
                    )
                robot.destroy_mode = mode_input.DestroyMode
            else:
                raise ApiError("InvalidParameterValue", f"Command `{name}` is invalid.")

    def _set_playlist(self, robot: _Robot, change: q.PlaylistChange) -> None:
        items = robot.playlist
        if change.Type == "Add":
            ids = change.MusicIds or []
            if not ids:
                raise ApiError("MissingParameter", "MusicIds is required to add songs.")
            unknown = [i for i in ids if i not in self.catalog.by_id]
            if unknown:
                raise ApiError("ResourceNotFound", f"The music `{unknown[0]}` does not exist.")
            at = len(items) if change.Index in (None, -1) else change.Index
            if not 0 <= at <= len(items):
                raise ApiError("InvalidParameterValue", "Index is out of range.")
            items[at:at] = ids
        elif change.Type == "Delete":
            if change.Index is None or not 0 <= change.Index < len(items):
                raise ApiError("InvalidParameterValue", "Index is out of range.")
            del items[change.Index]
        elif change.Type == "ClearList":
            items.clear()
            robot.index = 0
        elif change.Type == "Move":
            if (
                change.Index is None
                or change.ChangedIndex is None
                or not 0 <= change.Index < len(items)
                or not 0 <= change.ChangedIndex < len(items)
            ):
                raise ApiError("InvalidParameterValue", "Index or ChangedIndex is out of range.")
            items.insert(change.ChangedIndex, items.pop(change.Index))
        else:
            raise ApiError("InvalidParameterValue", f"SetPlaylist Type `{change.Type}` is invalid.")

    def _robots(self, r: q.Robots, owner: tuple[str, str]) -> dict[str, Any]:
        robots = [rb for rb in self.robots.values() if rb.owner[0] == owner[0]]
        if r.RobotIds:
            robots = [rb for rb in robots if rb.robot_id in r.RobotIds]
        if r.Statuses:
            robots = [rb for rb in robots if rb.status in r.Statuses]
        if r.CreateTime is not None:
            after = _parse_iso(r.CreateTime.After) if r.CreateTime.After else None
            before = _parse_iso(r.CreateTime.Before) if r.CreateTime.Before else None
            robots = [
                rb
                for rb in robots
                if (after is None or rb.created >= after) and (before is None or rb.created <= before)
            ]
        offset = r.Offset or 0
        page = robots[offset : offset + (r.Limit or 10)]
        return {
            "TotalCount": len(robots),
            "KTVRobotInfoSet": [
                {
                    "RobotId": rb.robot_id,
                    "Status": rb.status,
                    "Playlists": list(rb.playlist),
                    "CurIndex": rb.index,
                    "Position": rb.position_ms,
                    "SetAudioParamInput": {"Type": rb.audio_type},
                    "JoinRoomInput": rb.join,
                    "RTCSystem": "TRTC",
                    "SetPlayModeInput": {"PlayMode": rb.play_mode},
                }
                for rb in page
            ],
        }

    def _destroy_robot(self, r: q.DestroyRobot, owner: tuple[str, str]) -> dict[str, Any]:
        self._robot(r.RobotId, owner).status = "Destroy"
        return {}
