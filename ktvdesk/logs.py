"""Logging set-up and the redaction that keeps secrets out of every log line.

Redaction is a `logging.Filter` on the handlers rather than discipline at call sites:
a provider that logs a whole URL or request by mistake still leaks nothing. It rewrites
the fully formatted message (args included) so placeholders cannot smuggle a secret past.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

REDACTED = "***"

_known_secrets: set[str] = set()
_known_lock = threading.Lock()

# Order matters: specific shapes first, the generic URL query rule last.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # TC3 Authorization header: keep the algorithm and credential scope's date, drop the rest.
    (re.compile(r"(TC3-HMAC-SHA256\s+Credential=)[^\s,]+"), r"\1" + REDACTED),
    (re.compile(r"((?:Authorization|Signature|X-TC-Token)\s*[:=]\s*)[^\s,&\"']+", re.I), r"\1" + REDACTED),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I), r"\1" + REDACTED),
    # JWTs (Yinsuda PlayToken): three base64url parts starting with a JSON header.
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+"), REDACTED),
    # key=value / "key": "value" for secret-looking keys, in query strings, JSON, repr().
    (
        re.compile(
            r"""(?P<k>["']?\b(?:secret[_-]?id|secret[_-]?key|server[_-]?secret|secretkey|secretid|token|"""
            r"""share_token|krc_token|play_?token|access_?token|password|pin|sign|signature|key|"""
            r"""credential|session|ticket|cookie)\b["']?\s*[:=]\s*["']?)(?P<v>[^"'\s&,;}]+)""",
            re.I,
        ),
        r"\g<k>" + REDACTED,
    ),
    # CDN timestamp-auth paths: /YYYYMMDDHHMM/<md5>/ — the md5 is a bearer credential.
    (re.compile(r"(/\d{12}/)[0-9a-f]{32}(/)", re.I), r"\1" + REDACTED + r"\2"),
    # Type-C timestamp auth: /<md5>/<unix time, hex>/ (the emulator's short-lived soak links).
    (re.compile(r"/[0-9a-f]{32}(/[0-9a-f]{8}/)", re.I), "/" + REDACTED + r"\1"),
    # Any remaining query string of an http(s) URL: signed links carry their auth there.
    (re.compile(r"(https?://[^\s?#\"']+)\?[^\s#\"']*"), r"\1?" + REDACTED),
)


def register_secret(value: str | None) -> None:
    """Redact this exact value wherever it appears (keys and tokens loaded at run time)."""
    if value and len(value) >= 4:
        with _known_lock:
            _known_secrets.add(value)


def redact(text: str) -> str:
    with _known_lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def _handler(handler: logging.Handler, level: int) -> logging.Handler:
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    return handler


def setup_logging(log_dir: Path | None, *, debug: bool = False, console: bool = True) -> Path | None:
    """Rotating file in `log_dir` (when given) plus stderr; returns the log file path."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    level = logging.DEBUG if debug else logging.INFO
    root.setLevel(level)
    log_file: Path | None = None
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            log_file = log_dir / "ktvdesk.log"
            rotating = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
            root.addHandler(_handler(rotating, level))
        except OSError as exc:
            log_file = None
            logging.getLogger(__name__).warning("cannot write logs to %s: %s", log_dir, exc)
    if console:
        root.addHandler(_handler(logging.StreamHandler(), level if debug else logging.WARNING))
    return log_file


def setup_cli_logging(*, debug: bool = False) -> None:
    """Tools print results on stdout; logs go to stderr only, warnings and up unless --debug."""
    setup_logging(None, debug=debug, console=True)
