"""QRC (QQ Music): an XML wrapper whose `LyricContent` attribute holds the lyric text.

Lines are `[start_ms,dur_ms]`, words `text(start_ms,dur_ms)` with absolute times. The
XML is not read with an XML parser on purpose: real files keep raw newlines inside the
attribute, which XML attribute normalisation would turn into spaces.
"""

from __future__ import annotations

import html
import re

from ktvdesk.lyrics.common import finish_lines, offset_from_meta, parse_meta_line
from ktvdesk.lyrics.decoding import split_lines
from ktvdesk.lyrics.krc import LINE_RE
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord

_CONTENT_RE = re.compile(r"""LyricContent\s*=\s*(["'])(.*?)\1\s*/?>""", re.S)
_CONTENT_ATTR = "LyricContent"
_WORD_TIME_RE = re.compile(r"\((\d{1,10}),(\d{1,10})\)")
# A `(a,b)` is a word time only if it lies near its line; otherwise it is lyric text
# that happens to hold two numbers in parentheses.
_SLACK_MS = 2000


def qrc_content(text: str) -> str:
    """The lyric text inside the XML wrapper, or the text itself if it has none."""
    # One anchored attempt at the first attribute: a search would retry at every later
    # occurrence and go quadratic on hostile input without a closing quote.
    at = text.find(_CONTENT_ATTR)
    m = _CONTENT_RE.match(text, at) if at >= 0 else None
    return html.unescape(m.group(2)) if m else text


def parse_qrc_text(text: str) -> Lyrics:
    meta: dict[str, str] = {}
    lines: list[LyricLine] = []
    for raw in split_lines(qrc_content(text)):
        line = raw.strip()
        if not line:
            continue
        m = LINE_RE.match(line)
        if m is None:
            if line[0] == "[":
                parse_meta_line(line, meta)
            continue
        start = int(m.group(1))
        end = start + int(m.group(2))
        body = line[m.end() :]
        words = _words(body, start, end)
        text_of_line = "".join(w.text for w in words).strip() if words else body.strip()
        if text_of_line:
            lines.append(LyricLine(start, end, text_of_line, [w for w in words if w.text]))
    offset_ms = offset_from_meta(meta)
    return Lyrics(lines=finish_lines(lines, offset_ms), meta=meta, offset_ms=offset_ms, format="qrc")


def _words(body: str, line_start: int, line_end: int) -> list[LyricWord]:
    words: list[LyricWord] = []
    pos = 0
    low = line_start - _SLACK_MS
    high = line_end + _SLACK_MS
    for m in _WORD_TIME_RE.finditer(body):
        start = int(m.group(1))
        if not low <= start <= high:
            continue
        # Everything since the previous word time is this word, parentheses included:
        # the time is always the last `(a,b)` of its word.
        words.append(LyricWord(start, start + int(m.group(2)), body[pos : m.start()]))
        pos = m.end()
    return words
