from __future__ import annotations

from pathlib import Path

import pytest

from ktvdesk.config import PlaybackSettings, Settings, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "absent.toml", environ={})
    assert loaded.problems == []
    assert loaded.settings.provider == "local"
    assert loaded.settings.playback.lyric_offset_ms == 0
    assert loaded.settings.library.include_demo is True


def test_file_values_are_read(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "config.toml",
        'language = "en"\nprovider = "yinsuda"\n[playback]\nlyric_offset_ms = -120\n[yinsuda]\napp_name = "room-app"\n',
    )
    settings = load_settings(cfg, environ={}).settings
    assert settings.language == "en"
    assert settings.provider == "yinsuda"
    assert settings.playback.lyric_offset_ms == -120
    assert settings.yinsuda.app_name == "room-app"


def test_environment_beats_file_and_merges_sections(tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.toml", '[yinsuda]\napp_name = "from-file"\nuser_id = "file-user"\n')
    env = {
        "KTVDESK_YINSUDA_APP_NAME": "from-env",
        "KTVDESK_PLAYBACK_LYRIC_OFFSET_MS": "250",
        "KTVDESK_LANGUAGE": "zh_CN",
    }
    settings = load_settings(cfg, environ=env).settings
    assert settings.yinsuda.app_name == "from-env"
    assert settings.yinsuda.user_id == "file-user"
    assert settings.playback.lyric_offset_ms == 250
    assert settings.language == "zh_CN"


def test_invalid_toml_names_the_file_and_falls_back(tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.toml", "language = \n")
    loaded = load_settings(cfg, environ={"KTVDESK_PROVIDER": "zego"})
    assert len(loaded.problems) == 1
    assert str(cfg) in loaded.problems[0] and "not valid TOML" in loaded.problems[0]
    assert loaded.settings.provider == "zego"  # the environment still applies


def test_invalid_value_names_file_and_key(tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.toml", "[playback]\nlyric_offset_ms = 99999\nvolume = 50\n")
    loaded = load_settings(cfg, environ={})
    assert any(str(cfg) in p and "playback.lyric_offset_ms" in p for p in loaded.problems)
    assert loaded.settings.playback.lyric_offset_ms == 0
    assert loaded.settings.playback.volume == 50  # the valid key of the same section stays


def test_an_invalid_key_keeps_every_valid_key_and_says_so(tmp_path: Path) -> None:
    music = tmp_path / "music"
    cfg = write(
        tmp_path / "config.toml",
        f'language = "en"\nprovider = "nowhere"\n[library]\nfolders = ["{music}"]\n'
        "include_demo = false\n[playback]\nvolume = 'loud'\nlyric_offset_ms = -300\n"
        "[kiosk]\nvolume_max = 70\nattract_after_min = 0\n",
    )
    loaded = load_settings(cfg, environ={})
    settings = loaded.settings
    assert settings.library.folders == [music] and settings.library.include_demo is False
    assert settings.language == "en" and settings.playback.lyric_offset_ms == -300
    assert settings.kiosk.volume_max == 70
    # Exactly the invalid keys fell back, each said by name with its default.
    assert (settings.provider, settings.playback.volume, settings.kiosk.attract_after_min) == ("local", 80, 5)
    assert len(loaded.problems) == 3
    named = {p.split(": ")[1]: p for p in loaded.problems}
    assert set(named) == {"provider", "playback.volume", "kiosk.attract_after_min"}
    assert "using the default (80) for playback.volume only" in named["playback.volume"]
    assert all("other keys apply" in p for p in loaded.problems)
    assert loaded.source_of("library.folders") == "file"
    assert loaded.source_of("playback.volume") == "default"
    assert loaded.source_of("theme") == "default"


def test_a_bad_environment_value_falls_back_to_the_file(tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.toml", "[playback]\nvolume = 40\n")
    env = {"KTVDESK_PLAYBACK_VOLUME": "loud", "KTVDESK_PLAYBACK_LYRIC_OFFSET_MS": "120"}
    loaded = load_settings(cfg, environ=env)
    assert loaded.settings.playback.volume == 40
    assert loaded.settings.playback.lyric_offset_ms == 120
    assert loaded.source_of("playback.volume") == "file"
    assert loaded.source_of("playback.lyric_offset_ms") == "environment"
    assert len(loaded.problems) == 1
    assert "KTVDESK_PLAYBACK_VOLUME" in loaded.problems[0] and "file's value (40)" in loaded.problems[0]


def test_unknown_key_is_reported(tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.toml", "[playback]\nlyrics_offset = 5\n")
    loaded = load_settings(cfg, environ={})
    assert any("playback.lyrics_offset" in p for p in loaded.problems)


def test_invalid_environment_is_reported_not_fatal(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "none.toml", environ={"KTVDESK_PLAYBACK_VOLUME": "loud"})
    assert any("KTVDESK_PLAYBACK_VOLUME" in p for p in loaded.problems)
    assert loaded.settings.playback.volume == 80


def test_secret_variables_are_not_settings(tmp_path: Path) -> None:
    env = {
        "KTVDESK_YINSUDA_SECRET_ID": "AKIDx",
        "KTVDESK_YINSUDA_SECRET_KEY": "k",
        "KTVDESK_ZEGO_SERVER_SECRET": "s",
        "KTVDESK_XIAOWEI_APP_KEY": "a",
        "KTVDESK_KIOSK_PIN_HASH": "h",
        "KTVDESK_YINSUDA_APP_NAME": "app",
    }
    loaded = load_settings(tmp_path / "none.toml", environ=env)
    assert loaded.problems == []
    assert loaded.settings.yinsuda.app_name == "app"


def test_a_secret_in_the_file_is_refused_by_name(tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.toml", '[zego]\nserver_secret = "oops"\n')
    loaded = load_settings(cfg, environ={})
    assert any("zego.server_secret" in p for p in loaded.problems)


def test_environment_json_for_lists_tables_and_whole_sections(tmp_path: Path) -> None:
    music = tmp_path / "music"
    env = {
        "KTVDESK_LIBRARY_FOLDERS": f'["{music}"]',
        "KTVDESK_LIBRARY_SPLIT_CHANNELS": '{"karaoke": "left"}',
        "KTVDESK_PLAYBACK": '{"volume": 30, "normalize": false}',
        "KTVDESK_PLAYBACK_VOLUME": "35",  # a section's key beats its JSON
        "ktvdesk_theme": "dark",  # any case
        "KTVDESK_DATA_DIR": str(tmp_path),  # a path, not a setting
    }
    loaded = load_settings(tmp_path / "none.toml", environ=env)
    settings = loaded.settings
    assert loaded.problems == []
    assert settings.library.folders == [music]
    assert settings.library.split_channels == {"karaoke": "left"}
    assert (settings.playback.volume, settings.playback.normalize) == (35, False)
    assert loaded.source_of("playback.normalize") == "environment"
    assert loaded.source_of("theme") == "environment"


def test_a_variable_that_is_not_json_is_dropped_alone(tmp_path: Path) -> None:
    env = {"KTVDESK_LIBRARY_FOLDERS": "/srv/songs", "KTVDESK_PLAYBACK_VOLUME": "20"}
    loaded = load_settings(tmp_path / "none.toml", environ=env)
    assert len(loaded.problems) == 1
    assert "KTVDESK_LIBRARY_FOLDERS" in loaded.problems[0] and "JSON" in loaded.problems[0]
    assert loaded.settings.library.folders == [] and loaded.settings.playback.volume == 20


def test_settings_built_directly_read_the_environment_over_the_values_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KTVDESK_YINSUDA_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("KTVDESK_PLAYBACK_VOLUME", "30")
    settings = Settings(playback=PlaybackSettings(volume=70, normalize=False))
    assert settings.yinsuda.endpoint == "http://127.0.0.1:9"
    assert (settings.playback.volume, settings.playback.normalize) == (30, False)
