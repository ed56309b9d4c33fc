"""Tencent Xiaowei music resources at `/xwcloudapi/…`, as the seed describes them.

POST JSON bodies with `base_info` (the seed does not define it: `sn` is required here,
anything else is accepted); resource calls need `client_addr`. Answers are
`{"code", "msg", "data"}` with HTTP 200. Song links are the emulator's CDN links
(`/YYYYMMDDHHMM/<md5>/<file>`, 403 after the URL TTL, Range supported) with
`url_expiry_time`; `refresh_res_url` issues fresh ones. The QR login flow keeps sessions
for 5 minutes of emulator time; a test authorises one with `authorise()` or
`POST /_admin/xiaowei/qr/{session}?state=1`. Play reports are kept in `reports`.

Codes: 0, 52018 (no more data), 52019 (res_id missing) are the document's. The document
names no code for a malformed request or a missing login: the emulator answers 40000 and
40100 for those (emulator-only, see the Xiaowei README).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ktvdesk.cloudsim.catalog import PLAYLISTS, SimCatalog, SimSong, filler_starts_ms
from ktvdesk.cloudsim.cdn import BEIJING, CdnSigner
from ktvdesk.cloudsim.clock import SimClock

log = logging.getLogger(__name__)

OK = 0
NO_MORE_DATA = 52018
RES_ID_MISSING = 52019
BAD_REQUEST = 40000  # emulator-only
NOT_LOGGED_IN = 40100  # emulator-only

SONG_ID_BASE = 200_000_000  # Xiaowei song ids are integers: base + catalog index
UNPLAYABLE_BASE = 900_000_000  # 900000001…900000010: unplayable_code 1…10
QR_SESSION_TTL = timedelta(minutes=5)
MAX_NUM = 50
SEARCH_MAX_PAGE = 4
TAG_PLAYLIST_MAX = 100

UNPLAYABLE_MSG = {
    1: "版权原因阻断",
    2: "未购买绿钻阻断",
    3: "未购买数字专辑阻断",
    4: "非法区域阻断",
    5: "其他阻断",
    6: "其他阻断",
    7: "受版权方要求无法在当前设备播放,请到手机QQ音乐上播放",
    8: "当前接口仅有浏览歌曲信息权限",
    9: "您不是QQ音乐硬件会员,无法播放",
    10: "该音频需要付费,请在手机端购买或播放",
}

# The document's categories mapped onto the emulator catalog's tags.
CATEGORY_TAGS = {
    "流行": "style:pop", "摇滚": "style:rock", "民谣": "style:folk", "嘻哈": "style:hiphop",
    "Hip-Hop": "style:hiphop", "电音": "style:edm", "舞曲": "style:edm", "国语": "lang:mandarin",
    "粤语": "lang:cantonese", "英语": "lang:english", "欧美": "lang:english",
}  # fmt: skip
TOP_LISTS = (
    (0, "巅峰榜", ((4, "流行指数榜", "featured"), (26, "热歌榜", "style:pop"), (62, "飙升榜", "era:10s"))),
    (3, "全球榜", ((108, "欧美榜", "lang:english"),)),
)
TAG_LABELS = (("推荐", ((100823, "推荐"),)), ("热门", ((3317, "官方歌单"), (3418, "免费热歌"))))
NEW_SONG_TAGS = {12: "lang:mandarin", 9: "style:pop", 13: "lang:cantonese", 3: "lang:english", 8: "style:edm"}
QUALITY_FILES = ("song_play_url", "song_play_url_standard", "song_play_url_hq", "song_play_url_sq")


class XwError(Exception):
    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


@dataclass
class XiaoweiConfig:
    url_ttl_s: int = 4 * 3600  # the document promises at least 4 h


@dataclass
class QrSession:
    session: str
    login_type: int
    created_at: datetime
    state: int = 0


@dataclass
class XiaoweiAccount:
    """Per `base_info.user_id` (or `sn`): the login state and what it collected."""

    logged_in: bool = False
    login_type: int | None = None
    favorites: list[int] = field(default_factory=list)
    collected: list[int] = field(default_factory=list)
    quality: int = 1


def _sign(value: int) -> str:
    return hashlib.md5(str(value).encode()).hexdigest()[:14]


_Handler = Callable[["XiaoweiService", dict[str, Any], XiaoweiAccount], dict[str, Any]]


class XiaoweiService:
    def __init__(
        self,
        config: XiaoweiConfig,
        catalog: SimCatalog,
        cdn: CdnSigner,
        clock: SimClock,
        base_url: Callable[[], str],
    ) -> None:
        self.config = config
        self.catalog = catalog
        self.cdn = cdn
        self.clock = clock
        self._base_url = base_url
        self._lock = threading.Lock()
        self.sessions: dict[str, QrSession] = {}
        self.accounts: dict[str, XiaoweiAccount] = {}
        self.reports: list[dict[str, Any]] = []
        self.calls: dict[str, int] = {}
        self._index = {s.id: i for i, s in enumerate(catalog.songs)}
        self._albums: dict[int, list[SimSong]] = {}
        for song in catalog.songs:
            self._albums.setdefault(self.album_id(song), []).append(song)

    # -- ids -----------------------------------------------------------------------------------

    def song_id(self, song: SimSong) -> int:
        return SONG_ID_BASE + self._index[song.id]

    def song_by_id(self, value: Any) -> tuple[SimSong, int] | None:
        """(song, unplayable_code) for a Xiaowei id."""
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if UNPLAYABLE_BASE < value <= UNPLAYABLE_BASE + 10:
            code = value - UNPLAYABLE_BASE
            return self.catalog.songs[code], code
        index = value - SONG_ID_BASE
        if 0 <= index < len(self.catalog.songs):
            return self.catalog.songs[index], 0
        return None

    @staticmethod
    def album_id(song: SimSong) -> int:
        return int(hashlib.md5(song.album.encode()).hexdigest()[:7], 16)

    @staticmethod
    def playlist_id(pid: str) -> int:
        return int(pid.split("-", 1)[1])

    # -- test hooks ----------------------------------------------------------------------------

    def authorise(self, session: str, state: int = 1) -> bool:
        with self._lock:
            entry = self.sessions.get(session)
            if entry is None:
                return False
            entry.state = state
            return True

    def reports_snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(json.dumps(r)) for r in self.reports]

    # -- HTTP ------------------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [
            Route("/xwcloudapi/resources", self.resources, methods=["POST"]),
            Route("/xwcloudapi/register_info", self.register_info, methods=["POST"]),
            Route("/xwcloudapi/report/music", self.report, methods=["POST"]),
            Route("/_admin/xiaowei/qr/{session}", self.admin_authorise, methods=["POST"]),
            Route("/_admin/xiaowei/reports", self.admin_reports, methods=["GET"]),
        ]

    async def resources(self, request: Request) -> Response:
        kind = request.query_params.get("resource_type", "").strip()
        return await self._handle(request, f"resources.{kind}", self._RESOURCES.get(kind), need_addr=True)

    async def register_info(self, request: Request) -> Response:
        kind = request.query_params.get("info_type", "").strip()
        return await self._handle(request, f"register_info.{kind}", self._REGISTER.get(kind), need_addr=False)

    async def report(self, request: Request) -> Response:
        return await self._handle(request, "report.music", XiaoweiService._report_music, need_addr=False)

    async def admin_authorise(self, request: Request) -> Response:
        state = int(request.query_params.get("state", "1"))
        found = self.authorise(request.path_params["session"], state)
        return JSONResponse({"ok": found}, status_code=200 if found else 404)

    async def admin_reports(self, request: Request) -> Response:
        return JSONResponse(self.reports_snapshot())

    async def _handle(self, request: Request, name: str, handler: Any, *, need_addr: bool) -> Response:
        with self._lock:
            self.calls[name] = self.calls.get(name, 0) + 1
        try:
            try:
                body = json.loads(await request.body() or b"{}")
            except ValueError:
                raise XwError(BAD_REQUEST, "请求体不是JSON") from None
            if not isinstance(body, dict):
                raise XwError(BAD_REQUEST, "请求体不是JSON对象")
            base = body.get("base_info")
            if not isinstance(base, dict) or not base.get("sn"):
                raise XwError(BAD_REQUEST, "缺少请求接口基础参数 base_info.sn")
            if need_addr and not body.get("client_addr"):
                raise XwError(BAD_REQUEST, "缺少 client_addr")
            if handler is None:
                raise XwError(BAD_REQUEST, f"不支持的类型 {name}")
            account_key = str(base.get("user_id") or base["sn"])
            with self._lock:
                account = self.accounts.setdefault(account_key, XiaoweiAccount())
                reply: dict[str, Any] = handler(self, body, account)
        except XwError as exc:
            return JSONResponse({"code": exc.code, "msg": exc.msg, "request_id": uuid.uuid4().hex})
        return JSONResponse({"code": OK, "msg": "OK", "request_id": uuid.uuid4().hex, **reply})

    # -- shapes ----------------------------------------------------------------------------------

    def _links(self, song: SimSong) -> tuple[dict[str, str], int]:
        url = self.cdn.media_url(self._base_url(), song.media_file, self.config.url_ttl_s)
        stamp = url.split("://", 1)[1].split("/")[1]
        issued = datetime.strptime(stamp, "%Y%m%d%H%M").replace(tzinfo=BEIJING)
        expiry = int((issued + timedelta(seconds=self.config.url_ttl_s)).timestamp())
        # One file for every quality; the query tells them apart (the CDN ignores it).
        links = {name: f"{url}?guid=ktvdesk&fromtag={i}" for i, name in enumerate(QUALITY_FILES)}
        return links, expiry

    def song_record(self, song: SimSong, unplayable: int = 0, *, with_links: bool = True) -> dict[str, Any]:
        sid = self.song_id(song) if unplayable == 0 else UNPLAYABLE_BASE + unplayable
        links, expiry = self._links(song) if with_links and unplayable == 0 else ({}, 0)
        begin, end = song.chorus_ms
        pic = f"{self._base_url()}/covers/120/{song.id}.png"
        return {
            "album_id": self.album_id(song),
            "album_mid": f"alb{self.album_id(song):x}",
            "album_name": song.album,
            "album_pic": pic,
            "album_pic_150x150": pic.replace("/120/", "/150/"),
            "album_pic_300x300": pic.replace("/120/", "/300/"),
            "album_pic_500x500": pic.replace("/120/", "/500/"),
            "genre": next((t.split(":", 1)[1] for t in song.tags if t.startswith("style:")), ""),
            "language": next((t.split(":", 1)[1] for t in song.tags if t.startswith("lang:")), ""),
            "other_singer_list": [{"singer_name": s} for s in song.singers[1:]],
            "playable": 0 if unplayable else 1,
            "singer_name": song.singers[0] if song.singers else "",
            "singer_pic": f"{self._base_url()}/singers/120/{song.id}.png",
            "song_id": sid,
            "song_mid": f"{_sign(sid)}",
            "song_name": song.title,
            "song_play_time": song.duration_ms // 1000,
            **{name: links.get(name, "") for name in QUALITY_FILES},
            "song_size": 0,
            # Like the real examples: chorus in milliseconds although documented in seconds.
            "try_begin": begin,
            "try_end": end,
            "unplayable_code": unplayable,
            "unplayable_msg": UNPLAYABLE_MSG.get(unplayable, ""),
            "url_expiry_time": expiry,
            "user_own_rule": 0 if unplayable == 8 else 1,
            "vip": 1 if song.vip_only else 0,
        }

    def _records(self, songs: list[SimSong]) -> list[dict[str, Any]]:
        return [self.song_record(s) for s in songs]

    @staticmethod
    def _int(body: dict[str, Any], name: str, default: int | None = None) -> int:
        value = body.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise XwError(BAD_REQUEST, f"参数 {name} 无效")
        return value

    def _window(
        self, items: list[Any], body: dict[str, Any], *, first: int = 1, max_page: int | None = None
    ) -> list[Any]:
        page = self._int(body, "page", first)
        num = min(MAX_NUM, max(1, self._int(body, "num", 10)))
        if page < first or (max_page is not None and page > max_page):
            raise XwError(NO_MORE_DATA, "没有更多数据")
        start = (page - first) * num
        if start >= len(items) and start > 0:
            raise XwError(NO_MORE_DATA, "没有更多数据")
        return items[start : start + num]

    # -- resources -------------------------------------------------------------------------------

    def _top_list(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        groups = []
        for group_id, group_name, tops in TOP_LISTS:
            lists = []
            for top_id, name, rule in tops:
                songs = self.catalog.by_tag(rule)
                entries = [
                    {
                        "rank": i + 1,
                        "singer_name": s.singers[0],
                        "song_id": self.song_id(s),
                        "song_name": s.title,
                    }
                    for i, s in enumerate(songs[:3])
                ]
                lists.append(
                    {
                        "top_id": top_id,
                        "top_name": name,
                        "top_type": 0,
                        "total_num": min(100, len(songs)),
                        "song_list": entries,
                        "top_desc": "",
                        "top_header_pic": "",
                        "top_banner_pic": "",
                    }
                )
            groups.append({"group_id": group_id, "group_name": group_name, "group_top_list": lists})
        return {"data": groups}

    def _top_songs(self, top_id: int) -> tuple[str, list[SimSong]]:
        for _gid, _gname, tops in TOP_LISTS:
            for tid, name, rule in tops:
                if tid == top_id:
                    return name, self.catalog.by_tag(rule)[:100]
        raise XwError(BAD_REQUEST, f"排行榜 {top_id} 不存在")

    def _top_detail(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        top_id = self._int(body, "top_id")
        name, songs = self._top_songs(top_id)
        window = self._window(songs, body)
        return {
            "data": {
                "top_id": top_id,
                "top_name": name,
                "top_desc": "",
                "top_type": 0,
                "show_time": "",
                "songlist": self._records(window),
                "total_num": len(songs),
            }
        }

    def _tag_detail(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        tag = body.get("tag")
        if not isinstance(tag, str) or not tag:
            raise XwError(BAD_REQUEST, "缺少 tag")
        rule = CATEGORY_TAGS.get(tag)
        songs = self.catalog.by_tag(rule) if rule else self._seeded(tag, 30)
        return {"data": self._records(songs[:30])}

    def _seeded(self, key: str, count: int) -> list[SimSong]:
        start = int(hashlib.md5(key.encode()).hexdigest()[:6], 16) % max(1, len(self.catalog.songs) - count)
        return self.catalog.songs[start : start + count]

    def _playlists(self) -> list[dict[str, Any]]:
        out = []
        for pid, title, _type, _rule in PLAYLISTS:
            songs = self.catalog.playlist_songs(pid) or []
            out.append(
                {
                    "diss_id": self.playlist_id(pid),
                    "diss_name": title,
                    "pic_url": "",
                    "song_num": len(songs),
                    "listen_num": 1000 + self.playlist_id(pid),
                    "creator": {"name": "ktvdesk", "uin": 1},
                }
            )
        return out

    def _song_square(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        items = self._playlists()
        if self._int(body, "order", 5) == 2:
            items.reverse()
        return {"data": self._window(items, body, first=0)}

    def _require_login(self, account: XiaoweiAccount) -> None:
        if not account.logged_in:
            raise XwError(NOT_LOGGED_IN, "未注册音乐登录态")

    def _favorite_diss_list(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        self._require_login(account)
        return {
            "data": [
                {
                    "diss_id": 1,
                    "diss_name": "我喜欢",
                    "diss_pic": "",
                    "song_num": len(account.favorites),
                    "create_time": 0,
                    "update_time": 0,
                }
            ]
        }

    def _collect_lists(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        self._require_login(account)
        operate = self._int(body, "operate")
        known = {d["diss_id"]: d for d in self._playlists()}
        if operate in (0, 1):
            diss_id = self._int(body, "diss_id")
            if diss_id not in known:
                raise XwError(BAD_REQUEST, "歌单不存在")
            if operate == 0 and diss_id not in account.collected:
                account.collected.append(diss_id)
            if operate == 1 and diss_id in account.collected:
                account.collected.remove(diss_id)
            return {}
        if operate != 2:
            raise XwError(BAD_REQUEST, "operate 无效")
        return {
            "data": [
                {
                    "diss_id": d,
                    "diss_name": known[d]["diss_name"],
                    "diss_pic": "",
                    "diss_type": 2,
                    "creator_nick_name": "",
                }
                for d in account.collected
            ]
        }

    def _diss_songs(self, diss_id: int, account: XiaoweiAccount) -> list[SimSong]:
        if diss_id == 1:
            return [found[0] for i in account.favorites if (found := self.song_by_id(i))]
        for pid, *_ in PLAYLISTS:
            if self.playlist_id(pid) == diss_id:
                return self.catalog.playlist_songs(pid) or []
        if diss_id < 0:  # tag playlists
            return self._seeded(str(diss_id), 40)
        raise XwError(BAD_REQUEST, "歌单不存在")

    def _diss_detail(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        songs = self._diss_songs(self._int(body, "diss_id"), account)
        return {"data": self._records(self._window(songs, body)), "total_num": len(songs)}

    def _search_common(
        self,
        body: dict[str, Any],
        items: list[Any],
        render: Callable[[Any], dict[str, Any]],
        max_page: int | None,
    ) -> dict[str, Any]:
        word = body.get("word")
        if not isinstance(word, str) or not word.strip():
            raise XwError(BAD_REQUEST, "缺少 word")
        window = self._window(items, body, max_page=max_page)
        return {
            "data": {
                "cur_num": len(window),
                "cur_page": self._int(body, "page", 1),
                "keyword": word,
                "list": [render(i) for i in window],
                "total_num": len(items),
                "zhida": {},
            }
        }

    def _search(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        songs = self.catalog.search(str(body.get("word", "")))
        return self._search_common(body, songs, self.song_record, SEARCH_MAX_PAGE)

    def _search_singer(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        needle = str(body.get("word", "")).strip().casefold()
        songs = [s for s in self.catalog.songs if needle and any(needle in n.casefold() for n in s.singers)]
        return self._search_common(body, songs, self.song_record, None)

    def _search_song_list(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        needle = str(body.get("word", "")).strip().casefold()
        found = [d for d in self._playlists() if needle and needle in d["diss_name"].casefold()]
        return self._search_common(
            body,
            found,
            lambda d: {
                "dissid": str(d["diss_id"]),
                "dissname": d["diss_name"],
                "docid": str(d["diss_id"]),
                "logo": "",
                "songnum": d["song_num"],
                "listennum": d["listen_num"],
                "nickname": "ktvdesk",
            },
            SEARCH_MAX_PAGE,
        )

    def _search_album(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        needle = str(body.get("word", "")).strip().casefold()
        albums = [
            songs[0] for songs in self._albums.values() if needle and needle in songs[0].album.casefold()
        ]
        return self._search_common(
            body,
            albums,
            lambda s: {"album_id": self.album_id(s), "album_mid": "", "album_name": s.album, "album_pic": ""},
            SEARCH_MAX_PAGE,
        )

    def _album_detail(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        album_id = self._int(body, "album_id")
        songs = self._albums.get(album_id)
        if not songs:
            raise XwError(BAD_REQUEST, "专辑不存在")
        window = self._window(songs, body)
        return {
            "data": [
                {
                    "album_id": album_id,
                    "album_name": songs[0].album,
                    "album_desc": "",
                    "company_name": "ktvdesk",
                    "songlist": self._records(window),
                }
            ]
        }

    def _song_detail(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        ids = body.get("song_id_list")
        if not isinstance(ids, list) or not ids:
            raise XwError(BAD_REQUEST, "缺少 song_id_list")
        out = []
        for value in ids:
            found = self.song_by_id(value)
            if found is not None:
                out.append(self.song_record(*found))
        return {"data": out}

    def _tag_list(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        return {
            "data": [
                {"group_name": g, "label": [{"id": i, "name": n} for i, n in labels]}
                for g, labels in TAG_LABELS
            ]
        }

    def _tag_song_list(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        tag_id = self._int(body, "id")
        if not any(tag_id == i for _g, labels in TAG_LABELS for i, _n in labels):
            raise XwError(BAD_REQUEST, "tag 不存在")
        playlists = [
            {
                "diss_id": -(tag_id * 1000 + n),
                "diss_name": f"标签歌单 {tag_id}-{n}",
                "diss_pic": "",
                "diss_desc": "",
                "fav_num": n,
                "creator_name": "ktvdesk",
            }
            for n in range(1, TAG_PLAYLIST_MAX + 1)
        ]
        return {"data": self._window(playlists, body)}

    def _favorite_list(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        self._require_login(account)
        songs = self._diss_songs(1, account)
        window = self._window(songs, body) if "page" in body and "num" in body else songs
        return {"data": self._records(window), "total_num": len(songs)}

    def _set_favorite(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        self._require_login(account)
        song_id = self._int(body, "song_id")
        if self.song_by_id(song_id) is None:
            raise XwError(BAD_REQUEST, "歌曲不存在")
        favorite = body.get("favorite")
        if not isinstance(favorite, bool):
            raise XwError(BAD_REQUEST, "favorite 无效")
        if favorite and song_id not in account.favorites:
            account.favorites.append(song_id)
        if not favorite and song_id in account.favorites:
            account.favorites.remove(song_id)
        return {}

    def _song_lyric(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        found = self.song_by_id(body.get("song_id"))
        if found is None:
            raise XwError(BAD_REQUEST, "歌曲不存在")
        return {"data": generated_lrc(found[0])}

    def _daily_30(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        return {"data": self._records(self._seeded(self.clock.now().strftime("%Y%m%d"), 30))}

    def _resource(self, song: SimSong, quality: int = 1) -> dict[str, Any]:
        """A `resources[]` entry: its one link (`res_content`) at the account's quality."""
        links, expiry = self._links(song)
        extend = base64.b64encode(
            json.dumps({"expiry_time": expiry}, separators=(",", ":")).encode()
        ).decode()
        return {
            "attach_info": "{}",
            "duration": song.duration_ms // 1000,
            "extend_buf": extend,
            "mid": _sign(self.song_id(song)),
            "music_album_name": song.album,
            "music_cover_url": "",
            "music_name": song.title,
            "music_singer": "/".join(song.singers),
            "play_count": -1,
            "playable": 1,
            "res_content": links[QUALITY_FILES[quality]],
            "res_id": f"unique_id={self.song_id(song)}&type=cur",
        }

    def _res_song(self, res_id: Any) -> SimSong:
        number = res_id.split("unique_id=", 1)[-1].split("&", 1)[0] if isinstance(res_id, str) else ""
        found = self.song_by_id(number) if "unique_id=" in str(res_id) else None
        if found is None or found[1] != 0:
            raise XwError(RES_ID_MISSING, "res_id不存在")
        return found[0]

    def _refresh_res_url(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        ids = body.get("res_id_list")
        if not isinstance(ids, list) or not ids:
            raise XwError(BAD_REQUEST, "缺少 res_id_list")
        return {"data": {"resources": [self._resource(self._res_song(i), account.quality) for i in ids]}}

    def _page_load(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        song = self._res_song(body.get("res_id"))
        index = self._index[song.id]
        up = bool(body.get("is_up"))
        chosen = (
            self.catalog.songs[max(0, index - 5) : index] if up else self.catalog.songs[index + 1 : index + 6]
        )
        if not chosen:
            raise XwError(NO_MORE_DATA, "没有更多数据")
        return {"data": {"resources": [self._resource(s, account.quality) for s in chosen]}}

    def _new_songs(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        rule = NEW_SONG_TAGS.get(self._int(body, "tag"))
        if rule is None:
            raise XwError(BAD_REQUEST, "tag 无效")
        return {"data": self._records(self.catalog.by_tag(rule)[-20:])}

    def _quality(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        kind = self._int(body, "type")
        if kind == 0:
            quality = self._int(body, "quality")
            if quality not in (0, 1, 2, 3):
                raise XwError(BAD_REQUEST, "quality 无效")
            account.quality = quality
        elif kind != 1:
            raise XwError(BAD_REQUEST, "type 无效")
        return {"data": {"quality": account.quality}}

    _RESOURCES: ClassVar[dict[str, _Handler]] = {
        "top_list": _top_list,
        "top_detail": _top_detail,
        "tag_detail": _tag_detail,
        "song_square": _song_square,
        "favorite_diss_list": _favorite_diss_list,
        "collect_lists": _collect_lists,
        "diss_detail": _diss_detail,
        "search": _search,
        "search_singer": _search_singer,
        "search_song_list": _search_song_list,
        "search_album": _search_album,
        "album_detail": _album_detail,
        "song_detail": _song_detail,
        "get_tag_list": _tag_list,
        "get_tag_song_list": _tag_song_list,
        "favorite_list": _favorite_list,
        "set_favorite": _set_favorite,
        "song_lyric": _song_lyric,
        "rec_30_everyday": _daily_30,
        "refresh_res_url": _refresh_res_url,
        "page_load": _page_load,
        "new_song_recommendation": _new_songs,
        "quality": _quality,
    }

    # -- login state -----------------------------------------------------------------------------

    def _music_login_info(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        login_type = self._int(body, "login_type")
        if login_type not in (0, 1, 2) or not all(
            isinstance(body.get(k), str) and body[k] for k in ("app_id", "open_id", "access_token")
        ):
            raise XwError(BAD_REQUEST, "登录态参数无效")
        account.logged_in, account.login_type = True, login_type
        return {}

    def _get_qr_code(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        login_type = self._int(body, "login_type")
        if login_type not in (0, 1, 2):
            raise XwError(BAD_REQUEST, "login_type 无效")
        session = uuid.uuid4().hex[:25]
        self.sessions[session] = QrSession(session, login_type, self.clock.now())
        code = uuid.uuid4().hex[:20]
        if login_type == 0:
            url = (
                f"qqmusic://qq.com/other/openid?p=%7B%22cmd%22%3A%22qrcode%22%2C%22code%22%3A%22{code}%22%7D"
            )
        elif login_type == 1:
            url = base64.b64encode(_wechat_qr_png(code)).decode()  # WeChat: the picture itself
        else:
            url = f"{self._base_url()}/_qr/h5?c={code}"
        return {"data": {"qr_code_url": url, "session": session}}

    def _get_register_status(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        session = self.sessions.get(str(body.get("session", "")))
        if session is None:
            return {"data": {"state": 2, "state_msg": "session 无效"}}
        if session.state == 0 and self.clock.now() - session.created_at > QR_SESSION_TTL:
            return {"data": {"state": 2, "state_msg": "二维码已过期"}}
        if session.state == 1:
            account.logged_in, account.login_type = True, session.login_type
        return {"data": {"state": session.state, "state_msg": ""}}

    def _release(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        account.logged_in, account.login_type = False, None
        return {}

    def _member_info(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        self._require_login(account)
        return {
            "data": {
                "nickname": "KTV 用户",
                "head_url": "",
                "is_green_vip": True,
                "green_vip_start_time": "2026-01-01 00:00:00",
                "green_vip_end_time": "2027-01-01 00:00:00",
                "is_super_green_vip": False,
                "is_eight_pay_package": False,
                "is_twelve_pay_package": False,
            }
        }

    def _base_dev_mem_info(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        return {"data": {"count": 0, "end": "2027-04-12T18:24:33+08:00", "is_renew": False}}

    _REGISTER: ClassVar[dict[str, _Handler]] = {
        "music_login_info": _music_login_info,
        "get_qr_code": _get_qr_code,
        "get_register_status": _get_register_status,
        "release_qr_authorization": _release,
        "member_info": _member_info,
        "base_dev_mem_info": _base_dev_mem_info,
    }

    # -- reporting -------------------------------------------------------------------------------

    def _report_music(self, body: dict[str, Any], account: XiaoweiAccount) -> dict[str, Any]:
        info = body.get("state_info")
        if not isinstance(info, dict):
            raise XwError(BAD_REQUEST, "缺少 state_info")
        if self._int(info, "play_state") not in (3, 11) or self._int(info, "play_mode") not in range(5):
            raise XwError(BAD_REQUEST, "play_state / play_mode 无效")
        res = info.get("cur_res_info")
        if not isinstance(info.get("client_ip"), str) or not isinstance(res, dict):
            raise XwError(BAD_REQUEST, "缺少 client_ip / cur_res_info")
        for key in ("res_singer", "res_name", "content", "res_id"):
            if not isinstance(res.get(key), str):
                raise XwError(BAD_REQUEST, f"缺少 cur_res_info.{key}")
        self._int(res, "time_offset_ms")
        self.reports.append({**info, "received_at": self.clock.time()})
        return {}


def generated_lrc(song: SimSong) -> str:
    """Invented filler lines around the title (no real lyrics), at `filler_starts_ms`."""
    filler = "啦啦啦" if any("\u4e00" <= c <= "\u9fff" for c in song.title) else "la la la"
    lines = [f"[ti:{song.title}]", f"[ar:{' / '.join(song.singers)}]", "[offset:0]"]
    for n, ms in enumerate(filler_starts_ms(song)):
        lines.append(
            f"[{ms // 60000:02d}:{ms // 1000 % 60:02d}.{ms % 1000 // 10:02d}]{filler} {song.title} {n + 1}"
        )
    return "\n".join(lines)


# A 1×1 PNG standing in for WeChat's QR picture.
def _wechat_qr_png(code: str) -> bytes:
    """The picture WeChat's `qr_code_url` carries (base64): a real QR code of a made-up link."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(f"https://open.weixin.qq.com/connect/confirm?uuid={code}", error="m").save(
        out, kind="png", scale=6, border=2
    )
    return out.getvalue()
