"""Page-number cursors, id batches, and Xiaowei settings from the environment."""

from __future__ import annotations

import pytest

from ktvdesk.catalog.http.paging import PageNumbers, batched
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.config import XiaoweiConfig as XiaoweiSection
from ktvdesk.errors import ConfigError, ProviderError
from ktvdesk.logs import redact


def test_page_numbers_cap_size_and_pages() -> None:
    search = PageNumbers(first=1, max_size=50, max_page=4)
    assert search.page(None) == 1 and search.page("3") == 3
    assert search.size(80) == 50 and search.size(0) == 1
    assert search.next_cursor(1, 50, 50, None) == "2"
    assert search.next_cursor(4, 50, 50, None) is None  # page limit
    assert search.next_cursor(2, 50, 49, None) is None  # short page
    assert search.next_cursor(2, 50, 50, 100) is None  # total reached


def test_item_cap_and_zero_based_pages() -> None:
    tag = PageNumbers(first=1, max_size=50, max_items=100)
    assert tag.next_cursor(1, 50, 50) == "2" and tag.next_cursor(2, 50, 50) is None
    square = PageNumbers(first=0)
    assert square.page(None) == 0 and square.next_cursor(0, 10, 10) == "1"


@pytest.mark.parametrize("cursor", ["abc", "0", "-2", ""])
def test_bad_cursor(cursor: str) -> None:
    with pytest.raises(ProviderError) as info:
        PageNumbers(first=1).page(cursor)
    assert info.value.user_message.en


def test_batched() -> None:
    ids = [str(i) for i in range(45)]
    batches = batched(ids, 20)
    assert [len(b) for b in batches] == [20, 20, 5]
    assert [i for b in batches for i in b] == ids
    with pytest.raises(ValueError):
        batched(ids, 0)


ENV = {
    "KTVDESK_XIAOWEI_ENDPOINT": "http://127.0.0.1:9/",
    "KTVDESK_XIAOWEI_DEVICE_ID": "SN-DEVICE-8841",
    "KTVDESK_XIAOWEI_CLIENT_IP": "93.184.216.34",
    "KTVDESK_XIAOWEI_PRODUCT_ID": "pid-42",
    "KTVDESK_XIAOWEI_APP_KEY": "appkey-secret-value",
    "KTVDESK_XIAOWEI_QUALITY": "hq",
    "KTVDESK_XIAOWEI_BASE_PARAMS": '{"guid": "G-77"}',
}


def test_settings_from_env_and_base_info() -> None:
    settings = load_xiaowei_settings(ENV, use_keyring=False)
    assert settings.endpoint == "http://127.0.0.1:9"
    assert settings.quality == "hq"
    assert settings.base_info() == {
        "sn": "SN-DEVICE-8841",
        "product_id": "pid-42",
        "app_key": "appkey-secret-value",
        "guid": "G-77",
    }


def test_identifying_values_are_redacted_from_logs() -> None:
    load_xiaowei_settings(ENV, use_keyring=False)
    line = redact("request from SN-DEVICE-8841 at 93.184.216.34 key appkey-secret-value")
    assert "SN-DEVICE-8841" not in line and "93.184.216.34" not in line and "appkey-secret-value" not in line


def test_private_client_ip_is_not_treated_as_identifying() -> None:
    load_xiaowei_settings({**ENV, "KTVDESK_XIAOWEI_CLIENT_IP": "10.77.1.2"}, use_keyring=False)
    assert "10.77.1.2" in redact("from 10.77.1.2")


def test_endpoint_flag_replaces_the_host_and_config_section_is_read() -> None:
    section = XiaoweiSection(endpoint="https://xw.example", device_id="d1", client_ip="10.0.0.9")
    settings = load_xiaowei_settings({}, section=section, endpoint="http://127.0.0.1:8123", use_keyring=False)
    assert settings.endpoint == "http://127.0.0.1:8123" and settings.device_id == "d1"


def test_missing_settings_are_a_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        load_xiaowei_settings({"KTVDESK_XIAOWEI_ENDPOINT": "http://x"}, use_keyring=False)
    assert "device_id" in info.value.detail and info.value.user_message.zh


def test_bad_base_params_json() -> None:
    with pytest.raises(ConfigError):
        load_xiaowei_settings({**ENV, "KTVDESK_XIAOWEI_BASE_PARAMS": "{nope"}, use_keyring=False)
