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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from ktvdesk import paths

ProviderName = Literal["local", "yinsuda", "xiaowei", "zego"]


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


class YinsudaSettings(_Section):
    endpoint: str = "https://yinsuda.tencentcloudapi.com"
    app_name: str | None = None
    user_id: str | None = None
    play_scene: str = "Chat"
    room_id: str | None = None


class XiaoweiSettings(_Section):
    endpoint: str | None = None  # https://{BASE_URL}: the seed does not name the host
    device_id: str | None = None
    product_id: str | None = None
    client_ip: str | None = None
    quality: Literal["standard", "hq", "sq"] = "standard"


class ZegoSettings(_Section):
    endpoint: str = "https://ktv-api.zego.im"
    resource_endpoint: str | None = None
    app_id: str | None = None
    user_id: str | None = None
    room_id: str | None = None
    vendor_id: str | None = None
    owner_logo: Path | None = None


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
    yinsuda: YinsudaSettings = YinsudaSettings()
    xiaowei: XiaoweiSettings = XiaoweiSettings()
    zego: ZegoSettings = ZegoSettings()
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
        return (env_settings, init_settings)


@dataclass(slots=True)
class LoadedSettings:
    settings: Settings
    path: Path
    problems: list[str] = field(default_factory=list)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> LoadedSettings:
    path = path or paths.config_file()
    problems: list[str] = []
    file_values = _read_toml(path, problems)
    env_backup = None
    if environ is not None:
        env_backup = dict(os.environ)
        os.environ.clear()
        os.environ.update(environ)
    try:
        return LoadedSettings(_validated(file_values, path, problems), path, problems)
    finally:
        if env_backup is not None:
            os.environ.clear()
            os.environ.update(env_backup)


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
    try:
        return Settings()
    except ValidationError as exc:
        problems.extend(
            f"environment KTVDESK_{_where(err['loc'], '_').upper()}: {err['msg']}" for err in exc.errors()
        )
    return Settings.model_construct()


def _where(loc: tuple[int | str, ...], sep: str = ".") -> str:
    return sep.join(str(part) for part in loc) or "(file)"
