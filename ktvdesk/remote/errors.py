"""What the remote answers a phone with: an HTTP status and a message in zh and en."""

from __future__ import annotations

from ktvdesk.errors import KtvError, UserMessage


class RemoteError(KtvError):
    """A refused request; `status` is the HTTP status the phone gets."""

    def __init__(
        self, status: int, code: str, message: UserMessage, *, retry_after_ms: int | None = None
    ) -> None:
        super().__init__(f"remote {status} {code}", user_message=message, code=code)
        self.status = status
        self.retry_after_ms = retry_after_ms


BAD_TOKEN = UserMessage(
    "二维码已失效，请重新扫描电视上的二维码。",
    "This QR code is no longer valid. Scan the code on the TV again.",
)
NOT_SIGNED_IN = UserMessage(
    "登录已失效，请重新扫描电视上的二维码。", "Your sign-in expired. Scan the code on the TV again."
)
TOO_MANY = UserMessage("操作太频繁，请 {s} 秒后再试。", "Too many requests. Try again in {s} s.")
TOO_MANY_SONGS = UserMessage(
    "点歌太快了：每人每分钟最多 {n} 首，请 {s} 秒后再点。",
    "Slow down: at most {n} songs a minute per singer. Try again in {s} s.",
)
TOO_MANY_CHEERS = UserMessage("气氛音效太频繁，请稍等 {s} 秒。", "Too many sounds. Wait {s} s.")
BODY_TOO_LARGE = UserMessage("请求太大。", "The request is too large.")
BAD_JSON = UserMessage("请求格式不正确。", "The request is not valid JSON.")
BAD_FIELDS = UserMessage("请求内容不正确。", "The request has invalid fields.")
NEED_JSON = UserMessage("请求必须是 JSON。", "The request must be JSON.")
UNKNOWN_SONG = UserMessage("找不到这首歌。", "That song was not found.")
UNKNOWN_ENTRY = UserMessage("已点列表里没有这首歌了。", "That song is no longer in the queue.")
UNKNOWN_PROVIDER = UserMessage("这个曲库没有开放。", "That catalog is not available here.")
NOT_YOURS = UserMessage("只能操作自己点的歌。", "You can only change your own songs.")
NOT_ALLOWED = UserMessage("主人没有开放这个功能。", "The host has not allowed this.")
NO_PLAYER = UserMessage("现在无法播放。", "Playback is not available right now.")
NO_CHARTS = UserMessage("这个曲库没有排行榜。", "This catalog has no charts.")
NO_FAVORITES = UserMessage("收藏功能现在不可用。", "Favourites are not available right now.")
SEARCH_FAILED = UserMessage("搜索失败，请稍后再试。", "Search failed. Please try again.")
NOT_FOUND = UserMessage("没有这个地址。", "No such address.")
UNAVAILABLE = UserMessage(
    "点歌服务暂时不可用，请稍后再试。", "The room is not available right now. Try again in a moment."
)


def formatted(message: UserMessage, **values: object) -> UserMessage:
    return UserMessage(message.zh.format(**values), message.en.format(**values))
