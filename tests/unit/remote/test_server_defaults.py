from __future__ import annotations

import ipaddress

from ktvdesk.config import RemoteSettings
from ktvdesk.remote.server import primary_lan_address


def test_default_address_is_a_real_interface_never_all_of_them() -> None:
    address = ipaddress.ip_address(primary_lan_address())  # found without sending a packet
    assert not address.is_unspecified
    assert RemoteSettings().host is None and RemoteSettings().enabled is False
