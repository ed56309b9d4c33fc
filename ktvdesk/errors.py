"""The error hierarchy shared by every layer.

Errors a user can act on carry a short message in both UI languages, because the core
has no Qt and cannot use Qt's translator; the UI picks the language at display time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UserMessage:
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang.lower().startswith("zh") else self.en


GENERIC_FAILURE = UserMessage("操作失败，请稍后再试。", "Something went wrong. Please try again.")


class KtvError(Exception):
    """Base of every error ktvdesk raises on purpose.

    `retryable` says whether repeating the same call later may succeed (network, rate
    limit, server busy). `request_id` is the provider's id for support and logs.
    """

    retryable: bool = False

    def __init__(
        self,
        detail: str,
        *,
        user_message: UserMessage | None = None,
        retryable: bool | None = None,
        request_id: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.user_message = user_message or GENERIC_FAILURE
        if retryable is not None:
            self.retryable = retryable
        self.request_id = request_id
        self.code = code

    def message(self, lang: str) -> str:
        return self.user_message.text(lang)


class ConfigError(KtvError):
    """The configuration file or an environment variable is invalid."""


class LyricsError(KtvError):
    """Lyrics bytes could not be parsed."""


class PlaybackError(KtvError):
    """The media could not be played."""


class DamagedMediaError(PlaybackError):
    """The file itself cannot be played (damaged, not media): no retry will help."""


class VlcUnavailableError(PlaybackError):
    """libVLC is missing or cannot be initialised."""


class ProviderError(KtvError):
    """A catalog provider call failed."""


class NetworkError(ProviderError):
    retryable = True


class RateLimitedError(ProviderError):
    retryable = True


class AuthError(ProviderError):
    """Credentials are missing, wrong, or the request signature was refused."""


class NotFoundError(ProviderError):
    """The song, tag or playlist does not exist (any more)."""


class RightsError(ProviderError):
    """The song exists but may not be played here (no rights, offline, no accompaniment)."""


class MediaExpiredError(ProviderError):
    """A media URL or token expired; resolving the song again gives a fresh one."""

    retryable = True


class StorageError(KtvError):
    """The user database could not be read or written."""
