"""User-facing texts of storage errors, in both UI languages (the core has no Qt translator)."""

from __future__ import annotations

from ktvdesk.errors import StorageError, UserMessage

CANNOT_OPEN = UserMessage(
    "无法打开您的歌曲数据库（收藏、历史、歌单）。",
    "Your song database (favorites, history, playlists) could not be opened.",
)
NOT_A_DATABASE = UserMessage(
    "歌曲数据库文件已损坏或不是数据库文件。",
    "The song database file is damaged or is not a database.",
)
NEWER_SCHEMA = UserMessage(
    "歌曲数据库由更新版本的 ktvdesk 创建，请升级 ktvdesk。",
    "The song database was created by a newer ktvdesk. Please update ktvdesk.",
)
WRITE_FAILED = UserMessage(
    "保存失败，您的数据没有改变。",
    "Could not save; your data was not changed.",
)
BUSY = UserMessage(
    "歌曲数据库正被另一个 ktvdesk 窗口使用，请稍后再试。",
    "The song database is in use by another ktvdesk window. Please try again.",
)
PLAYLIST_NOT_FOUND = UserMessage("歌单不存在或已被删除。", "The playlist does not exist or was deleted.")
BAD_NAME = UserMessage(
    "歌单名称不能为空，且不超过 200 个字符。", "Playlist names must have 1 to 200 characters."
)
BAD_INDEX = UserMessage(
    "列表已变化，请刷新后再试。",
    "The list has changed. Please refresh and try again.",
)
BAD_PLAYLIST_FILE = UserMessage(
    "无法导入：文件不是有效的 ktvdesk 歌单文件。",
    "Cannot import: the file is not a valid ktvdesk playlist file.",
)
NEWER_PLAYLIST_FILE = UserMessage(
    "无法导入：歌单文件由更新版本的 ktvdesk 导出，请升级 ktvdesk。",
    "Cannot import: the playlist file was exported by a newer ktvdesk. Please update ktvdesk.",
)
BAD_M3U8_FILE = UserMessage(
    "无法导入：文件不是有效的 M3U8 播放列表。",
    "Cannot import: the file is not a valid M3U8 playlist.",
)
FILE_TOO_LARGE = UserMessage("无法导入：文件太大。", "Cannot import: the file is too large.")


def storage_error(detail: str, message: UserMessage, code: str, *, retryable: bool = False) -> StorageError:
    return StorageError(detail, user_message=message, code=code, retryable=retryable)
