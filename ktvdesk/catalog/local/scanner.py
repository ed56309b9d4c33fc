"""Walk song folders and turn media files into `SongRecord`s, incrementally.

Paths are handled as bytes end to end: a file whose name is not valid UTF-8 (old GBK
disks) still opens, and its display name uses replacement characters. A file is probed
again only when its size, mtime or companions (sidecar lyrics, accompaniment file, cover,
folder layout) changed; everything else is reported as unchanged and keeps its row.
Nothing a single file does stops the scan: damaged, empty, unreadable, duplicate (hard or
symbolic link) files are skipped with their reason, symlinked folder loops are cut.

Karaoke songs made of several files (UltraStar folders, MP3+G pairs and zips) and MIDI
karaoke come from `karaoke_songs`; their parts are never indexed as songs of their own.
One of them that cannot play (a `.cdg` without audio, a missing `#MP3`, a truncated
`.kar`) is indexed with `unplayable` set, and the scan report says why in one line.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ktvdesk.catalog.local.folder_config import FOLDER_CONFIG_NAME, FolderSettings, read_folder_settings
from ktvdesk.catalog.local.karaoke_songs import KIND_MEDIA, KaraokeSong, describe, find_karaoke_songs
from ktvdesk.catalog.local.names import accompaniment_base, guess_from_name, split_singers, title_aliases
from ktvdesk.catalog.local.probe import MEDIA_EXTENSIONS, MediaInfo, ProbeError, probe
from ktvdesk.models import Channel, VocalLayout

log = logging.getLogger(__name__)

LYRICS_EXTENSIONS = (".krc", ".qrc", ".ass", ".ssa", ".lrc", ".vtt")  # word-timed formats first
COVER_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")
FOLDER_COVERS = ("cover", "folder", "front")
_CONFIG_NAME = os.fsencode(FOLDER_CONFIG_NAME)

_LANGUAGE_NAMES = {
    "chi": "国语",
    "zho": "国语",
    "zh": "国语",
    "cmn": "国语",
    "yue": "粤语",
    "eng": "英语",
    "en": "英语",
    "jpn": "日语",
    "ja": "日语",
    "kor": "韩语",
    "ko": "韩语",
}
_ACCOMPANIMENT_WORDS = ("伴奏", "伴唱", "karaoke", "instrumental", "accompaniment", "off vocal")


@dataclass(slots=True)
class SongRecord:
    path: bytes
    size: int
    mtime_ns: int
    signature: str
    title: str
    singers: tuple[str, ...] = ()
    album: str | None = None
    genre: str | None = None
    language: str | None = None
    aliases: tuple[str, ...] = ()
    duration_ms: int | None = None
    replaygain_db: float | None = None
    container: str = ""
    layout: VocalLayout = VocalLayout.MIXED
    vocal_channel: Channel = Channel.LEFT
    original_track: int = 0
    accompaniment_track: int = 1
    accompaniment_path: bytes | None = None
    lyrics_path: bytes | None = None
    cover_path: bytes | None = None
    folder: str = ""
    kind: str = KIND_MEDIA  # media, ultrastar, mp3+g or midi (karaoke_songs)
    lyrics_kind: str | None = None  # "graphics": CD+G, the picture is the lyrics
    unplayable: str | None = None  # why the song cannot play, shown in the library
    extras: dict[str, str | int] = field(default_factory=dict)  # kind-specific: audio, video, clip…


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


@dataclass(slots=True)
class TreeScan:
    """What one walk found: `changed` needs writing; `seen` is every indexed path still present."""

    changed: list[SongRecord] = field(default_factory=list)
    seen: set[bytes] = field(default_factory=set)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unplayable: list[Skipped] = field(default_factory=list)  # indexed, but cannot play: why
    kept_prefixes: list[bytes] = field(default_factory=list)  # unreadable folders: keep their rows


KnownFiles = Mapping[bytes, tuple[int, int, str]]  # path → (size, mtime_ns, signature)


def display_path(path: bytes) -> str:
    return path.decode("utf-8", errors="replace")


@dataclass(slots=True)
class _Folder:
    path: bytes
    files: dict[bytes, os.DirEntry[bytes]]
    settings: FolderSettings | None


class Scanner:
    """One walk over one root. `split_folders` declares left/right folders from app config."""

    def __init__(self, root: Path | str | bytes, known: KnownFiles, split_folders: Mapping[Path, Channel]):
        self.root = os.path.abspath(os.fsencode(root))
        self._real_root = os.path.realpath(self.root).rstrip(b"/") + b"/"
        self.known = known
        self.split_folders = {os.path.abspath(os.fsencode(p)): ch for p, ch in split_folders.items()}
        self.result = TreeScan()
        self._visited_dirs: set[tuple[int, int]] = set()
        self._visited_files: dict[tuple[int, int], bytes] = {}

    def run(self) -> TreeScan:
        settings = self._inherited_settings(self.root)
        self._walk(self.root, settings)
        return self.result

    def _inherited_settings(self, folder: bytes) -> FolderSettings | None:
        """Settings declared above the root apply too: scanning a subfolder changes nothing."""
        chain: list[bytes] = []
        current = folder
        while True:
            chain.append(current)
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        settings: FolderSettings | None = None
        for path in reversed(chain[1:]):
            settings = self._own_settings(path, None) or settings
        return settings

    def _own_settings(self, folder: bytes, names: set[bytes] | None) -> FolderSettings | None:
        if folder in self.split_folders:
            return FolderSettings(VocalLayout.LEFT_RIGHT, self.split_folders[folder])
        config = os.path.join(folder, _CONFIG_NAME)
        if (names is not None and _CONFIG_NAME not in names) or (
            names is None and not os.path.isfile(config)
        ):
            return None
        return read_folder_settings(Path(os.fsdecode(config)))

    def _walk(self, top: bytes, inherited: FolderSettings | None) -> None:
        stack: list[tuple[bytes, FolderSettings | None]] = [(top, inherited)]
        while stack:
            folder, parent_settings = stack.pop()
            try:
                folder_stat = os.stat(folder)
                identity = (folder_stat.st_dev, folder_stat.st_ino)
                if identity in self._visited_dirs:
                    log.info("skipping %s: already scanned (symbolic link loop)", display_path(folder))
                    continue
                self._visited_dirs.add(identity)
                with os.scandir(folder) as entries:
                    listing = list(entries)
            except OSError as exc:
                self._skip(folder, f"cannot read folder: {exc.strerror or exc}")
                self.result.kept_prefixes.append(folder.rstrip(b"/") + b"/")
                continue
            files: dict[bytes, os.DirEntry[bytes]] = {}
            subfolders: list[bytes] = []
            for entry in listing:
                try:
                    if entry.is_dir():
                        subfolders.append(entry.path)
                    elif entry.is_file() or entry.is_symlink():
                        files[entry.name] = entry
                except OSError as exc:
                    self._skip(entry.path, f"cannot stat: {exc.strerror or exc}")
            settings = self._own_settings(folder, set(files)) or parent_settings
            self._scan_folder(_Folder(folder, files, settings))
            stack.extend((sub, settings) for sub in sorted(subfolders, reverse=True))

    def _scan_folder(self, folder: _Folder) -> None:
        media: dict[bytes, bytes] = {}  # stem → name
        by_stem_lower: dict[str, list[bytes]] = {}
        folder_cover = self._folder_cover(folder)
        karaoke, used = find_karaoke_songs(folder.path, folder.files)
        for song in karaoke:
            self._scan_karaoke(folder, song, folder_cover)
        for name in folder.files:
            stem, ext = os.path.splitext(name)
            by_stem_lower.setdefault(os.fsdecode(stem).casefold(), []).append(name)
            if ext.lower().decode("ascii", "replace") in MEDIA_EXTENSIONS and name not in used:
                media[name] = stem
        stems = {display_path(stem).casefold(): name for name, stem in media.items()}
        accompaniment_of: dict[bytes, bytes] = {}  # original name → accompaniment name
        for name, stem in media.items():
            base = accompaniment_base(display_path(stem))
            if base is not None and base.casefold() in stems and stems[base.casefold()] != name:
                accompaniment_of.setdefault(stems[base.casefold()], name)
        companions = set(accompaniment_of.values())
        for name in sorted(media):
            if name in companions:
                continue  # indexed through its original, never as a song of its own
            self._scan_file(
                folder,
                name=name,
                stem=media[name],
                accompaniment=accompaniment_of.get(name),
                folder_cover=folder_cover,
                by_stem=by_stem_lower,
            )

    def _folder_cover(self, folder: _Folder) -> bytes | None:
        lowered = {name.lower(): name for name in folder.files}
        for stem in FOLDER_COVERS:
            for ext in COVER_EXTENSIONS:
                name = lowered.get((stem + ext).encode())
                if name is not None:
                    return os.path.join(folder.path, name)
        return None

    def _usable_lyrics(
        self, folder: _Folder, stem: bytes, first: bytes | None, by_stem: dict[str, list[bytes]]
    ) -> bytes | None:
        """The first sidecar (in format priority) that parses; a garbage one is reported and
        passed over, so it never shows the song as "has lyrics"."""
        if first is None:
            return None
        for ext in LYRICS_EXTENSIONS:
            candidate = self._sidecar(folder, stem, (ext,), by_stem)
            if candidate is None:
                continue
            refusal = _lyrics_refusal(candidate)
            if refusal is None:
                return candidate
            self._skip(candidate, f"lyrics not used: {refusal}")
        return None

    def _sidecar(
        self, folder: _Folder, stem: bytes, extensions: tuple[str, ...], by_stem: dict[str, list[bytes]]
    ) -> bytes | None:
        candidates = by_stem.get(os.fsdecode(stem).casefold(), [])
        for ext in extensions:
            for name in candidates:
                if os.path.splitext(name)[1].lower() == ext.encode():
                    return os.path.join(folder.path, name)
        return None

    def _scan_karaoke(self, folder: _Folder, song: KaraokeSong, folder_cover: bytes | None) -> None:
        info = self._song_file(song.path)
        if info is None:
            return
        parts = [song.kind]
        for part in song.parts:
            try:
                part_info = os.stat(part)
            except OSError:
                continue  # a part that vanished changes the signature like a changed one
            parts.append(f"{display_path(part)}:{part_info.st_size}:{part_info.st_mtime_ns}")
        signature = "|".join(parts)
        if self.known.get(song.path) == (info.st_size, info.st_mtime_ns, signature):
            self.result.seen.add(song.path)
            self.result.unchanged += 1
            return
        found = describe(song)
        title = found.title or display_path(os.path.basename(song.path))
        record = SongRecord(
            path=song.path,
            size=info.st_size,
            mtime_ns=info.st_mtime_ns,
            signature=signature,
            title=title,
            singers=found.singers,
            genre=found.genre,
            language=_LANGUAGE_NAMES.get((found.language or "").lower(), found.language),
            aliases=tuple(dict.fromkeys([*found.aliases, *title_aliases(title)])),
            duration_ms=found.duration_ms,
            container=found.container,
            lyrics_path=found.lyrics_path,
            cover_path=found.cover_path or folder_cover,
            folder=display_path(folder.path),
            kind=song.kind,
            lyrics_kind=found.lyrics_kind,
            unplayable=found.unplayable,
            extras=found.extras,
        )
        if found.accompaniment_path is not None:
            record.layout = VocalLayout.SEPARATE_FILE
            record.accompaniment_path = found.accompaniment_path
        if found.unplayable is not None:
            shown = display_path(song.path)
            log.warning("unplayable %s: %s", shown, found.unplayable)
            self.result.unplayable.append(Skipped(shown, found.unplayable))
        self.result.changed.append(record)
        self.result.seen.add(song.path)

    def _song_file(self, path: bytes) -> os.stat_result | None:
        """The file's stat when it can be a song; otherwise the skip is reported and None."""
        try:
            info = os.stat(path)
        except OSError as exc:
            self._skip(path, f"cannot stat: {exc.strerror or exc}")
            return None
        if not stat.S_ISREG(info.st_mode):
            self._skip(path, "not a regular file")
            return None
        if info.st_size == 0:
            self._skip(path, "empty file (0 bytes)")
            return None
        if os.path.islink(path) and os.path.realpath(path).startswith(self._real_root):
            self._skip(path, "link to a file the scan reaches anyway")
            return None
        identity = (info.st_dev, info.st_ino)
        if identity in self._visited_files:
            self._skip(path, f"same file as {display_path(self._visited_files[identity])}")
            return None
        self._visited_files[identity] = path
        return info

    def _scan_file(
        self,
        folder: _Folder,
        *,
        name: bytes,
        stem: bytes,
        accompaniment: bytes | None,
        folder_cover: bytes | None,
        by_stem: dict[str, list[bytes]],
    ) -> None:
        path = os.path.join(folder.path, name)
        info = self._song_file(path)
        if info is None:
            return
        lyrics = self._sidecar(folder, stem, LYRICS_EXTENSIONS, by_stem)
        cover = self._sidecar(folder, stem, COVER_EXTENSIONS, by_stem) or folder_cover
        accompaniment_path = os.path.join(folder.path, accompaniment) if accompaniment else None
        settings = folder.settings
        signature = "|".join(
            display_path(part or b"")
            for part in (lyrics, cover, accompaniment_path, _settings_key(settings).encode())
        )
        known = self.known.get(path)
        if known is not None and known == (info.st_size, info.st_mtime_ns, signature):
            self.result.seen.add(path)
            self.result.unchanged += 1
            return
        try:
            media = probe(Path(os.fsdecode(path)))
        except ProbeError as exc:
            self._skip(path, str(exc))
            return
        lyrics = self._usable_lyrics(folder, stem, lyrics, by_stem)
        record = self._record(path, stem, folder, media=media, info=info, signature=signature)
        record.lyrics_path, record.cover_path = lyrics, cover
        self._apply_layout(record, media, accompaniment_path, settings, display_path(stem))
        self.result.changed.append(record)
        self.result.seen.add(path)

    def _record(
        self,
        path: bytes,
        stem: bytes,
        folder: _Folder,
        *,
        media: MediaInfo,
        info: os.stat_result,
        signature: str,
    ) -> SongRecord:
        folder_name = os.path.basename(folder.path) if folder.path != self.root else b""
        stem_text = display_path(stem)
        base = accompaniment_base(stem_text)
        guess = guess_from_name(base or stem_text, display_path(folder_name) or None)
        title = media.first("title") or guess.title
        singers: tuple[str, ...] = ()
        for artist in media.all("artist", "artists", "performer", "albumartist"):
            singers += tuple(s for s in split_singers(artist) if s not in singers)
        if not singers:
            singers = guess.singers
        aliases = tuple(
            dict.fromkeys([*media.all("alias", "aliases", "subtitle", "title_alias"), *title_aliases(title)])
        )
        language = media.first("language")
        if language:
            language = _LANGUAGE_NAMES.get(language.lower(), language)
        return SongRecord(
            path=path,
            size=info.st_size,
            mtime_ns=info.st_mtime_ns,
            signature=signature,
            title=title,
            singers=singers,
            album=media.first("album"),
            genre=media.first("genre"),
            language=language,
            aliases=aliases,
            duration_ms=media.duration_ms,
            replaygain_db=media.replaygain_db,
            container=media.container,
            folder=display_path(folder.path),
        )

    @staticmethod
    def _apply_layout(
        record: SongRecord,
        media: MediaInfo,
        accompaniment_path: bytes | None,
        settings: FolderSettings | None,
        stem: str,
    ) -> None:
        if settings is not None and settings.layout is VocalLayout.LEFT_RIGHT:
            record.layout = VocalLayout.LEFT_RIGHT
            record.vocal_channel = settings.vocal_channel
        elif accompaniment_path is not None:
            record.layout = VocalLayout.SEPARATE_FILE
            record.accompaniment_path = accompaniment_path
        elif media.audio_tracks is not None and media.audio_tracks >= 2:
            record.layout = VocalLayout.TWO_TRACKS
            names = media.track_names
            if len(names) >= 2 and _is_accompaniment_name(names[0]) and not _is_accompaniment_name(names[1]):
                record.original_track, record.accompaniment_track = 1, 0
        elif accompaniment_base(stem) is not None:
            record.layout = VocalLayout.ACCOMPANIMENT_ONLY

    def _skip(self, path: bytes, reason: str) -> None:
        shown = display_path(path)
        log.warning("skipping %s: %s", shown, reason)
        self.result.skipped.append(Skipped(shown, reason))


def _is_accompaniment_name(name: str) -> bool:
    lowered = name.casefold()
    return any(word in lowered for word in _ACCOMPANIMENT_WORDS)


def _settings_key(settings: FolderSettings | None) -> str:
    if settings is None or settings.layout is None:
        return ""
    return f"{settings.layout.value}:{settings.vocal_channel.value}"


def _lyrics_refusal(path: bytes) -> str | None:
    """Why a lyrics sidecar cannot be used (the parser's reason), or None when it parses."""
    from ktvdesk.errors import KtvError
    from ktvdesk.lyrics import parse_lyrics

    try:
        with open(path, "rb") as fh:
            lyrics = parse_lyrics(fh.read())
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    except KtvError as exc:
        return exc.detail
    return None if lyrics.lines else "no timed lines"
