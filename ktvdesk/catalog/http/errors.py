"""Provider error codes → `ktvdesk.errors` classes with a zh+en user message.

Each provider supplies one table. Codes are matched exactly, then by dotted prefix
(`RequestLimitExceeded.IPLimitExceeded` falls back to `RequestLimitExceeded`), then the
table's default; integer codes (Xiaowei, ZEGO) are looked up by their decimal string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ktvdesk.errors import ProviderError, UserMessage


@dataclass(frozen=True, slots=True)
class ErrorRule:
    cls: type[ProviderError]
    message: UserMessage
    retryable: bool | None = None  # None: the class default


class ErrorTable:
    def __init__(self, rules: Mapping[str, ErrorRule], default: ErrorRule) -> None:
        self._rules = dict(rules)
        self.default = default

    def rule(self, code: str | int) -> ErrorRule:
        key = str(code)
        while key:
            found = self._rules.get(key)
            if found is not None:
                return found
            key = key.rpartition(".")[0]
        return self.default

    def error(self, code: str | int, detail: str, *, request_id: str | None = None) -> ProviderError:
        rule = self.rule(code)
        return rule.cls(
            detail,
            user_message=rule.message,
            retryable=rule.retryable,
            request_id=request_id,
            code=str(code),
        )
