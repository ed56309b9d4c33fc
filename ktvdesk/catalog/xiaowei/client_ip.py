"""The machine's own address for `client_addr` / `client_ip`, when none is configured.

A UDP socket "connected" to an outside address makes the kernel pick the interface and
source address its routing table would use; connecting a UDP socket sends no packet at
all, so nothing leaves the machine. The probe address is TEST-NET-1 (RFC 5737, reserved
for documentation): the default route covers it, and nobody answers there anyway.
"""

from __future__ import annotations

import ipaddress
import socket

PROBE_ADDRESS = "192.0.2.1"  # RFC 5737 TEST-NET-1
_DISCARD_PORT = 9


def route_source_ip(probe: str = PROBE_ADDRESS) -> str | None:
    """The source address the routing table picks for `probe`; None without a route."""
    family = socket.AF_INET6 if ":" in probe else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect((probe, _DISCARD_PORT))  # UDP: sets the peer, sends nothing
            address = str(sock.getsockname()[0])
        except OSError:
            return None
    if ipaddress.ip_address(address).is_unspecified:
        return None
    return address
