"""The user-facing messages of the lyrics package (zh + en, chosen by the UI)."""

from __future__ import annotations

from ktvdesk.errors import LyricsError, UserMessage

UNRECOGNISED = UserMessage("无法识别的歌词格式。", "The lyrics format is not recognised.")
CORRUPT = UserMessage("歌词文件已损坏，无法读取。", "The lyrics file is damaged and cannot be read.")
NO_LINES = UserMessage("歌词文件里没有带时间的歌词。", "The lyrics file contains no timed lines.")
BAD_FORMAT_NAME = UserMessage("不支持的歌词格式。", "This lyrics format is not supported.")
ENCRYPTED_QRC = UserMessage("不支持加密的 QRC 歌词。", "Encrypted QRC lyrics are not supported.")


def lyrics_error(detail: str, message: UserMessage = UNRECOGNISED) -> LyricsError:
    return LyricsError(detail, user_message=message)
