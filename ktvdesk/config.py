"""Settings: a TOML file in the platform config dir, overridden by `KTVDESK_*` variables.

`KTVDESK_LANGUAGE=en` sets a top-level key; `KTVDESK_<SECTION>_<KEY>` sets a key of a
section (`KTVDESK_YINSUDA_APP_NAME`, `KTVDESK_PLAYBACK_LYRIC_OFFSET_MS`). Secrets are not
settings: they live in the keyring or the environment (see `ktvdesk.keystore`), so a
config file can be shared or shown without leaking anything.

A broken file never stops the app: `load_settings` keeps every valid key, gives each
invalid one its default (or the environment's value) and reports one line per problem
naming the file and the key. `LoadedSettings.sources` says where each key came from
(`ktvdesk config show`).

The variables are read here rather than by pydantic-settings: the rules are few (above,
and JSON for lists, tables and whole sections), and its import cost a tenth of the
desktop app's start-up (issue 15).
"""

from __future__ import annotations

import json
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ktvdesk import paths
from ktvdesk.keystore import SECRETS

ProviderName = Literal["local", "yinsuda", "xiaowei", "zego", "venue"]
LinkQuality = Literal["standard", "hq", "sq"]  # which Xiaowei song_play_url_* to play


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LibrarySettings(_Section):
    folders: list[Path] = Field(default_factory=list)
    include_demo: bool = True
    # folder → channel carrying the original vocal, for left/right-split KTV files
    split_channels: dict[str, Literal["left", "right"]] = Field(default_factory=dict)


class PlaybackSettings(_Section):
    lyric_offset_ms: int = Field(default=0, ge=-5000, le=5000)
    normalize: bool = True
    network_caching_ms: int = Field(default=1500, ge=100, le=20000)
    volume: int = Field(default=80, ge=0, le=100)


def _http_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value.rstrip("/")


YINSUDA_ENDPOINT = "https://yinsuda.tencentcloudapi.com"
ZEGO_ENDPOINT = "https://ktv-api.zego.im"


class YinsudaConfig(_Section):
    """`[yinsuda]`: everything but the SecretId/SecretKey, which live in the keystore."""

    endpoint: str = YINSUDA_ENDPOINT
    app_name: str | None = None
    user_id: str | None = None
    play_scene: Literal["Chat", "Live"] = "Chat"
    room_id: str | None = None
    # CDN links carry their issue minute (/YYYYMMDDHHMM/…) and live this long after it.
    url_ttl_s: int = Field(default=3600, gt=0)
    cdn_utc_offset_min: int = 480  # the CDN writes that minute in Beijing time
    timeout_s: float = Field(default=10.0, gt=0)
    language: Literal["zh-CN", "en-US"] = "zh-CN"

    _endpoint = field_validator("endpoint")(_http_url)


class XiaoweiConfig(_Section):
    """`[xiaowei]`: the seed's undefined "base request params" are configurable here."""

    endpoint: str | None = None  # https://{BASE_URL}: the seed does not name the host
    device_id: str | None = None  # base_info.sn
    client_ip: str | None = None  # client_addr / state_info.client_ip
    product_id: str | None = None
    user_id: str | None = None
    base_params: dict[str, str] = Field(default_factory=dict)  # extra base_info keys of the venue's contract
    quality: LinkQuality = "standard"
    url_ttl_s: int = Field(default=4 * 3600, gt=0)  # the document promises at least 4 h
    timeout_s: float = Field(default=10.0, gt=0)

    _endpoint = field_validator("endpoint")(_http_url)


class ZegoConfig(_Section):
    """`[zego]`: everything but the ServerSecret, which lives in the keystore."""

    endpoint: str = ZEGO_ENDPOINT
    # The venue backend that asks ZEGO for song resources (see README): None = no playback.
    resource_endpoint: str | None = None
    app_id: int | None = Field(default=None, gt=0)
    user_id: str | None = None
    room_id: str = ""
    vendor_id: int = Field(default=0, ge=0)  # the copyright API accepts 0 and 1 only
    # Where media and KRC bytes are fetched with the tokens; {base} is the resource
    # endpoint without its last path segment.
    media_url_template: str = "{base}/media/{resource_id}?share_token={share_token}"
    krc_url_template: str = "{base}/krc/{song_id}?krc_token={krc_token}"
    catalog_file: Path | None = None  # the venue's licensed song list (ZEGO has no search API)
    owner_logo: Path | None = None  # the copyright owner's badge for Channel 0 songs
    timeout_s: float = Field(default=10.0, gt=0)

    _endpoints = field_validator("endpoint", "resource_endpoint")(_http_url)


class KioskSettings(_Section):
    volume_max: int = Field(default=90, ge=0, le=100)
    providers: list[ProviderName] = Field(default_factory=lambda: list[ProviderName](["local"]))
    attract_after_min: int = Field(default=5, ge=1)
    admin_relock_after_s: int = Field(default=120, ge=10)


class RemoteSettings(_Section):
    """`[remote]`: the phone remote (扫码点歌). Off unless enabled here or by `--remote`."""

    enabled: bool = False
    host: str | None = None  # None: the primary LAN address; 0.0.0.0 only when typed
    port: int = Field(default=0, ge=0, le=65535)  # 0: any free port
    songs_per_minute: int = Field(default=6, ge=1, le=60)  # per singer and per phone
    allow_priority: bool = True  # 优先 for a guest's own songs
    allow_skip: bool = False  # 切歌 from a phone
    allow_restart: bool = True  # 重唱 from a phone
    fair_turns: bool = True  # round robin among singers (False: first come, first sung)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)

    language: Literal["zh_CN", "en"] | None = None  # None: follow the system locale
    provider: ProviderName = "local"
    theme: Literal["dark"] = "dark"
    library: LibrarySettings = LibrarySettings()
    playback: PlaybackSettings = PlaybackSettings()
    yinsuda: YinsudaConfig = YinsudaConfig()
    xiaowei: XiaoweiConfig = XiaoweiConfig()
    zego: ZegoConfig = ZegoConfig()
    kiosk: KioskSettings = KioskSettings()
    remote: RemoteSettings = RemoteSettings()

    @model_validator(mode="before")
    @classmethod
    def _environment_wins(cls, data: Any) -> Any:
        """Built directly (`Settings()`, `Settings(provider=…)`), the `KTVDESK_*` variables
        beat the values given; `load_settings` passes them as a layer of its own instead."""
        if not isinstance(data, dict) or not _READ_ENVIRONMENT.get():
            return data
        merged = dict(data)
        for key, value in _environment_values(None, []).items():
            given = merged.get(key)
            if isinstance(given, BaseModel):
                given = given.model_dump()
            merged[key] = {**given, **value} if isinstance(given, dict) and isinstance(value, dict) else value
        return merged


ENV_PREFIX = "KTVDESK_"
# False while `load_settings` validates: the environment is a layer there, read once.
_READ_ENVIRONMENT: ContextVar[bool] = ContextVar("ktvdesk_config_read_environment", default=True)


Source = Literal["file", "environment", "default"]
Key = tuple[str, ...]  # ("language",) or ("playback", "volume")


@dataclass(slots=True)
class LoadedSettings:
    settings: Settings
    path: Path
    problems: list[str] = field(default_factory=list)
    # "playback.volume" → "file" / "environment"; a key not in here has its default
    sources: dict[str, Source] = field(default_factory=dict)

    def source_of(self, key: str) -> Source:
        return self.sources.get(key, "default")


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> LoadedSettings:
    """The file, then the environment over it; an invalid key falls back on its own.

    A bad value in the file costs that key only (it takes its default, or the
    environment's value); every valid key of the file still applies. A bad environment
    value falls back to the file's value of that key, or its default.
    """
    path = path or paths.config_file()
    problems: list[str] = []
    layers: dict[Source, dict[Key, Any]] = {
        "file": _flatten(_read_toml(path, problems)),
        "environment": _flatten(_environment_values(environ, problems)),
    }
    settings = _validated(layers, path, problems)
    sources: dict[str, Source] = {}
    for source in ("file", "environment"):  # the environment wins: it is applied last
        for key, value in layers[source].items():
            for name in _leaf_names(key, value):
                sources[name] = source
    return LoadedSettings(settings, path, problems, sources)


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML ({exc}); the whole file is ignored, using defaults")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror}); using defaults")
    return {}


def _environment_values(environ: Mapping[str, str] | None, problems: list[str]) -> dict[str, Any]:
    """`KTVDESK_<KEY>` and `KTVDESK_<SECTION>_<KEY>` (any case) as nested raw values; a
    list, a table or a whole section is JSON. The secrets' variables belong to the keystore
    (`KTVDESK_ZEGO_SERVER_SECRET` is no key `server_secret` of `[zego]`); other names
    (`KTVDESK_DATA_DIR`: `paths`) are not settings. A section's keys beat its JSON."""
    source = os.environ if environ is None else environ
    secrets = set(SECRETS.values())
    sections = _sections()
    values: dict[str, Any] = {}
    # Sorted: a whole section (`KTVDESK_PLAYBACK`) comes before its keys.
    for variable in sorted(source, key=str.upper):
        name = variable.upper()
        if not name.startswith(ENV_PREFIX) or name in secrets:
            continue
        key = name.removeprefix(ENV_PREFIX).lower()
        section, _, sub = key.partition("_")
        try:
            if key in Settings.model_fields:
                values[key] = _env_value(source[variable], Settings.model_fields[key].annotation)
            elif section in sections and sub and isinstance(values.setdefault(section, {}), dict):
                known = sections[section].model_fields.get(sub)
                values[section][sub] = _env_value(source[variable], known.annotation if known else None)
        except ValueError as exc:
            problems.append(f"environment {name}: not valid JSON ({exc}); ignored")
    return values


def _env_value(raw: str, annotation: Any) -> Any:
    return json.loads(raw) if _structured(annotation) else raw


def _structured(annotation: Any) -> bool:
    """A model, list, table, set or tuple (or an optional one): given as JSON."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_structured(arg) for arg in typing.get_args(annotation))
    if origin in (list, dict, set, tuple):
        return True
    return isinstance(annotation, type) and issubclass(annotation, (BaseModel, list, dict, set, tuple))


def _sections() -> dict[str, type[BaseModel]]:
    return {
        name: info.annotation
        for name, info in Settings.model_fields.items()
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)
    }


def _flatten(values: Mapping[str, Any]) -> dict[Key, Any]:
    """One entry per settings key: a section's table is split into its keys."""
    sections = _sections()
    flat: dict[Key, Any] = {}
    for name, value in values.items():
        if name in sections and isinstance(value, dict):
            flat.update({(name, sub): item for sub, item in value.items()})
        else:
            flat[(name,)] = value
    return flat


def _nested(layers: dict[Source, dict[Key, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for layer in (layers["file"], layers["environment"]):
        for key, value in layer.items():
            if len(key) == 1:
                merged[key[0]] = value
            else:
                section = merged.setdefault(key[0], {})
                if isinstance(section, dict):
                    section[key[1]] = value
    return merged


def _validated(layers: dict[Source, dict[Key, Any]], path: Path, problems: list[str]) -> Settings:
    token = _READ_ENVIRONMENT.set(False)
    try:
        # Each round drops at least one offending key, so this ends.
        for _ in range(sum(map(len, layers.values())) + 1):
            try:
                return Settings(**_nested(layers))
            except ValidationError as exc:
                if not _drop_offenders(exc, layers, path, problems):
                    break
        return Settings.model_construct()
    finally:
        _READ_ENVIRONMENT.reset(token)


def _drop_offenders(
    exc: ValidationError, layers: dict[Source, dict[Key, Any]], path: Path, problems: list[str]
) -> bool:
    dropped = False
    for err in exc.errors():
        loc = tuple(str(part) for part in err["loc"])
        for source in ("environment", "file"):  # the environment's value is the one validated
            key = next((k for k in layers[source] if loc[: len(k)] == k), None)
            if key is None:
                continue
            del layers[source][key]
            problems.append(_problem(source, key, err, layers, path))
            dropped = True
            break
    return dropped


def _problem(
    source: Source, key: Key, err: Mapping[str, Any], layers: dict[Source, dict[Key, Any]], path: Path
) -> str:
    kind, msg = err["type"], err["msg"]
    name = ".".join(key)
    where = f"environment {_env_name(key)}" if source == "environment" else f"{path}: {name}"
    if kind == "extra_forbidden":
        secret = next((var for var in SECRETS.values() if var == _env_name(key)), None)
        if secret is not None:
            return f"{where}: a secret does not belong here (keyring or {secret}); ignored"
        return f"{where}: unknown key; ignored"
    if source == "environment" and key in layers["file"]:
        instead = f"the file's value ({_shown(layers['file'][key])})"
    else:
        instead = f"the default ({_shown(_default(key))})"
    others = "the other variables apply" if source == "environment" else "the file's other keys apply"
    return f"{where}: {msg}; using {instead} for {name} only, {others}"


def _env_name(key: Key) -> str:
    return "KTVDESK_" + "_".join(key).upper()


def _default(key: Key) -> Any:
    value: Any = Settings.model_construct()
    for part in key:
        value = getattr(value, part, None)
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _leaf_names(key: Key, value: Any) -> list[str]:
    """Names like "playback.volume"; a whole section given at once (`KTVDESK_PLAYBACK='{…}'`) names each key."""
    if len(key) == 1 and key[0] in _sections() and isinstance(value, dict):
        return [f"{key[0]}.{sub}" for sub in value]
    return [".".join(key)]
