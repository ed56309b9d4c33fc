"""Settings: one env reader, clear errors, secrets registered for redaction."""

from __future__ import annotations

import pytest

from ktvdesk.catalog.yinsuda.settings import load_yinsuda_settings
from ktvdesk.catalog.yinsuda.wire import DEFAULT_ENDPOINT
from ktvdesk.errors import ConfigError
from ktvdesk.logs import redact

ENV = {
    "KTVDESK_YINSUDA_SECRET_ID": "AKIDsettings",
    "KTVDESK_YINSUDA_SECRET_KEY": "settings-secret-key",
    "KTVDESK_YINSUDA_APP_NAME": "app",
    "KTVDESK_YINSUDA_USER_ID": "user",
}


def test_env_values() -> None:
    s = load_yinsuda_settings({**ENV, "KTVDESK_YINSUDA_ROOM_ID": "r1", "KTVDESK_YINSUDA_PLAY_SCENE": "Live"},
                              use_keyring=False)  # fmt: skip
    assert s.secret_id.get_secret_value() == "AKIDsettings" and s.app_name == "app" and s.user_id == "user"
    assert s.endpoint == DEFAULT_ENDPOINT and s.room_id == "r1" and s.play_scene == "Live"
    assert "settings-secret-key" not in repr(s)
    assert "settings-secret-key" not in redact("key is settings-secret-key")


def test_endpoint_override_for_the_emulator() -> None:
    s = load_yinsuda_settings(ENV, endpoint="http://127.0.0.1:8640/", use_keyring=False)
    assert s.endpoint == "http://127.0.0.1:8640"


@pytest.mark.parametrize("drop", ["KTVDESK_YINSUDA_SECRET_KEY", "KTVDESK_YINSUDA_USER_ID"])
def test_missing_values_raise_config_error(drop: str) -> None:
    env = {k: v for k, v in ENV.items() if k != drop}
    with pytest.raises(ConfigError) as err:
        load_yinsuda_settings(env, use_keyring=False)
    assert "SecretKey" in err.value.message("en") or "UserId" in err.value.message("en")


def test_bad_endpoint_and_scene() -> None:
    with pytest.raises(ConfigError):
        load_yinsuda_settings(ENV, endpoint="ftp://x", use_keyring=False)
    with pytest.raises(ConfigError):
        load_yinsuda_settings({**ENV, "KTVDESK_YINSUDA_PLAY_SCENE": "Party"}, use_keyring=False)
