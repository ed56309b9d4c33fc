"""The karaoke song kinds that are more than one media file: found in a folder, described.

* **UltraStar**: a `.txt` with `#BPM` and `#TITLE`/`#ARTIST` headers plus the files it
  names (`#AUDIO`/`#MP3`, `#VOCALS`, `#INSTRUMENTAL`, `#VIDEO`, `#COVER`) is one song; the
  `.txt` is its lyrics and melody. `#INSTRUMENTAL` is the 伴唱 of a separate-file layout.
* **MP3+G**: a `.cdg` beside an `.mp3`/`.ogg`/`.flac`/`.wav` of the same name, or both in
  a `.zip`. The graphics are the lyrics ("lyrics: graphics"); the name gives artist, title
  and the disc id.
* **MIDI karaoke**: a `.kar`/`.mid`/`.midi` is its own music, lyrics and melody.

A song whose parts are broken or missing is still returned, with `unplayable` saying why:
the library lists it (and the scan report says it once) instead of dropping it silently.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ktvdesk.catalog.local.names import NameGuess, guess_from_name, karaoke_disc_name
from ktvdesk.catalog.local.probe import MediaInfo, ProbeError, probe
from ktvdesk.errors import LyricsError
from ktvdesk.lyrics.cdg import PACKET_BYTES, PACKETS_PER_SECOND, read_cdg_info
from ktvdesk.lyrics.midi import read_karaoke
from ktvdesk.lyrics.ultrastar import decode_ultrastar, looks_like_ultrastar, parse_ultrastar_text, song_header

KIND_MEDIA = "media"
KIND_ULTRASTAR = "ultrastar"
KIND_MP3G = "mp3+g"
KIND_MIDI = "midi"
LYRICS_GRAPHICS = "graphics"

CDG_AUDIO_EXTENSIONS = (".mp3", ".ogg", ".flac", ".wav")
MIDI_EXTENSIONS = (".kar", ".mid", ".midi")
_MAX_TXT_BYTES = 2 * 1024 * 1024  # UltraStar files are a few kB; a huge .txt is no song
_SNIFF_BYTES = 4096
# A song's drawing starts within seconds; the length comes from the size (300 packets/s).
_CDG_CHECK_BYTES = 2 * 1024 * 1024
_MAX_MIDI_BYTES = 16 * 1024 * 1024  # real .kar files are tens of kB
_FILE_HEADERS = frozenset({"#MP3", "#AUDIO", "#VOCALS", "#INSTRUMENTAL", "#VIDEO", "#COVER", "#BACKGROUND"})


@dataclass(slots=True)
class KaraokeSong:
    """One song found in a folder; `parts` are the other files it is made of."""

    kind: str
    path: bytes
    parts: list[bytes] = field(default_factory=list)


@dataclass(slots=True)
class Description:
    title: str
    singers: tuple[str, ...]
    container: str
    duration_ms: int | None = None
    aliases: tuple[str, ...] = ()
    language: str | None = None
    genre: str | None = None
    lyrics_path: bytes | None = None
    lyrics_kind: str | None = None
    cover_path: bytes | None = None
    accompaniment_path: bytes | None = None
    unplayable: str | None = None
    extras: dict[str, str | int] = field(default_factory=dict)


def _ext(name: bytes) -> str:
    return os.path.splitext(name)[1].lower().decode("ascii", "replace")


def _stem_key(name: bytes) -> str:
    return os.fsdecode(os.path.splitext(name)[0]).casefold()


def find_karaoke_songs(folder: bytes, names: Mapping[bytes, object]) -> tuple[list[KaraokeSong], set[bytes]]:
    """The multi-file songs of one folder and every file name they use (not media of their own)."""
    songs: list[KaraokeSong] = []
    used: set[bytes] = set()
    lowered = {os.fsdecode(name).casefold(): name for name in names}
    audio_by_stem: dict[str, bytes] = {}
    for name in sorted(names):
        if _ext(name) in CDG_AUDIO_EXTENSIONS:
            audio_by_stem.setdefault(_stem_key(name), name)
    has_cdg = False
    for name in sorted(names):
        ext = _ext(name)
        path = os.path.join(folder, name)
        if ext == ".txt":
            header = _ultrastar_files(path)
            if header is None:
                continue
            song = KaraokeSong(KIND_ULTRASTAR, path)
            for wanted in header:
                found = lowered.get(wanted.casefold())
                if found is not None:
                    song.parts.append(os.path.join(folder, found))
                    used.add(found)
            songs.append(song)
            used.add(name)
        elif ext == ".cdg":
            has_cdg = True
            audio = audio_by_stem.get(_stem_key(name))
            songs.append(KaraokeSong(KIND_MP3G, path, [os.path.join(folder, audio)] if audio else []))
            used.add(name)
            if audio is not None:
                used.add(audio)
        elif ext == ".zip":
            songs.append(KaraokeSong(KIND_MP3G, path))
            used.add(name)
        elif ext in MIDI_EXTENSIONS:
            songs.append(KaraokeSong(KIND_MIDI, path))
            used.add(name)
    if has_cdg:
        # In an MP3+G folder, karaoke audio without its graphics is a broken pair.
        for audio in audio_by_stem.values():
            if audio not in used and karaoke_disc_name(os.fsdecode(os.path.splitext(audio)[0])) is not None:
                songs.append(KaraokeSong(KIND_MP3G, os.path.join(folder, audio)))
                used.add(audio)
    return songs, used


def _ultrastar_files(path: bytes) -> list[str] | None:
    """The file names an UltraStar .txt refers to, or None when it is no UltraStar file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return None
    if not looks_like_ultrastar(decode_ultrastar(head)[0]):
        return None
    text = decode_ultrastar(head)[0]
    wanted: list[str] = []
    for row in text.splitlines():
        key, sep, value = row.strip().lstrip("\ufeff").partition(":")
        if sep and key.upper() in _FILE_HEADERS:
            if value.strip():
                wanted.append(value.strip())
        elif row and not row.startswith("#"):
            break
    return wanted


def describe(song: KaraokeSong) -> Description:
    if song.kind == KIND_ULTRASTAR:
        return _describe_ultrastar(song.path)
    if song.kind == KIND_MIDI:
        return _describe_midi(song.path)
    if song.path.lower().endswith(b".zip"):
        return _describe_zip(song.path)
    if song.path.lower().endswith(b".cdg"):
        return _describe_cdg_pair(song.path, song.parts[0] if song.parts else None)
    return _unplayable_audio(song.path)


def _name_guess(path: bytes) -> tuple[NameGuess, tuple[str, ...]]:
    stem = os.fsdecode(os.path.splitext(os.path.basename(path))[0])
    disc = karaoke_disc_name(stem)
    if disc is not None:
        disc_id, guess = disc
        return guess, (disc_id,)
    return guess_from_name(stem), ()


def _describe_ultrastar(path: bytes) -> Description:
    folder = os.path.dirname(path)
    guess, _ = _name_guess(path)
    try:
        if os.path.getsize(path) > _MAX_TXT_BYTES:
            raise LyricsError("UltraStar file too large")
        with open(path, "rb") as handle:
            text, _ = decode_ultrastar(handle.read())
        lyrics = parse_ultrastar_text(text)
        header = song_header(lyrics.meta)
    except (OSError, LyricsError) as exc:
        reason = exc.detail if isinstance(exc, LyricsError) else (exc.strerror or str(exc))
        return Description(
            guess.title, guess.singers, KIND_ULTRASTAR, unplayable=f"damaged UltraStar file: {reason}"
        )
    listing = (
        {os.fsdecode(name).casefold(): name for name in os.listdir(folder)} if os.path.isdir(folder) else {}
    )

    def local(name: str | None) -> bytes | None:
        if not name:
            return None
        found = listing.get(name.casefold())
        return os.path.join(folder, found) if found else None

    description = Description(
        title=header.title or guess.title,
        singers=(header.artist,) if header.artist else guess.singers,
        container=KIND_ULTRASTAR,
        language=header.language,
        genre=header.genre,
        lyrics_path=path,
        cover_path=local(header.cover) or local(header.background),
    )
    audio = local(header.audio)
    extras = description.extras
    if header.audio is None:
        description.unplayable = "UltraStar file names no audio (#AUDIO/#MP3)"
    elif audio is None:
        description.unplayable = f"audio file {header.audio!r} named by #MP3/#AUDIO is missing"
    else:
        extras["audio"] = os.fsdecode(audio)
        description.duration_ms = _duration(audio)
    description.accompaniment_path = local(header.instrumental)
    for key, value in (("vocals", local(header.vocals)), ("video", local(header.video))):
        if value is not None:
            extras[key] = os.fsdecode(value)
    if header.video_gap_ms:
        extras["video_gap_ms"] = header.video_gap_ms
    if header.start_ms:
        extras["start_ms"] = header.start_ms
    if header.end_ms is not None:
        extras["end_ms"] = header.end_ms
    medley = (header.medley_start_ms, header.medley_end_ms)
    if medley[0] is not None and medley[1] is not None and medley[1] > medley[0]:
        extras["clip_begin_ms"], extras["clip_end_ms"] = medley[0], medley[1]
    return description


def _duration(path: bytes) -> int | None:
    try:
        info: MediaInfo = probe(Path(os.fsdecode(path)))
    except ProbeError:
        return None
    return info.duration_ms


def _describe_midi(path: bytes) -> Description:
    guess, _ = _name_guess(path)
    description = Description(guess.title, guess.singers, KIND_MIDI)
    try:
        if os.path.getsize(path) > _MAX_MIDI_BYTES:
            raise LyricsError("MIDI file too large to be a song")
        with open(path, "rb") as handle:
            song = read_karaoke(handle.read())
    except OSError as exc:
        description.unplayable = f"cannot read: {exc.strerror or exc}"
        return description
    except LyricsError as exc:
        description.unplayable = f"damaged MIDI file: {exc.detail}"
        return description
    description.duration_ms = song.duration_ms
    titles = [h[2:].strip() for h in song.headers if h.startswith("@T") and h[2:].strip()]
    if titles:
        description.title = titles[0]
    if song.syllables:
        description.lyrics_path = path
    return description


def _describe_cdg_pair(cdg: bytes, audio: bytes | None) -> Description:
    guess, disc = _name_guess(cdg)
    description = Description(
        guess.title, guess.singers, KIND_MP3G, aliases=disc, lyrics_kind=LYRICS_GRAPHICS
    )
    try:
        with open(cdg, "rb") as handle:
            read_cdg_info(handle.read(_CDG_CHECK_BYTES))
            size = os.fstat(handle.fileno()).st_size
        description.duration_ms = size // PACKET_BYTES * 1000 // PACKETS_PER_SECOND
    except OSError as exc:
        description.unplayable = f"cannot read the .cdg: {exc.strerror or exc}"
        return description
    except LyricsError as exc:
        description.unplayable = f"damaged .cdg: {exc.detail}"
        return description
    if audio is None:
        description.unplayable = "CD+G graphics without audio (no .mp3/.ogg/.flac/.wav of the same name)"
        return description
    description.extras["audio"] = os.fsdecode(audio)
    description.duration_ms = _duration(audio) or description.duration_ms
    return description


def _describe_zip(path: bytes) -> Description:
    guess, disc = _name_guess(path)
    description = Description(
        guess.title, guess.singers, KIND_MP3G, aliases=disc, lyrics_kind=LYRICS_GRAPHICS
    )
    try:
        with zipfile.ZipFile(os.fsdecode(path)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        description.unplayable = f"damaged zip: {exc}"
        return description
    pair = zip_pair([m.filename for m in members])
    if isinstance(pair, str):
        description.unplayable = pair
        return description
    cdg_name, audio_name = pair
    sizes = {m.filename: m.file_size for m in members}
    description.duration_ms = sizes[cdg_name] // PACKET_BYTES * 1000 // PACKETS_PER_SECOND
    description.extras["zip_cdg"] = cdg_name
    description.extras["zip_audio"] = audio_name
    return description


def zip_pair(names: list[str]) -> tuple[str, str] | str:
    """(cdg member, audio member) of an MP3+G zip, or the reason it holds no such pair."""
    cdgs = [n for n in names if n.lower().endswith(".cdg")]
    audios = [n for n in names if n.lower().endswith(CDG_AUDIO_EXTENSIONS)]
    if len(cdgs) == 1 and len(audios) == 1:
        return cdgs[0], audios[0]
    if not cdgs and audios:
        return "zip holds audio without its .cdg graphics"
    if cdgs and not audios:
        return "zip holds CD+G graphics without audio"
    shown = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
    return f"zip holds no single MP3+G pair (found: {shown or 'nothing'})"


def _unplayable_audio(path: bytes) -> Description:
    guess, disc = _name_guess(path)
    return Description(
        guess.title,
        guess.singers,
        KIND_MP3G,
        aliases=disc,
        lyrics_kind=LYRICS_GRAPHICS,
        unplayable="karaoke audio without its .cdg graphics",
    )
