"""`unplayable_code` → what the user reads (the seed's table, in both languages).

Codes 7–10 are full sentences in the document and are used as they stand; 1–5 are
short labels there ("版权原因阻断"), turned into sentences a singer understands.
Code 6 is not in the table: it gets the generic message, as any future code does.
"""

from __future__ import annotations

from ktvdesk.errors import RightsError, UserMessage

UNPLAYABLE: dict[int, UserMessage] = {
    1: UserMessage("因版权原因，这首歌暂时无法播放。", "This song is blocked for copyright reasons."),
    2: UserMessage(
        "这首歌需要QQ音乐绿钻会员才能播放。", "This song needs a QQ Music Green Diamond membership."
    ),
    3: UserMessage(
        "这首歌属于数字专辑，购买后才能播放。", "This song is on a digital album that must be bought first."
    ),
    4: UserMessage("当前地区无法播放这首歌。", "This song cannot be played in your region."),
    5: UserMessage("这首歌暂时无法播放。", "This song cannot be played right now."),
    7: UserMessage(
        "受版权方要求无法在当前设备播放，请到手机QQ音乐上播放",
        "At the rights holder's request this song cannot play on this device; "
        "play it in QQ Music on your phone.",
    ),
    8: UserMessage(
        "当前接口仅有浏览歌曲信息权限", "This service only allows browsing song information, not playback."
    ),
    9: UserMessage(
        "您不是QQ音乐硬件会员，无法播放", "You are not a QQ Music hardware member, so this cannot be played."
    ),
    10: UserMessage(
        "该音频需要付费，请在手机端购买或播放", "This audio is paid content: buy or play it in the phone app."
    ),
}

UNKNOWN = UserMessage("这首歌暂时无法播放。", "This song cannot be played right now.")


def unplayable_message(code: int) -> UserMessage | None:
    """None when `code` is 0 (playable)."""
    if code == 0:
        return None
    return UNPLAYABLE.get(code, UNKNOWN)


def unplayable_error(code: int, song_id: str, server_msg: str = "") -> RightsError | None:
    message = unplayable_message(code)
    if message is None:
        return None
    detail = f"xiaowei song {song_id}: unplayable_code {code}"
    if server_msg:
        detail += f" ({server_msg})"
    return RightsError(detail, user_message=message, code=f"unplayable{code}")
