"""`client_ip` from the machine's own route when it is not configured.

The probe connects a UDP socket, which sends no packet: nothing leaves the machine.
"""

from __future__ import annotations

import ipaddress

import pytest

from ktvdesk.catalog.xiaowei.client_ip import route_source_ip
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.errors import ConfigError

ENDPOINT = "http://127.0.0.1:9"


def test_the_route_to_loopback_starts_at_loopback() -> None:
    assert route_source_ip("127.0.0.1") == "127.0.0.1"


def test_no_route_means_no_address() -> None:
    # An IPv6 probe on a socket family the machine may not route: None, never an exception.
    found = route_source_ip("::1")
    assert found in (None, "::1")


def test_an_unconfigured_client_ip_comes_from_the_route() -> None:
    own = route_source_ip()
    if own is None:
        with pytest.raises(ConfigError):
            load_xiaowei_settings({}, endpoint=ENDPOINT, use_keyring=False, device_id="SN-1")
        return
    settings = load_xiaowei_settings({}, endpoint=ENDPOINT, use_keyring=False, device_id="SN-1")
    assert settings.client_ip == own and ipaddress.ip_address(own)


def test_a_configured_client_ip_wins() -> None:
    configured = load_xiaowei_settings(
        {"KTVDESK_XIAOWEI_CLIENT_IP": "192.0.2.3"}, endpoint=ENDPOINT, use_keyring=False, device_id="SN-1"
    )
    assert configured.client_ip == "192.0.2.3"
    given = load_xiaowei_settings(
        {}, endpoint=ENDPOINT, use_keyring=False, device_id="SN-1", client_ip="198.51.100.9"
    )
    assert given.client_ip == "198.51.100.9"
