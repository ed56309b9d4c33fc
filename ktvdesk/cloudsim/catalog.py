"""The emulator's song catalog, shared by every emulated protocol.

The bundled demo songs (`resources/demo/`, when present) come first, with their real
media and lyrics; a deterministic generated catalog of thousands of songs with Chinese
and English names (all invented here) gives paging and search something to chew on.
Generated songs get a synthetic WAV, WebVTT lyrics and a pitch file made on demand.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import random
import struct
import wave
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ktvdesk import paths

log = logging.getLogger(__name__)

AUDIO_EXTENSIONS = (".mkv", ".mp4", ".m4a", ".mp3", ".ogg", ".opus", ".flac", ".wav", ".mpg", ".vob")
LYRICS_EXTENSIONS = (".vtt", ".lrc", ".krc", ".qrc")

_ZH_WORDS = (
    "月亮", "星空", "等待", "远方", "夏天", "海风", "城市", "回忆", "时光", "梦想", "雨夜", "晴天",
    "花开", "告白", "青春", "旅行", "故乡", "灯火", "微笑", "眼泪", "春风", "秋叶", "冬雪", "黎明",
    "山谷", "河流", "小巷", "列车", "信箱", "风筝",
)  # fmt: skip
_ZH_PATTERNS = ("{a}的{b}", "{a}{b}", "等{a}", "{a}与{b}", "最后的{a}", "{a}之歌", "你的{a}")
_EN_WORDS = (
    "Moon", "River", "Summer", "Night", "Dream", "Light", "Heart", "Road", "Rain", "Star", "Ocean",
    "City", "Fire", "Home", "Sky", "Time", "Garden", "Echo", "Window", "Letter",
)  # fmt: skip
_EN_PATTERNS = ("{a} {b}", "The {a}", "{a} of {b}", "Midnight {a}", "{a} Song", "Under the {a}")
_SURNAMES = ("周", "林", "陈", "王", "李", "张", "刘", "杨", "吴", "赵", "许", "何")
_GIVEN = ("小雨", "子轩", "一鸣", "思琪", "雨桐", "浩然", "欣怡", "晨", "安", "若溪", "嘉豪", "梦婷")
_EN_FIRST = ("Anna", "Leo", "Mia", "Sam", "Ivy", "Noah", "Luna", "Eli")
_EN_LAST = ("Lee", "Hart", "Stone", "Rivers", "Woods", "Gray")

TAG_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "style",
        "风格",
        (("pop", "流行"), ("rock", "摇滚"), ("folk", "民谣"), ("hiphop", "嘻哈"), ("edm", "电子")),
    ),
    ("lang", "语种", (("mandarin", "国语"), ("cantonese", "粤语"), ("english", "英语"))),
    ("era", "年代", (("80s", "80年代"), ("90s", "90年代"), ("00s", "00年代"), ("10s", "10年代"))),
)

PLAYLISTS: tuple[tuple[str, str, str, str], ...] = (
    ("pid-8888", "热歌推荐", "OfficialRec", "style:pop"),
    ("pid-23784", "网络红歌", "OfficialRec", "era:10s"),
    ("pid-24971", "动感DJ", "OfficialRec", "style:edm"),
    ("pid-6666", "最新飙升", "OfficialRec", "featured"),
    ("pid-1001", "民谣时光", "OfficialRec", "style:folk"),
    ("pid-1002", "粤语金曲", "OfficialRec", "lang:cantonese"),
    ("pid-1003", "English Hits", "OfficialRec", "lang:english"),
    ("pid-2001", "我的KTV必点", "Customize", "demo"),
)


@dataclass
class SimSong:
    id: str
    title: str
    singers: tuple[str, ...]
    album: str
    duration_ms: int
    duration_wire: int  # what the API sends in Duration: ms for most, seconds for some (as the real one)
    can_play: bool = True
    can_sing: bool = True
    has_lyrics: bool = True
    has_pitch: bool = True
    featured: bool = False
    status: int = 0  # segment Status: 0 ok, 1 offline, 2 no rights, 3 no accompaniment
    tags: tuple[str, ...] = ()
    ame_id: str = ""
    chorus_ms: tuple[int, int] = (0, 0)
    other_segments_ms: tuple[tuple[int, int], ...] = ()
    prelude_s: int = 10
    bpm: int = 100
    media_path: Path | None = None
    lyrics_path: Path | None = None
    demo: bool = False
    vip_only: bool = False
    aliases: tuple[str, ...] = ()  # the title in the other language (demo songs)

    @property
    def ext(self) -> str:
        return self.media_path.suffix.lstrip(".").lower() if self.media_path else "wav"

    @property
    def media_file(self) -> str:
        return f"{self.id}.{self.ext}"

    def matches(self, keyword: str) -> bool:
        needle = keyword.casefold()
        names = (self.title, *self.singers, *self.aliases)
        return any(needle in name.casefold() for name in names)


# Generated songs are tone WAVs of WAV_SECONDS; everything the APIs say about them fits in.
SAMPLE_RATE = 8000
WAV_SECONDS = 30
GENERATED_MS = WAV_SECONDS * 1000
FILLER_LINES = 8
FILLER_LINE_MS = 3000  # eight lines after a prelude of at most 4 s end before 30 s
FILLER_WORD_MS = 600  # four words per line


def _song_id(rng: random.Random) -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "mid-" + "".join(rng.choice(alphabet) for _ in range(8))


def _title(rng: random.Random, english: bool) -> str:
    words, patterns = (_EN_WORDS, _EN_PATTERNS) if english else (_ZH_WORDS, _ZH_PATTERNS)
    a, b = rng.sample(words, 2)
    return rng.choice(patterns).format(a=a, b=b)


def _singer(rng: random.Random, english: bool) -> str:
    if english:
        return f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _generated(rng: random.Random, index: int) -> SimSong:
    english = rng.random() < 0.3
    # A generated song is its tone WAV: what the API reports (Duration, chorus, segments,
    # prelude, lyric times) must fit the media served, or a player sees every full play
    # end "early". The draws stay as they were so a seed still yields the same songs.
    rng.randrange(150_000, 300_000, 1000)
    duration_ms = GENERATED_MS
    chorus_start = int(duration_ms * rng.uniform(0.3, 0.45)) // 10 * 10
    chorus_end = chorus_start + rng.randrange(20_000, 35_000, 10) // 4
    style = rng.choice(TAG_GROUPS[0][2])[0]
    lang = "english" if english else rng.choice(("mandarin", "mandarin", "cantonese"))
    era = rng.choice(TAG_GROUPS[2][2])[0]
    roll = rng.random()
    singers: tuple[str, ...] = (_singer(rng, english),)
    if rng.random() > 0.85:
        second = _singer(rng, english)
        singers += (second,) if second != singers[0] else ()
    return SimSong(
        id=_song_id(rng),
        title=_title(rng, english),
        singers=singers,
        album=_title(rng, english),
        duration_ms=duration_ms,
        duration_wire=duration_ms // 1000 if index % 7 == 3 else duration_ms,
        can_play=roll > 0.05,
        can_sing=roll < 0.90 or roll > 0.95,
        has_lyrics=rng.random() < 0.9,
        has_pitch=rng.random() < 0.7,
        featured=rng.random() < 0.15,
        tags=(f"style:{style}", f"lang:{lang}", f"era:{era}"),
        ame_id=f"ame-{index:05d}",
        chorus_ms=(chorus_start, chorus_end),
        other_segments_ms=((chorus_end + 1_000, min(duration_ms, chorus_end + 6_000)),),
        prelude_s=rng.randrange(5, 25) // 5,
        bpm=rng.randrange(60, 180),
    )


def _special_songs() -> list[SimSong]:
    """Fixed songs whose segment `Status` is not 0, for the user-message paths."""
    base = {"duration_ms": GENERATED_MS, "duration_wire": GENERATED_MS, "chorus_ms": (10_000, 20_000)}
    return [
        SimSong(id="mid-offline1", title="下架的歌 Offline Song", singers=("测试歌手",), album="测试", status=1,
                tags=("style:pop",), ame_id="ame-offline", **base),  # type: ignore[arg-type]
        SimSong(id="mid-norights1", title="无版权的歌 No Rights Song", singers=("测试歌手",), album="测试",
                status=2, can_play=False, can_sing=False, tags=("style:pop",), ame_id="ame-norights",
                **base),  # type: ignore[arg-type]
        SimSong(id="mid-noaccomp1", title="无伴奏的歌 No Accompaniment Song", singers=("测试歌手",), album="测试",
                status=3, tags=("style:pop",), ame_id="ame-noaccomp", **base),  # type: ignore[arg-type]
        SimSong(id="mid-vip1", title="会员专享 Members Only", singers=("测试歌手",), album="测试",
                vip_only=True, tags=("style:pop",), ame_id="ame-vip", **base),  # type: ignore[arg-type]
    ]  # fmt: skip


def default_demo_dir() -> Path:
    return paths.demo_library_dir()


ACCOMPANIMENT_SUFFIX = "_伴奏"  # `<stem>_伴奏.<ext>`: the accompaniment of `<stem>.<ext>`
_LANGUAGE_TAGS = {
    "国语": "mandarin",
    "普通话": "mandarin",
    "粤语": "cantonese",
    "英语": "english",
    "english": "english",
}


def _media_tags(path: Path) -> tuple[dict[str, str], int | None]:
    """Lower-cased container tags and the duration: mutagen (a core dependency) first,
    PyAV when installed (it also reads Matroska), nothing otherwise."""
    try:
        import mutagen

        found = mutagen.File(path, easy=True)
        if found is not None and found.tags:
            tags = {str(k).lower(): str(v[0]) for k, v in found.tags.items() if v}
            length = getattr(found.info, "length", None)
            return tags, int(length * 1000) if length else None
    except Exception as exc:  # an unreadable file is skipped, not fatal
        log.debug("cloudsim: mutagen cannot read %s: %s", path, exc)
    try:
        import av

        with av.open(str(path)) as container:
            tags = {str(k).lower(): str(v) for k, v in container.metadata.items()}
            duration = container.duration
            return tags, duration // 1000 if duration else None
    except Exception as exc:
        log.debug("cloudsim: no tags for %s: %s", path, exc)
    return {}, None


def _lyrics_end_ms(path: Path | None) -> int | None:
    if path is None:
        return None
    try:
        from ktvdesk.lyrics import parse_lyrics

        lines = parse_lyrics(path.read_bytes(), "auto").lines
    except Exception:
        return None
    return lines[-1].end_ms if lines else None


def _demo_songs(demo_dir: Path | None) -> list[SimSong]:
    """Every audio file under `demo_dir` (none when it does not exist).

    Title, singers, album, language and duration come from the file's tags, else from an
    `Artist - Title` stem; a `<stem>.json` or `manifest.json` entry overrides both. A
    `<stem>_伴奏` file is served as that song's accompaniment; lyrics are the sidecar file
    of the same stem (.vtt, .lrc, .krc, .qrc), served as WebVTT.
    """
    if demo_dir is None or not demo_dir.is_dir():
        return []
    manifest: dict[str, dict[str, object]] = {}
    manifest_path = demo_dir / "manifest.json"
    if manifest_path.is_file():
        try:
            loaded = json.loads(manifest_path.read_text("utf-8"))
            entries = loaded.get("songs", loaded) if isinstance(loaded, dict) else loaded
            if isinstance(entries, list):
                for entry in entries:
                    if isinstance(entry, dict):
                        key = str(entry.get("file") or entry.get("media") or entry.get("path") or "")
                        manifest[Path(key).stem] = entry
        except (OSError, ValueError) as exc:
            log.warning("cloudsim: ignoring unreadable demo manifest: %s", exc)
    songs: list[SimSong] = []
    media_files = sorted(p for p in demo_dir.rglob("*") if p.suffix.lower() in AUDIO_EXTENSIONS)
    for media in media_files:
        if media.stem.endswith(ACCOMPANIMENT_SUFFIX):
            continue
        tags, duration_ms = _media_tags(media)
        meta: dict[str, object] = dict(tags)
        meta.update(manifest.get(media.stem, {}))
        sidecar = media.with_suffix(".json")
        if sidecar.is_file():
            try:
                loaded = json.loads(sidecar.read_text("utf-8"))
                if isinstance(loaded, dict):
                    meta.update(loaded)
            except (OSError, ValueError):
                pass
        stem_artist, _, stem_title = media.stem.partition(" - ")
        if not stem_title:
            stem_artist, stem_title = "", media.stem
        lyrics = next(
            (media.with_suffix(ext) for ext in LYRICS_EXTENSIONS if media.with_suffix(ext).is_file()), None
        )
        singers_raw = meta.get("singers") or meta.get("artist") or meta.get("singer") or stem_artist or "Demo"
        singers = tuple(str(s) for s in singers_raw) if isinstance(singers_raw, list) else (str(singers_raw),)
        duration_raw = meta.get("duration_ms")
        if isinstance(duration_raw, int | float):
            duration_ms = int(duration_raw)
        duration_ms = duration_ms or ((_lyrics_end_ms(lyrics) or 175_000) + 5_000)
        language = _LANGUAGE_TAGS.get(str(meta.get("language", "")).lower(), "mandarin")
        accompaniment = media.with_name(media.stem + ACCOMPANIMENT_SUFFIX + media.suffix)
        digest = hashlib.md5(media.name.encode("utf-8")).hexdigest()[:8]
        chorus_start = duration_ms // 3 // 10 * 10
        songs.append(
            SimSong(
                id=f"mid-demo{digest}",
                title=str(meta.get("title") or stem_title.replace("_", " ")),
                singers=singers,
                album=str(meta.get("album") or "ktvdesk demo"),
                duration_ms=duration_ms,
                duration_wire=duration_ms,
                has_lyrics=lyrics is not None,
                has_pitch=False,
                featured=True,
                tags=("style:folk", f"lang:{language}", "era:80s", "demo"),
                ame_id=f"ame-demo{digest}",
                chorus_ms=(chorus_start, min(duration_ms, chorus_start + 20_000)),
                prelude_s=0,
                media_path=accompaniment if accompaniment.is_file() else media,
                lyrics_path=lyrics,
                demo=True,
                aliases=(str(meta["alias"]),) if meta.get("alias") else (),
            )
        )
    return songs


class SimCatalog:
    def __init__(self, *, size: int = 3000, seed: int = 20220527, demo_dir: Path | None = None) -> None:
        rng = random.Random(seed)
        songs = _demo_songs(demo_dir) + _special_songs()
        seen = {s.id for s in songs}
        target = len(songs) + size
        index = 0
        while len(songs) < target and index < size * 2:
            song = _generated(rng, index)
            index += 1
            if song.id not in seen:
                seen.add(song.id)
                songs.append(song)
        self.songs = songs
        self.by_id = {s.id: s for s in songs}
        self.by_ame = {s.ame_id: s for s in songs}
        self.demo_count = sum(1 for s in songs if s.demo)

    def search(self, keyword: str) -> list[SimSong]:
        """Exact title first, then title prefix, then anything containing the keyword."""
        needle = keyword.strip().casefold()
        if not needle:
            return []
        hits = [s for s in self.songs if s.matches(needle)]

        def rank(song: SimSong) -> int:
            title = song.title.casefold()
            return 0 if title == needle else 1 if title.startswith(needle) else 2

        return sorted(hits, key=rank)

    def suggestions(self, keyword: str, limit: int = 10) -> list[str]:
        out: list[str] = []
        for song in self.search(keyword):
            if song.title not in out:
                out.append(song.title)
            if len(out) >= limit:
                break
        return out

    def by_tag(self, tag: str) -> list[SimSong]:
        if tag == "featured":
            return [s for s in self.songs if s.featured]
        return [s for s in self.songs if tag in s.tags]

    def playlist_songs(self, playlist_id: str) -> list[SimSong] | None:
        for pid, _title, _type, rule in PLAYLISTS:
            if pid == playlist_id:
                if rule == "demo":
                    demo = [s for s in self.songs if s.demo]
                    return demo or self.songs[:30]
                return self.by_tag(rule)[:120]
        return None


def lyrics_bytes(song: SimSong) -> bytes:
    """WebVTT, as Yinsuda's LyricsUrl serves it (a demo song's LRC/KRC is converted)."""
    if song.lyrics_path is None:
        return generated_vtt(song).encode("utf-8")
    raw = song.lyrics_path.read_bytes()
    if song.lyrics_path.suffix.lower() == ".vtt":
        return raw
    from ktvdesk.lyrics import parse_lyrics

    return vtt_from_lines(
        [
            (line.start_ms, line.end_ms, [(w.start_ms, w.text) for w in line.words])
            for line in parse_lyrics(raw).lines
        ]
    ).encode("utf-8")


def vtt_from_lines(lines: list[tuple[int, int, list[tuple[int, str]]]]) -> str:
    """WebVTT cues with karaoke word timestamps: (start_ms, end_ms, [(word_start_ms, text)])."""
    out = ["WEBVTT", ""]
    for number, (start, end, words) in enumerate(lines, 1):
        text = "".join(f"<{_ts(at)}>{word}" for at, word in words)
        out += [str(number), f"{_ts(start)} --> {_ts(max(end, start + 1))}", text, ""]
    return "\n".join(out)


def _ts(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def generated_vtt(song: SimSong) -> str:
    """Eight word-timed cues of invented filler text around the song's title."""
    chinese = any("\u4e00" <= c <= "\u9fff" for c in song.title)
    words = ["啦", "啦", "啦", song.title] if chinese else ["la ", "la ", "la ", song.title]
    lines = [
        (begin, begin + FILLER_LINE_MS - 300, [(begin + i * FILLER_WORD_MS, w) for i, w in enumerate(words)])
        for begin in filler_starts_ms(song)
    ]
    return vtt_from_lines(lines)


def filler_starts_ms(song: SimSong) -> list[int]:
    """Start times of the eight invented lyric lines (every protocol's lyrics format):
    from the end of the prelude, one every `FILLER_LINE_MS`, all inside the song's media."""
    return [song.prelude_s * 1000 + n * FILLER_LINE_MS for n in range(FILLER_LINES)]


def pitch_bytes(song: SimSong) -> bytes:
    """Emulator-only pitch format (the real one is undocumented): `start_ms,dur_ms,midi` lines."""
    rng = random.Random(song.id)
    start = song.prelude_s * 1000
    rows = [f"{start + i * 300},{280},{rng.randrange(55, 75)}" for i in range(80)]  # ends within the song
    return ("\n".join(rows) + "\n").encode("ascii")


@lru_cache(maxsize=64)
def _wav(frequency_hz: int) -> bytes:
    # An integer frequency repeats every second: compute one second, repeat it.
    second = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency_hz * n / SAMPLE_RATE)))
        for n in range(SAMPLE_RATE)
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(second * WAV_SECONDS)
    return buffer.getvalue()


@lru_cache(maxsize=16)
def _file_bytes(path: Path) -> bytes:
    """A demo file as the catalog serves it: accompaniment only, as Yinsuda's segment URL
    is. A file with several audio tracks (the demo MKVs: original + 伴奏) is remuxed to its
    accompaniment track when PyAV is installed, else served whole."""
    data = path.read_bytes()
    try:
        import av
    except ImportError:
        return data
    try:
        with av.open(io.BytesIO(data), mode="r") as source:
            audio = [s for s in source.streams if s.type == "audio"]
            if len(audio) < 2:
                return data
            marks = ("伴奏", "accompaniment")
            track = next(
                (s for s in audio if any(m in (s.metadata.get("title") or "").lower() for m in marks)), None
            )
            track = track or audio[-1]
            out_buffer = io.BytesIO()
            with av.open(out_buffer, mode="w", format="matroska") as out:
                stream = out.add_stream_from_template(track)
                for packet in source.demux(track):
                    if packet.dts is None:
                        continue
                    packet.stream = stream
                    out.mux(packet)
            return out_buffer.getvalue()
    except Exception as exc:  # a file PyAV cannot remux is still worth serving whole
        log.warning("cloudsim: cannot extract the accompaniment of %s: %s", path.name, exc)
        return data


def media_bytes(song: SimSong) -> bytes:
    if song.media_path is not None:
        return _file_bytes(song.media_path)
    return _wav(220 + int(hashlib.md5(song.id.encode()).hexdigest(), 16) % 24 * 10)
