"""Settings: a TOML file in the platform config dir, overridden by `KTVDESK_*` variables.

`KTVDESK_LANGUAGE=en` sets a top-level key; `KTVDESK_<SECTION>_<KEY>` sets a key of a
section (`KTVDESK_YINSUDA_APP_NAME`, `KTVDESK_PLAYBACK_LYRIC_OFFSET_MS`). Secrets are not
settings: they live in the keyring or the environment (see `ktvdesk.keystore`), so a
config file can be shared or shown without leaking anything.

A broken file never stops the app: `load_settings` returns defaults (plus the
environment) and one line per problem naming the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from ktvdesk import paths
from ktvdesk.keystore import SECRETS

ProviderName = Literal["local", "yinsuda", "xiaowei", "zego"]
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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KTVDESK_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="forbid",
        validate_default=True,
    )

    language: Literal["zh_CN", "en"] | None = None  # None: follow the system locale
    provider: ProviderName = "local"
    theme: Literal["dark"] = "dark"
    library: LibrarySettings = LibrarySettings()
    playback: PlaybackSettings = PlaybackSettings()
    yinsuda: YinsudaConfig = YinsudaConfig()
    xiaowei: XiaoweiConfig = XiaoweiConfig()
    zego: ZegoConfig = ZegoConfig()
    kiosk: KioskSettings = KioskSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values arrive as init kwargs; the environment must beat the file.
        return (_SettingsEnvironment(settings_cls), init_settings)


class _SettingsEnvironment(EnvSettingsSource):
    """`KTVDESK_*` variables minus the secrets' ones, which belong to the keystore.

    Without this, `KTVDESK_ZEGO_SERVER_SECRET` would read as key `server_secret` of the
    `zego` section, which does not exist, and the whole configuration would be refused.
    """

    def _load_env_vars(self) -> Mapping[str, str | None]:
        environ = _ENVIRON.get()
        source = os.environ if environ is None else environ
        secret_names = {name.lower() for name in SECRETS.values()}
        return {k.lower(): v for k, v in source.items() if k.lower() not in secret_names}


# The environment `load_settings` reads: a given mapping (tools, tests) or os.environ.
_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("ktvdesk_config_environ", default=None)


@dataclass(slots=True)
class LoadedSettings:
    settings: Settings
    path: Path
    problems: list[str] = field(default_factory=list)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> LoadedSettings:
    path = path or paths.config_file()
    problems: list[str] = []
    file_values = _read_toml(path, problems)
    token = _ENVIRON.set(environ)
    try:
        return LoadedSettings(_validated(file_values, path, problems), path, problems)
    finally:
        _ENVIRON.reset(token)


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML ({exc}); using defaults")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror}); using defaults")
    return {}


def _validated(file_values: dict[str, Any], path: Path, problems: list[str]) -> Settings:
    try:
        return Settings(**file_values)
    except ValidationError as exc:
        problems.extend(
            f"{path}: {_where(err['loc'])}: {err['msg']}; using the default" for err in exc.errors()
        )
    except SettingsError as exc:  # an environment value that cannot even be parsed (bad JSON)
        problems.append(f"environment: {exc} ({exc.__cause__})")
        return Settings.model_construct()
    try:
        return Settings()
    except ValidationError as exc:
        problems.extend(
            f"environment KTVDESK_{_where(err['loc'], '_').upper()}: {err['msg']}" for err in exc.errors()
        )
    except SettingsError as exc:
        problems.append(f"environment: {exc} ({exc.__cause__})")
    return Settings.model_construct()


def _where(loc: tuple[int | str, ...], sep: str = ".") -> str:
    return sep.join(str(part) for part in loc) or "(file)"
