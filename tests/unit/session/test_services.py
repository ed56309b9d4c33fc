"""The composition root without Qt: which providers are enabled and why not, the demo
cloud, the session wiring, and the per-device preferences file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ktvdesk.config import LoadedSettings, Settings
from ktvdesk.device_prefs import DevicePrefs
from ktvdesk.services import build_services


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KTVDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for name in ("YINSUDA", "XIAOWEI", "ZEGO"):
        for key in ("APP_NAME", "DEVICE_ID", "APP_ID", "SECRET_ID", "SECRET_KEY"):
            monkeypatch.delenv(f"KTVDESK_{name}_{key}", raising=False)
    return tmp_path / "data"


def loaded(tmp_path: Path, **values: object) -> LoadedSettings:
    return LoadedSettings(Settings(**values), tmp_path / "config.toml")  # type: ignore[arg-type]


async def test_local_only_by_default_and_clouds_say_why(tmp_path: Path) -> None:
    services = build_services(loaded(tmp_path), lang="zh_CN", aout="dummy", provider="zego")
    try:
        assert list(services.providers) == ["local"] and services.active_provider == "local"
        assert set(services.provider_problems) == {"yinsuda", "xiaowei", "zego"}
        assert "未配置" in services.provider_problems["zego"].message("zh")
        assert services.session is not None and services.session.providers.keys() == {"local"}
        await services.start()  # indexes the bundled demo library
        assert services.library is not None
        page = await services.library.search("mlh")
        assert [song.title for song in page.items] == ["茉莉花"]
    finally:
        await services.aclose()
        await services.aclose()  # idempotent


async def test_partly_configured_cloud_reports_the_providers_own_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTVDESK_YINSUDA_APP_NAME", "my-app")
    services = build_services(loaded(tmp_path), aout="dummy")
    try:
        problem = services.provider_problems["yinsuda"]
        assert "SecretId" in problem.message("en")  # from the Yinsuda settings loader
    finally:
        await services.aclose()


async def test_demo_cloud_enables_yinsuda_on_loopback(tmp_path: Path) -> None:
    services = build_services(loaded(tmp_path), aout="dummy", demo_cloud=True, provider="yinsuda")
    try:
        assert services.active_provider == "yinsuda"
        assert services.demo_cloud.base_url.startswith("http://127.0.0.1:")
        page = await services.providers["yinsuda"].search("茉莉花", limit=5)
        assert any("茉莉花" in song.title for song in page.items)
    finally:
        await services.aclose()


async def test_device_preferences_feed_the_session(tmp_path: Path, data_dir: Path) -> None:
    DevicePrefs(lyric_offset_ms=-300, volume=42, clip_mode=True).save(data_dir / "device.json")
    services = build_services(loaded(tmp_path), aout="dummy")
    try:
        session = services.session
        assert session is not None
        assert (session.lyric_offset_ms, session.volume, session.clip_mode) == (-300, 42, True)
        session.set_lyric_offset_ms(250)
        services.device.lyric_offset_ms = session.lyric_offset_ms
    finally:
        await services.aclose()  # saves the preferences
    assert json.loads((data_dir / "device.json").read_text())["lyric_offset_ms"] == 250


def test_damaged_preferences_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "device.json"
    path.write_text("{not json", encoding="utf-8")
    assert DevicePrefs.load(path) == DevicePrefs()
    path.write_text(json.dumps({"lyric_offset_ms": 99999, "volume": "loud"}), encoding="utf-8")
    assert DevicePrefs.load(path) == DevicePrefs()
