"""ASS/SSA subtitles with `\\k` karaoke timing (Aegisub, Karaoke Mugen, anime karaoke).

The file structure is read here, not by pysubs2: pysubs2 ignores the `[Events]` Format
line and reads every event in the default column order, and real files reorder columns.
As in libass, the Text column takes the rest of the line. The karaoke timing follows
Aegisub: every `\\k`, `\\K`, `\\kf` or `\\ko` tag closes
the current syllable and opens one lasting its value in centiseconds, syllables laid end
to end from the event start. Which events are the lyrics:

* `Comment:` lines never are, except the `karaoke`-effect originals that Aegisub's
  templater comments out when it applies a template, and only when nothing else is timed;
* `Dialogue:` lines whose Effect is `fx` (templater output) or `template`/`code` are
  effect layers drawn over the lyrics, not lyrics;
* when some events carry karaoke tags, only those are lyric lines (the rest are signs,
  credits or translations); a file without any is read as plain timed lines.

Aegisub's furigana syntax `漢字|かんじ` becomes the word's text and its romanization
field (the reading); a `#|…` syllable continues the previous kanji: that word lasts
longer and its reading grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ktvdesk.lyrics.common import finish_lines
from ktvdesk.lyrics.decoding import split_lines
from ktvdesk.lyrics.errors import CORRUPT, lyrics_error
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord

_BLOCK_RE = re.compile(r"\{([^}]*)\}")
_KARAOKE_TAG_RE = re.compile(r"\\(kf|ko|k|K)(\d{1,7}(?:\.\d*)?)")
_HAS_KARAOKE_RE = re.compile(r"\{[^}]*\\(?:kf|ko|k|K)\d")
_EFFECT_LAYERS = ("fx", "template", "code", "furi-fx")
_MAX_EVENT_CHARS = 100_000
_TIME_RE = re.compile(r"^\s*(-?)(\d{1,4}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")
_DEFAULT_FORMAT = (
    "layer",
    "start",
    "end",
    "style",
    "name",
    "marginl",
    "marginr",
    "marginv",
    "effect",
    "text",
)


@dataclass(frozen=True, slots=True)
class Event:
    type: str  # "Dialogue" or "Comment"
    start: int  # ms
    end: int
    effect: str
    text: str  # raw, override blocks included


@dataclass(frozen=True, slots=True)
class Syllable:
    start_ms: int
    end_ms: int
    text: str  # plain text, override blocks removed, `\N` as a newline
    tag: str  # k, K, kf or ko


def looks_like_ass(text: str) -> bool:
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    return head.startswith("[script info]") or ("[events]" in head and "dialogue:" in text[:65536].lower())


def parse_ass_text(text: str) -> Lyrics:
    info, events = read_ass(text)
    chosen = karaoke_events(events)
    karaoke = bool(chosen)
    if not karaoke:
        chosen = [e for e in events if e.type == "Dialogue" and not _is_effect_layer(e)]
    lines: list[LyricLine] = []
    for event in chosen:
        line = _line(event, karaoke)
        if line is not None:
            lines.append(line)
    meta = {key: value for key, value in info.items() if value and key in ("title", "original script")}
    return Lyrics(lines=finish_lines(lines, 0), meta=meta, format="ass")


def read_ass(text: str) -> tuple[dict[str, str], list[Event]]:
    """`[Script Info]` (lower-case keys) and the events, in file order."""
    info: dict[str, str] = {}
    events: list[Event] = []
    section = ""
    columns: tuple[str, ...] = _DEFAULT_FORMAT
    for row in split_lines(text):
        line = row.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        kind, sep, rest = line.partition(":")
        if not sep:
            continue
        if section == "script info" and not line.startswith(";"):
            info.setdefault(kind.strip().lower(), rest.strip())
        elif section == "events":
            if kind == "Format":
                columns = tuple(c.strip().lower() for c in rest.split(","))
            elif kind in ("Dialogue", "Comment"):
                event = _event(kind, rest, columns)
                if event is not None:
                    events.append(event)
    if "text" not in columns or "start" not in columns or "end" not in columns:
        raise lyrics_error("ASS events have no Start, End or Text column", CORRUPT)
    return info, events


def _event(kind: str, rest: str, columns: tuple[str, ...]) -> Event | None:
    text_at = columns.index("text") if "text" in columns else len(columns) - 1
    fields = rest.lstrip().split(",", text_at)
    if len(fields) <= text_at:
        return None
    values = dict(zip(columns, fields, strict=False))
    start, end = _time(values.get("start", "")), _time(values.get("end", ""))
    if start is None or end is None:
        return None  # libass drops such events too
    return Event(kind, start, end, values.get("effect", "").strip(), fields[text_at])


def _time(value: str) -> int | None:
    m = _TIME_RE.match(value)
    if m is None:
        return None
    sign, hours, minutes, seconds, fraction = m.groups()
    fraction_ms = int((fraction or "0").ljust(3, "0")) if fraction else 0
    if len(fraction or "") == 2:
        fraction_ms = int(fraction) * 10
    ms = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + fraction_ms
    return -ms if sign else ms


def karaoke_events(events: list[Event]) -> list[Event]:
    """The events holding the sung lyrics, in file order."""
    dialogue = [
        e
        for e in events
        if e.type == "Dialogue" and not _is_effect_layer(e) and _HAS_KARAOKE_RE.search(e.text)
    ]
    if dialogue:
        return dialogue
    return [
        e
        for e in events
        if e.type == "Comment" and e.effect.strip().lower() == "karaoke" and _HAS_KARAOKE_RE.search(e.text)
    ]


def _is_effect_layer(event: Event) -> bool:
    effect = event.effect.strip().lower()
    return any(effect == name or effect.startswith(name + " ") for name in _EFFECT_LAYERS)


def syllables(raw: str, start_ms: int) -> list[Syllable]:
    """Aegisub's syllables of one event's raw text, empty ones included."""
    if len(raw) > _MAX_EVENT_CHARS:
        raise lyrics_error("ASS event text too long", CORRUPT)
    out: list[Syllable] = []
    pending_text: list[str] = []
    current: tuple[int, str] | None = None  # (duration ms, tag) of the open syllable
    clock = start_ms

    def close() -> None:
        nonlocal clock
        text = _plain("".join(pending_text))
        pending_text.clear()
        if current is None:
            if text:  # text before the first tag: a syllable of no duration
                out.append(Syllable(clock, clock, text, ""))
            return
        duration, tag = current
        out.append(Syllable(clock, clock + duration, text, tag))
        clock += duration

    pos = 0
    for block in _BLOCK_RE.finditer(raw):
        pending_text.append(raw[pos : block.start()])
        pos = block.end()
        for tag in _KARAOKE_TAG_RE.finditer(block.group(1)):
            close()
            current = (round(float(tag.group(2)) * 10), tag.group(1))
    pending_text.append(raw[pos:])
    close()
    return out


def _plain(text: str) -> str:
    # Unclosed `{` starts a comment to the end of the line in libass: drop it too.
    brace = text.find("{")
    if brace >= 0:
        text = text[:brace]
    return text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0")


def _line(event: Event, karaoke: bool) -> LyricLine | None:
    start, end = max(0, int(event.start)), max(0, int(event.end))
    if not karaoke:
        text = _plain(_BLOCK_RE.sub("", event.text)).strip()
        return LyricLine(start, max(start, end), text) if text else None
    words: list[LyricWord] = []
    for syllable in syllables(event.text, start):
        if syllable.text:
            _add_word(words, syllable)
    if not words:
        return None
    text = "".join(w.text for w in words).strip()
    return LyricLine(start, max(end, start), text, words=words)


def _add_word(words: list[LyricWord], syllable: Syllable) -> None:
    text, bar, reading = syllable.text.partition("|")
    if not bar:
        words.append(LyricWord(syllable.start_ms, syllable.end_ms, text))
    elif text == "#" and words:
        # The reading goes on over the previous kanji: one word, sung longer.
        previous = words[-1]
        previous.end_ms = max(previous.end_ms, syllable.end_ms)
        previous.romanization = (previous.romanization or "") + reading
    else:
        words.append(LyricWord(syllable.start_ms, syllable.end_ms, text, romanization=reading))
